"""Demo data for deal intelligence: a starter set of real, publicly announced cross-border licensing deals of
Chinese biotechs, and published market figures, each with its source URL and the date it was read.

Nothing here is invented. Every figure was checked against the stored public page named in `source_url` (or, where
a note says so, a second page); a figure no page gave is left empty. How the set was checked: docs/intelligence.md.
These records are the one place where real company names appear in the demo data (DOMAIN.md).
Idempotent: records are keyed by `reference`, figures by (metric, period, source).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from apps.intelligence.models import DealRecord, DealSource, MarketFigure

READ_ON = datetime.date(2026, 11, 30)
B, M = Decimal(1_000_000_000), Decimal(1_000_000)


def _deal(reference: str, announced_on: str, licensor: str, licensee: str, licensee_country: str, asset: str,
          modality: str, area: str, stage: str, deal_type: str, territory: str, source_url: str, *,
          upfront: Decimal | None = None, equity: Decimal | None = None, near_term: Decimal | None = None,
          milestones: Decimal | None = None, total: Decimal | None = None, royalties: str = "",
          notes: str = "", licensor_country: str = "CN") -> dict[str, Any]:
    def cents(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal("0.01"))

    upfront, equity, near_term, milestones, total = map(cents, (upfront, equity, near_term, milestones, total))
    return dict(reference=reference, announced_on=datetime.date.fromisoformat(announced_on),
                licensor_name_en=licensor, licensor_country=licensor_country, licensee_name_en=licensee,
                licensee_country=licensee_country, asset_name=asset, modality=modality, therapeutic_area=area,
                stage=stage, deal_type=deal_type, territory=territory, currency="USD", upfront=upfront,
                equity=equity, near_term=near_term, milestones_total=milestones, total_value=total,
                royalty_description=royalties, source_url=source_url, source_read_on=READ_ON, notes=notes)


STARTER_SET = [
    _deal("2022-akeso-summit-ivonescimab", "2022-12-06", "Akeso", "Summit Therapeutics", "US",
          "ivonescimab (AK112, PD-1/VEGF)", "bispecific_antibody", "oncology", "phase_3", "exclusive_license", "other",
          "https://www.kcrg.com/prnewswire/2022/12/06/akeso-inc-announces-collaboration-license-agreement-up-us5-"
          "billion-with-summit-therapeutics-accelerate-global-development-commercialization-its-breakthrough-"
          "bispecific-antibody-ivonescimab-pd-1vegf/",
          upfront=500 * M, milestones=Decimal("4.5") * B, total=5 * B,
          royalties="Low double-digit percentage royalties on net sales",
          notes="Territory: United States, Canada, Europe and Japan. Two phase 3 trials running in China."),
    _deal("2023-hansoh-gsk-hs20093", "2023-12-20", "Hansoh Pharma", "GSK", "GB", "HS-20093 (B7-H3 ADC)", "adc",
          "oncology", "phase_1b_2", "exclusive_license", "worldwide_ex_greater_china",
          "https://www.marketscreener.com/quote/stock/GSK-PLC-9590199/news/GSK-Enters-Exclusive-License-Agreement-"
          "With-Hansoh-for-HS-20093-Cancer-Antibody-45608799/",
          upfront=185 * M, milestones=Decimal("1525") * M, total=Decimal("1710") * M,
          royalties="Tiered royalties on net sales outside Greater China",
          notes="In phase 1 and phase 2 trials in China at signing."),
    _deal("2024-lanova-merck-lm299", "2024-11-14", "LaNova Medicines", "Merck & Co.", "US",
          "LM-299 (PD-1/VEGF)", "bispecific_antibody", "oncology", "phase_1", "exclusive_license", "worldwide",
          "https://pharmamanufacturing.com/industry-news/news/55242965/merck-licenses-lanovas-lm-299-for-cancer-"
          "treatment",
          upfront=588 * M, milestones=Decimal("2.7") * B,
          notes="A phase 1 trial was enrolling in China at signing."),
    _deal("2022-kelun-merck-seven-adcs", "2022-12-22", "Kelun-Biotech", "Merck & Co.", "US",
          "Seven preclinical ADCs", "adc", "oncology", "preclinical", "exclusive_license", "other",
          "https://www.benzinga.com/general/biotech/22/12/30176873/merck-kelun-biotech-ink-licensing-pact-for-"
          "seven-cancer-candidates",
          upfront=175 * M, milestones=Decimal("9.3") * B,
          notes="Kelun-Biotech keeps mainland China, Hong Kong and Macau. Milestones up to USD 9.3 B if Kelun does not "
                "retain those rights for the option ADCs. Merck intends an equity investment (amount not disclosed)."),
    _deal("2023-biokin-bms-bl-b01d1", "2023-12-11", "Sichuan Biokin Pharmaceutical (through SystImmune)",
          "Bristol Myers Squibb", "US", "BL-B01D1 (EGFRxHER3 bispecific ADC)", "adc", "oncology", "phase_1",
          "co_development", "other",
          "https://www.pharmamanufacturing.com/industry-news/news/33016250/bms-systimmune-ink-cancer-adc-deal",
          upfront=800 * M, near_term=500 * M, milestones=Decimal("7.6") * B, total=Decimal("8.4") * B,
          royalties="Tiered royalty on net sales outside the US and mainland China",
          notes="SystImmune is the US arm of Sichuan Biokin. Co-development and co-commercialisation in the US; "
                "SystImmune keeps mainland China. Milestones: up to USD 500 M near-term plus up to USD 7.1 B."),
    _deal("2025-3sbio-pfizer-ssgj707", "2025-05-20", "3SBio", "Pfizer", "US", "SSGJ-707 (PD-1/VEGF)",
          "bispecific_antibody", "oncology", "phase_2", "exclusive_license", "other",
          "https://www.biospace.com/press-releases/pfizer-enters-into-exclusive-licensing-agreement-with-3sbio",
          upfront=Decimal("1.25") * B, equity=100 * M, milestones=Decimal("4.8") * B,
          royalties="Tiered double-digit royalties",
          notes="Territory: worldwide excluding China, with an option for China. 3SBio planned its first phase 3 "
                "in China in 2025. Equity investment upon closing."),
    _deal("2025-hengrui-merck-hrs5346", "2025-03-25", "Jiangsu Hengrui Pharmaceuticals", "Merck & Co.", "US",
          "HRS-5346 (oral Lp(a) inhibitor)", "small_molecule", "cardiovascular", "phase_2", "exclusive_license",
          "worldwide_ex_greater_china",
          "http://www.precisionmedicineonline.com/business-news/merck-buys-exclusive-rights-develop-hengrui-pharmas-"
          "lpa-inhibitor-outside-china",
          upfront=200 * M, milestones=Decimal("1.77") * B, royalties="Royalties on net sales if approved",
          notes="Announced by Merck on Tuesday 25 March 2025."),
    _deal("2024-hansoh-merck-hs10535", "2024-12-18", "Hansoh Pharma", "Merck & Co.", "US",
          "HS-10535 (oral GLP-1 receptor agonist)", "small_molecule", "metabolic", "preclinical", "exclusive_license",
          "worldwide",
          "https://www.biospace.com/press-releases/merck-enters-into-exclusive-global-license-agreement-with-hansoh-"
          "pharma-for-investigational-oral-glp-1-receptor-agonist",
          upfront=112 * M, milestones=Decimal("1.9") * B, royalties="Royalties on sales",
          notes="Hansoh may co-promote or solely commercialise in China under conditions."),
    _deal("2025-innovent-roche-ibi3009", "2025-01-02", "Innovent Biologics", "Roche", "CH",
          "IBI3009 (DLL3 ADC)", "adc", "oncology", "phase_1", "exclusive_license", "worldwide",
          "https://biopharminternational.com/view/roche-innovent-collaborate-novel-sclc-targeted-adc-deal-worth-"
          "potentially-1-billion",
          upfront=80 * M, milestones=1 * B, royalties="Tiered royalties on net sales",
          notes="First patient of the phase 1 study dosed in December 2024."),
    _deal("2024-hengrui-ideaya-shr4849", "2024-12-29", "Jiangsu Hengrui Pharmaceuticals", "IDEAYA Biosciences",
          "US", "SHR-4849 (DLL3 ADC)", "adc", "oncology", "phase_1", "exclusive_license",
          "worldwide_ex_greater_china", "http://chinaiptoday.com/post.html?id=2194",
          upfront=75 * M, total=Decimal("1.045") * B,
          royalties="Mid-single to low-double digit royalties on net sales outside Greater China",
          notes="Up to USD 200 M in development and regulatory milestones plus commercial milestones."),
    _deal("2023-dualitybio-biontech-db1303", "2023-04-03", "Duality Biologics", "BioNTech", "DE",
          "DB-1303 (HER2 ADC) and DB-1311", "adc", "oncology", "phase_2", "exclusive_license", "other",
          "https://br.advfn.com/noticias/DJN/2023/artigo/90675215",
          upfront=170 * M, royalties="Single-digit to double-digit tiered royalties",
          notes="Territory: worldwide excluding mainland China, Hong Kong and Macau. Milestones 'potentially totaling "
                "over USD 1.5 billion' (no exact figure, so left empty). Stage: DB-1303 in phase 2."),
    _deal("2024-hengrui-hercules-glp1", "2024-05-16", "Jiangsu Hengrui Pharmaceuticals", "Hercules CM NewCo", "US",
          "HRS-7535, HRS9531, HRS-4729 (GLP-1 portfolio)", "other", "metabolic", "phase_2", "newco",
          "worldwide_ex_greater_china",
          "https://news.futunn.com/hk/post/42558159/the-company-left-the-pipeline-capital-paid-hengrui-"
          "pharmaceutical-s",
          milestones=Decimal("5925") * M, total=Decimal("6035") * M,
          royalties="Low single-digit to low double-digit percentage of annual net sales",
          notes="USD 110 M upfront and near-term payments together (not split, so both fields are empty); up to "
                "USD 200 M development and regulatory and USD 5.725 B sales milestones; Hengrui receives 19.9% of "
                "Hercules. Modality: small molecule and peptides."),
    _deal("2017-legend-janssen-lcar-b38m", "2017-12-22", "Legend Biotech", "Janssen Biotech", "US",
          "LCAR-B38M (BCMA CAR-T)", "cell_therapy", "oncology", "filed", "co_development", "worldwide",
          "https://legendbiotech.com/legend-news/legend-biotech-announces-closing-of-global-strategic-lcar-b38m-car-"
          "t-cell-immunotherapy-collaboration-with-janssen/",
          upfront=350 * M,
          notes="Accepted for review by China's CFDA at signing. Profits and costs 50/50 worldwide except Greater "
                "China (70/30 to Legend). Milestones not quantified."),
    _deal("2024-medilink-roche-yl211", "2024-01-02", "MediLink Therapeutics", "Roche", "CH", "YL211 (c-Met ADC)",
          "adc", "oncology", "ind_enabling", "exclusive_license", "worldwide",
          "https://biospace.com/article/roche-signs-potential-1b-adc-deal-with-china-s-medilink",
          notes="USD 50 M upfront and near-term payments together (not split, so left empty); nearly USD 1 B in "
                "potential milestones (no exact figure). Announced on Tuesday 2 January 2024."),
    _deal("2025-hengrui-gsk-hrs9821", "2025-07-28", "Jiangsu Hengrui Pharmaceuticals", "GSK", "GB",
          "HRS-9821 (PDE3/4 inhibitor) and up to 11 programmes", "other", "respiratory", "", "exclusive_license",
          "worldwide_ex_greater_china",
          "https://news.europawire.eu/gsk-and-hengrui-pharma-sign-strategic-12-billion-deal-to-advance-up-to-12-"
          "innovative-therapeutics/eu-press-release/2025/07/28/16/09/58/159534",
          upfront=500 * M, total=12 * B, royalties="Tiered royalties on global net sales",
          notes="Total if all programmes are optioned and all milestones met. HRS-9821 'in clinical development' "
                "(phase not stated, so left empty)."),
    _deal("2025-hansoh-regeneron-hs20094", "2025-06-02", "Hansoh Pharmaceutical", "Regeneron", "US",
          "HS-20094 (GLP-1/GIP receptor agonist)", "other", "metabolic", "phase_3", "exclusive_license", "other",
          "https://endocrinenews.endocrine.org/?p=16076",
          upfront=80 * M, milestones=Decimal("1.93") * B, royalties="Low double-digit royalties",
          notes="Territory: outside mainland China, Hong Kong and Macau. Phase 3 in obesity in China at signing."),
]


def _year(year: str) -> dict[str, str]:
    return {"period_label": year, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}


# Each source cited once; the CPHIIC figures also share their scope and currency.
BIOTOCHINA = dict(source_name="BiotoChina, China innovative drug asset transactions 2024",
                  source_url="https://biotochina.org/2025/03/21/china-innovative-drug-asset-transactions-2024-overview",
                  as_of="2025-03-20")
# CPHIIC's report (October 2025) gives no as-of day of its own: the figures are as of their periods' ends.
CPHIIC = dict(source_name="China National Pharmaceutical Industry Information Center (CPHIIC), as reported by NewsChina",
              source_url="http://new.newschinamag.com/newschina/articleDetail.do?article_id=8375&magazine_id=120"
                         "&section_id=34",
              scope_en="China out-licensing of innovative drugs", scope_zh="中国创新药对外许可交易", currency="USD")
# Caixin Global, 14 January 2026, citing PharmCube's NextPharma database (the South China Morning Post gives the same
# numbers citing the drug regulator's data).
CAIXIN_PHARMCUBE = ("https://www.caixinglobal.com/2026-01-14/chinese-drugmakers-strike-record-136-billion-in-cross-"
                    "border-licensing-deals-102403540.html")
UPFRONT_SCOPE = dict(scope_en="Upfront payments of China out-licensing deals", scope_zh="中国创新药对外许可交易首付款")

MARKET_FIGURES = [
    dict(metric="deal_count", **_year("2024"), scope_en="China out-licensing deals (cross-border)",
         scope_zh="中国创新药对外许可交易（跨境）", value=Decimal(80), currency="", **BIOTOCHINA),
    dict(metric="upfront_total", **_year("2024"), **UPFRONT_SCOPE, value=Decimal("3940000000"), currency="USD",
         **BIOTOCHINA),
    dict(metric="upfront_total", **_year("2023"), **UPFRONT_SCOPE, value=Decimal("2220000000"), currency="USD",
         **BIOTOCHINA),
    dict(metric="total_deal_value", **_year("2024"), value=Decimal("55400000000"), as_of="2024-12-31", **CPHIIC),
    dict(metric="total_deal_value", period_label="2025 Jan-Aug", period_start="2025-01-01", period_end="2025-08-31",
         value=Decimal("87400000000"), as_of="2025-08-31", **CPHIIC),
    *[dict(metric=metric, **_year(year), scope_en="Cross-border out-licensing deals of Chinese drugmakers",
           scope_zh="中国药企跨境对外许可交易", value=value, currency=currency,
           source_name="PharmCube (NextPharma database), as reported by Caixin Global",
           source_url=CAIXIN_PHARMCUBE, as_of="2026-01-14")
      for year, metric, value, currency in (
          ("2025", "total_deal_value", Decimal("135700000000"), "USD"), ("2025", "deal_count", Decimal(157), ""),
          ("2024", "total_deal_value", Decimal("51900000000"), "USD"), ("2024", "deal_count", Decimal(94), ""))],
]


def load(ctx: dict[str, Any]) -> None:
    for data in STARTER_SET:
        if not DealRecord.objects.filter(reference=data["reference"]).exists():
            deal = DealRecord(source_kind=DealSource.PUBLIC, **data)
            deal.full_clean()
            deal.save()
    for figure in MARKET_FIGURES:
        keys = {k: figure[k] for k in ("metric", "period_label", "source_url")}
        if not MarketFigure.objects.filter(**keys).exists():
            MarketFigure.objects.create(**figure)
    ctx["deal_records"] = len(STARTER_SET)
