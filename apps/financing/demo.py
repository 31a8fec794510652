"""Fictional financing demo data (idempotent): an investor, Meridian Harbor Capital (Singapore), with a bilingual
thesis; Lumina's published Series B funding LMN-2201; Meridian in its book, committed. Runs after the catalog (it
funds ctx["assets"]["LMN-2201"]) and after the companies loader (people, password)."""

from typing import Any

from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus
from apps.financing import services
from apps.financing.models import BookEntry, EntryStage, InvestorProfile, Round, RoundStatus

MERIDIAN = dict(name_en="Meridian Harbor Capital", name_zh="子午港资本", kind=CompanyKind.INVESTOR, country="SG",
                website="https://meridianharbor.example",
                description="Crossover fund backing clinical-stage biotechs in Asia.",
                verification_status=VerificationStatus.VERIFIED)
PARTNER = ("partner@meridianharbor.example", "Priya Raman")
SERIES_B = dict(
    name_en="Series B: LMN-2201 global phase 3", name_zh="B轮融资：LMN-2201全球三期", stage="series_b",
    instrument="equity", target_amount="80000000.00", currency="USD", closing_date="2027-03-31",
    summary_en="Series B to take the PD-1×VEGF bispecific LMN-2201 into a global phase 3 in first-line NSCLC.",
    summary_zh="B轮融资，推进PD-1×VEGF双特异性抗体LMN-2201开展一线非小细胞肺癌全球三期研究。",
    use_of_proceeds_en="Global phase 3 (70%), CMC scale-up (20%), US clinical operations (10%).",
    use_of_proceeds_zh="全球三期研究（70%）、CMC放大（20%）、美国临床运营（10%）。",
    therapeutic_areas=["oncology"], modalities=["bispecific_antibody", "adc"],
    pre_money_valuation="420000000.00",
    cap_table_summary="Founders 38%, Series A investors 41%, ESOP 12%, angels 9% (fully diluted).",
    financial_statements="Cash 61.2m USD at 30 June 2026; monthly burn 4.1m USD; no debt.",
)


def _meridian(ctx: dict[str, Any]) -> tuple[Company, User]:
    company = Company.objects.filter(name_en=MERIDIAN["name_en"]).first()
    if company is None:
        company = Company.objects.create(group=Group.objects.get_or_create(name="company:demo:meridian-harbor-capital")[0], **MERIDIAN)
    email, name = PARTNER
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=ctx.get("password"), full_name=name,
                                        preferred_language="en")
    Membership.objects.get_or_create(company=company, user=user, defaults={"role": Role.ADMIN})
    user.groups.add(company.group)
    return company, user


def load(ctx: dict[str, Any]) -> None:
    people, companies = ctx.get("people") or {}, ctx.get("companies") or {}
    lumina, admin, staff = companies.get("lumina"), people.get("lumina_admin"), people.get("staff_admin")
    if not (lumina and admin and staff):
        return
    meridian, partner = _meridian(ctx)
    if not InvestorProfile.objects.filter(company=meridian).exists():
        services.investor_profile_save(
            actor=partner, company=meridian,
            thesis_en="Clinical-stage oncology and immunology biotechs in Greater China and Singapore, Series A to "
                      "pre-IPO; we lead or co-lead and take a board seat.",
            thesis_zh="投资大中华区和新加坡临床阶段的肿瘤和免疫领域生物技术公司，A轮至Pre-IPO轮；领投或联合领投，"
                      "并派驻董事。",
            therapeutic_areas=["oncology", "immunology"], modalities=["bispecific_antibody", "adc"],
            round_stages=["series_a", "series_b", "series_c", "pre_ipo"], geographies=["greater_china", "SG"],
            instruments=["equity", "convertible_note"], ticket_currency="USD", ticket_min="5000000",
            ticket_max="30000000", contact_name="Priya Raman", contact_email=PARTNER[0],
            contact_phone="+65 6555 0142",
        )
    round_ = Round.objects.filter(company=lumina, name_en=SERIES_B["name_en"]).first()
    if round_ is None:
        round_ = services.round_create(actor=admin, company=lumina, **SERIES_B)
        lead_asset = (ctx.get("assets") or {}).get("LMN-2201")
        if lead_asset is not None:
            services.round_update(actor=admin, round=round_, assets=[lead_asset.pk])
        services.round_submit(actor=admin, round=round_)
        round_ = services.round_publish(actor=staff, round=round_, note="Teaser and core complete.")
    if round_.status == RoundStatus.PUBLISHED and not BookEntry.objects.filter(round=round_,
                                                                                 investor=meridian).exists():
        entry = services.interest_express(actor=partner, round=round_, company=meridian,
                                          message="We would like to lead the B; please admit us to diligence.")
        services.entry_soft_circle(actor=partner, entry=entry, amount="15000000.00")
        services.entry_advance(actor=admin, entry=entry, stage=EntryStage.DILIGENCE)
        services.entry_advance(actor=admin, entry=entry, stage=EntryStage.TERM_SHEET)
        services.entry_advance(actor=partner, entry=entry, stage=EntryStage.COMMITTED, committed_amount="20000000.00")
        services.round_name_lead(actor=admin, round=round_, investor=meridian)
    ctx.setdefault("rounds", {})["lumina_series_b"] = round_
    ctx.setdefault("logins", []).append(("investor admin (Meridian Harbor)", PARTNER[0]))
