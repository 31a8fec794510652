"""Fictional catalog demo data (idempotent). Runs after the companies loader; puts ctx["assets"] keyed by
code name (LMN-2201, LMN-3105, LMN-4010, JP-118) for the data-room and agreement loaders."""

from typing import Any

from apps.catalog import services
from apps.catalog.models import Asset, AssetStatus, ExpressionOfInterest, InterestProfile, WatchlistEntry
from apps.catalog.territories import Territory

LMN_2201 = dict(
    code_name="LMN-2201", modality="bispecific_antibody", stage="phase_2",
    name_en="Tetravalent PD-1×VEGF bispecific antibody", name_zh="四价PD-1×VEGF双特异性抗体",
    summary_en="First-in-class PD-1×VEGF bispecific antibody. Phase 2 in first-line non-small cell lung cancer "
               "with a 48% objective response rate; rights available worldwide outside Greater China.",
    summary_zh="首创PD-1×VEGF双特异性抗体，一线非小细胞肺癌二期研究客观缓解率48%；大中华区以外的全球权益可授权。",
    therapeutic_areas=["oncology"], deal_types=["exclusive_license", "co_development"],
    territories="worldwide_ex_greater_china", targets=["PD-1", "VEGF-A"],
    mechanism="Blocks PD-1 on T cells and neutralises VEGF-A in the tumour microenvironment; cooperative binding "
              "increases avidity where both are present.",
    indications=["non-small cell lung cancer", "hepatocellular carcinoma"], inn="lumitamab",
)
LMN_3105 = dict(
    code_name="LMN-3105", modality="adc", stage="phase_1",
    name_en="HER2 ADC with a topoisomerase I payload", name_zh="拓扑异构酶I抑制剂载荷的HER2抗体偶联药物",
    summary_en="Next-generation HER2 antibody-drug conjugate with a cleavable linker; phase 1 dose escalation "
               "in HER2-low breast and gastric cancer.",
    summary_zh="新一代HER2抗体偶联药物，可裂解连接子；HER2低表达乳腺癌和胃癌一期剂量递增研究中。",
    therapeutic_areas=["oncology"], deal_types=["exclusive_license", "option"], territories=["us", "eu", "japan"],
    targets=["HER2"], mechanism="HER2-directed delivery of a topoisomerase I inhibitor (DAR 8).",
    indications=["breast cancer", "gastric cancer"],
)
LMN_4010 = dict(
    code_name="LMN-4010", modality="monoclonal_antibody", stage="preclinical",
    summary_en="Long-acting anti-TSLP antibody for severe asthma (draft).",
    summary_zh="用于重度哮喘的长效抗TSLP抗体（草稿）。",
    therapeutic_areas=["respiratory", "immunology"], deal_types=["option"], territories="worldwide",
    targets=["TSLP"], indications=["severe asthma"],
)
JP_118 = dict(
    code_name="JP-118", modality="peptide", stage="phase_1",
    name_en="Once-weekly GLP-1/GIP dual agonist", name_zh="每周一次GLP-1/GIP双受体激动剂",
    summary_en="Once-weekly GLP-1/GIP dual agonist peptide for obesity and type 2 diabetes.",
    summary_zh="每周一次的GLP-1/GIP双受体激动剂多肽，用于肥胖和2型糖尿病。",
    therapeutic_areas=["metabolic"], deal_types=["exclusive_license", "newco"], territories=["worldwide"],
    targets=["GLP-1R", "GIPR"], indications=["obesity", "type 2 diabetes"],
)


def _create(actor: Any, company: Any, fields: dict[str, Any]) -> Asset:
    existing = Asset.objects.filter(owner_company=company, code_name=fields["code_name"]).first()
    return existing or services.asset_create(actor=actor, owner_company=company, **fields)


def load(ctx: dict[str, Any]) -> None:
    companies, people = ctx.get("companies") or {}, ctx.get("people") or {}
    lumina, northbridge, jade = companies.get("lumina"), companies.get("northbridge"), companies.get("jade")
    staff, lumina_admin = people.get("staff_admin"), people.get("lumina_admin")
    if not (lumina and northbridge and staff and lumina_admin):
        return
    assets: dict[str, Asset] = ctx.setdefault("assets", {})

    # Northbridge looks for late-stage oncology biologics ex-China: set before publishing, so LMN-2201's
    # publication reaches its members through the matching fan-out.
    if not InterestProfile.objects.filter(company=northbridge).exists() and people.get("northbridge_admin"):
        services.interest_profile_save(
            actor=people["northbridge_admin"], company=northbridge, therapeutic_areas=["oncology", "metabolic"],
            modalities=["bispecific_antibody", "adc", "peptide"], stage_min="phase_1", stage_max="phase_3",
            territories=["us", "eu", "japan"], deal_types=["exclusive_license", "co_development"],
        )

    lead = _create(lumina_admin, lumina, LMN_2201)
    if lead.status == AssetStatus.DRAFT:
        if not lead.regulatory_events.exists():
            for event in (
                dict(agency="NMPA", event_type="ind_cleared", date="2024-03-18", indication="non-small cell lung cancer"),
                dict(agency="FDA", event_type="ind_cleared", date="2024-09-02", indication="non-small cell lung cancer"),
                dict(agency="NMPA", event_type="designation", designation="breakthrough_therapy", date="2025-06-11",
                     indication="non-small cell lung cancer"),
            ):
                services.regulatory_event_record(actor=lumina_admin, asset=lead, **event)
            services.patent_record(actor=lumina_admin, asset=lead, family="WO2023/118822",
                                   jurisdiction="CN", number="CN 116102345 B", expiry="2043-05-30")
            services.patent_record(actor=lumina_admin, asset=lead, family="WO2023/118822",
                                   jurisdiction="US", number="US 12,034,567 B2", expiry="2043-05-30")
        services.asset_submit(actor=lumina_admin, asset=lead)
        services.asset_publish(actor=staff, asset=lead, note="Complete teaser; welcome to the catalog.")
    assets["LMN-2201"] = Asset.objects.get(pk=lead.pk)

    adc = _create(lumina_admin, lumina, LMN_3105)
    if adc.status == AssetStatus.DRAFT:
        services.asset_submit(actor=lumina_admin, asset=adc)  # waits in the moderation queue
    assets["LMN-3105"] = adc
    assets["LMN-4010"] = _create(people.get("lumina_member") or lumina_admin, lumina, LMN_4010)

    if jade is not None:
        # Jade Peak is still pending verification, so the service would refuse it a listing; the demo shows
        # the draft it prepared before registering (written directly, as an import would).
        peptide = Asset.objects.filter(owner_company=jade, code_name="JP-118").first()
        if peptide is None:
            fields = {**JP_118, "territories": Territory.parse(JP_118["territories"]).codes()}
            peptide = Asset(owner_company=jade, created_by=people.get("jade_owner"), status=AssetStatus.DRAFT,
                            **fields)
            peptide.save()
        assets["JP-118"] = peptide

    watcher = people.get("northbridge_member")
    if watcher is not None and not WatchlistEntry.objects.filter(user=watcher, asset=lead).exists():
        services.watchlist_add(actor=watcher, asset=lead)
    bd = people.get("northbridge_admin")
    if bd is not None and not ExpressionOfInterest.objects.filter(asset=lead, company=northbridge).exists():
        services.interest_express(
            actor=bd, asset=lead, company=northbridge,
            message="Northbridge would like to discuss an exclusive licence for the US, EU and Japan, "
                    "and to request data-room access after the CDA.",
        )
