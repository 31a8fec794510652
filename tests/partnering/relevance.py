"""The search relevance set: 30 fictional listings (English, Simplified and Traditional Chinese teasers) and
the listings each of 56 queries must return, judged by hand over the whole set (so anything else returned
counts against precision). Used by tests/partnering/test_search_relevance.py and by bench B8.

Queries cover English, Simplified and Traditional Chinese, one- to many-word queries, the short Chinese words
a trigram index cannot serve (肺癌, 双抗, 减重, 胃癌, 单抗, 肝癌) and synonyms (ADC / antibody-drug conjugate /
抗体偶联药物 / 抗體偶聯藥物).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# code name: (modality, English teaser, Chinese teaser — some written in Traditional characters)
LISTINGS: dict[str, tuple[str, str, str]] = {
    "RV-01": ("adc", "HER2-directed antibody-drug conjugate with a topoisomerase payload for gastric cancer.",
              "靶向HER2的抗体偶联药物，用于胃癌。"),
    "RV-02": ("adc", "TROP2 ADC for triple-negative breast cancer.", "靶向TROP2的ADC，用于三阴性乳腺癌。"),
    "RV-03": ("adc", "", "靶向CLDN18.2的抗體偶聯藥物，治療胃癌及胰腺癌。"),
    "RV-04": ("bispecific_antibody", "PD-1 x VEGF bispecific antibody for non-small cell lung cancer.",
              "PD-1/VEGF双特异性抗体，用于非小细胞肺癌。"),
    "RV-05": ("bispecific_antibody", "CD3 x BCMA T-cell engager for multiple myeloma.",
              "雙特異性抗體，靶向CD3與BCMA，治療多發性骨髓瘤。"),
    "RV-06": ("small_molecule", "Oral small-molecule GLP-1 receptor agonist for obesity.",
              "口服小分子GLP-1受体激动剂，用于减重。"),
    "RV-07": ("peptide", "Dual GLP-1/GIP peptide agonist for type 2 diabetes and weight management.",
              "GLP-1/GIP双靶点多肽激动剂，用于2型糖尿病和体重管理。"),
    "RV-08": ("peptide", "Long-acting amylin analogue for obesity.", "長效胰淀素類似物，用於肥胖症。"),
    "RV-09": ("small_molecule", "Covalent KRAS G12C inhibitor for lung cancer.", "KRAS G12C共价抑制剂，用于肺癌。"),
    "RV-10": ("small_molecule", "EGFR exon 20 insertion inhibitor for NSCLC.",
              "EGFR 20号外显子插入突变抑制剂，用于非小细胞肺癌。"),
    "RV-11": ("monoclonal_antibody", "Anti-IL-23 monoclonal antibody for psoriasis.",
              "抗IL-23单克隆抗体，用于银屑病。"),
    "RV-12": ("monoclonal_antibody", "Anti-TSLP mAb for severe asthma.", "抗TSLP单抗，用于重度哮喘。"),
    "RV-13": ("fusion_protein", "FcRn antagonist fusion protein for generalised myasthenia gravis.",
              "FcRn拮抗剂融合蛋白，用于全身型重症肌无力。"),
    "RV-14": ("cell_therapy", "Autologous CD19 CAR-T cell therapy for lymphoma.",
              "自体CD19 CAR-T细胞疗法，用于淋巴瘤。"),
    "RV-15": ("gene_therapy", "AAV gene therapy for haemophilia B.", "用于B型血友病的AAV基因疗法。"),
    "RV-16": ("rna_therapy", "GalNAc-siRNA against PCSK9 for hypercholesterolaemia.",
              "靶向PCSK9的GalNAc小干扰RNA，用于高胆固醇血症。"),
    "RV-17": ("vaccine", "mRNA vaccine against RSV for older adults.", "用于老年人的RSV mRNA疫苗。"),
    "RV-18": ("monoclonal_antibody", "Anti-amyloid antibody for early Alzheimer's disease.",
              "抗β淀粉样蛋白抗体，用于早期阿尔茨海默病。"),
    "RV-19": ("small_molecule", "FGFR4 inhibitor for hepatocellular carcinoma.", "小分子FGFR4抑制劑，用於肝癌。"),
    "RV-20": ("adc", "B7-H3 antibody-drug conjugate for small cell lung cancer.",
              "靶向B7-H3的抗体偶联药物，用于小细胞肺癌。"),
    "RV-21": ("adc", "Nectin-4 ADC for urothelial carcinoma.", "靶向Nectin-4的偶联药物，用于尿路上皮癌。"),
    "RV-22": ("bispecific_antibody", "CLDN18.2 x CD3 bispecific for gastric cancer.", "CLDN18.2/CD3双抗，用于胃癌。"),
    "RV-23": ("small_molecule", "Selective JAK1 inhibitor for atopic dermatitis.",
              "选择性JAK1抑制剂，用于特应性皮炎。"),
    "RV-24": ("monoclonal_antibody", "Anti-CD38 mAb for systemic lupus erythematosus.",
              "抗CD38单抗，用于系统性红斑狼疮。"),
    "RV-25": ("peptide", "Once-weekly injectable peptide with marked weight loss.",
              "每週一次注射的多肽，減重效果顯著。"),
    "RV-26": ("fusion_protein", "Anti-VEGF fusion protein for wet age-related macular degeneration.",
              "抗VEGF融合蛋白，用于湿性年龄相关性黄斑变性。"),
    "RV-27": ("small_molecule", "Novel antibiotic against carbapenem-resistant Enterobacterales.",
              "针对耐碳青霉烯类肠杆菌的新型抗生素。"),
    "RV-28": ("small_molecule", "LRRK2 inhibitor for Parkinson's disease.", "LRRK2抑制剂，用于帕金森病。"),
    "RV-29": ("rna_therapy", "siRNA for chronic hepatitis B functional cure.",
              "用于慢性乙型肝炎功能性治愈的小干扰RNA。"),
    "RV-30": ("monoclonal_antibody", "Anti-PD-1 monoclonal antibody for oesophageal squamous cell carcinoma.",
              "抗PD-1单抗，用于食管鳞癌。"),
}

ADC = {"RV-01", "RV-02", "RV-03", "RV-20", "RV-21"}
BISPECIFIC = {"RV-04", "RV-05", "RV-22"}
OBESITY = {"RV-06", "RV-07", "RV-08", "RV-25"}
LUNG_CANCER = {"RV-04", "RV-09", "RV-10", "RV-20"}
NSCLC = {"RV-04", "RV-10"}
GASTRIC = {"RV-01", "RV-03", "RV-22"}
MAB = {"RV-11", "RV-12", "RV-24", "RV-30"}
INHIBITORS = {"RV-09", "RV-10", "RV-19", "RV-23", "RV-28"}

# (query, language/kind, the listings it must return)
QUERIES: list[tuple[str, str, set[str]]] = [
    ("ADC", "en short synonym", ADC),
    ("antibody-drug conjugate", "en synonym", ADC),
    ("antibody-drug conjugates", "en plural", ADC),
    ("抗体偶联药物", "zh-Hans synonym", ADC),
    ("抗體偶聯藥物", "zh-Hant synonym", ADC),
    ("bispecific antibody", "en synonym", BISPECIFIC),
    ("双抗", "zh-Hans two characters", BISPECIFIC),
    ("雙抗", "zh-Hant two characters", BISPECIFIC),
    ("双特异性抗体", "zh-Hans synonym", BISPECIFIC),
    ("obesity", "en", OBESITY),
    ("weight loss", "en synonym", OBESITY),
    ("减重", "zh-Hans two characters", OBESITY),
    ("減重", "zh-Hant two characters", OBESITY),
    ("肺癌", "zh-Hans two characters", LUNG_CANCER),
    ("lung cancer", "en", LUNG_CANCER),
    ("非小细胞肺癌", "zh-Hans long word", NSCLC),
    ("NSCLC", "en abbreviation", NSCLC),
    ("non-small cell lung cancer", "en long", NSCLC),
    ("胃癌", "zh-Hans two characters", GASTRIC),
    ("gastric cancer", "en", GASTRIC),
    ("胃癌 ADC", "mixed", {"RV-01", "RV-03"}),
    ("HER2", "en short", {"RV-01"}),
    ("HER2 抗体偶联药物", "mixed", {"RV-01"}),
    ("PD-1", "en short", {"RV-04", "RV-30"}),
    ("PD-1 双抗", "mixed", {"RV-04"}),
    ("GLP-1", "en short", {"RV-06", "RV-07"}),
    ("口服 GLP-1", "mixed", {"RV-06"}),
    ("monoclonal antibody", "en synonym", MAB),
    ("单抗", "zh-Hans two characters", MAB),
    ("單抗", "zh-Hant two characters", MAB),
    ("CAR-T", "en short", {"RV-14"}),
    ("基因疗法", "zh-Hans", {"RV-15"}),
    ("基因療法", "zh-Hant", {"RV-15"}),
    ("gene therapy", "en", {"RV-15"}),
    ("siRNA", "en short synonym", {"RV-16", "RV-29"}),
    ("小干扰RNA", "zh-Hans synonym", {"RV-16", "RV-29"}),
    ("疫苗", "zh-Hans two characters", {"RV-17"}),
    ("阿尔茨海默病", "zh-Hans long", {"RV-18"}),
    ("阿爾茨海默病", "zh-Hant long", {"RV-18"}),
    ("肝癌", "zh-Hans two characters (listing in Traditional)", {"RV-19"}),
    ("乳腺癌", "zh-Hans three characters", {"RV-02"}),
    ("银屑病", "zh-Hans", {"RV-11"}),
    ("psoriasis", "en", {"RV-11"}),
    ("特應性皮炎", "zh-Hant", {"RV-23"}),
    ("atopic dermatitis", "en", {"RV-23"}),
    ("重症肌无力", "zh-Hans", {"RV-13"}),
    ("myasthenia gravis", "en", {"RV-13"}),
    ("帕金森病", "zh-Hans", {"RV-28"}),
    ("KRAS G12C", "en", {"RV-09"}),
    ("抑制剂", "zh-Hans (some listings Traditional)", INHIBITORS),
    ("融合蛋白", "zh-Hans", {"RV-13", "RV-26"}),
    ("双特异性抗体 胃癌", "zh-Hans two words", {"RV-22"}),
    ("antibody-drug conjugate for gastric cancer", "en long", {"RV-01", "RV-03"}),
    ("用于非小细胞肺癌的双特异性抗体", "zh-Hans long", {"RV-04"}),
    ("治療胃癌的抗體偶聯藥物", "zh-Hant long", {"RV-01", "RV-03"}),
    ("2型糖尿病", "zh-Hans", {"RV-07"}),
]


@dataclass
class Outcome:
    precision_at_10: float
    recall: float
    misses: list[tuple[str, set[str], list[str]]]  # (query, expected, returned) where they differ


def load(owner_company: Any) -> None:
    """Create the 30 listings, published, owned by `owner_company` (idempotent by code name)."""
    from django.utils import timezone

    from apps.catalog.models import Asset, AssetStatus

    for code_name, (modality, summary_en, summary_zh) in LISTINGS.items():
        if Asset.objects.filter(owner_company=owner_company, code_name=code_name).exists():
            continue
        Asset.objects.create(owner_company=owner_company, code_name=code_name, modality=modality, stage="phase_1",
                             status=AssetStatus.PUBLISHED, published_at=timezone.now(), summary_en=summary_en,
                             summary_zh=summary_zh, therapeutic_areas=["oncology"], deal_types=["option"],
                             territories=["US"])


def evaluate(search: Callable[[str], Iterable[str]]) -> Outcome:
    """Macro-averaged precision at 10 and recall over QUERIES; `search(q)` returns code names in rank order."""
    precisions, recalls, misses = [], [], []
    for query, _kind, expected in QUERIES:
        returned = list(search(query))
        top = returned[:10]
        relevant_top = sum(1 for code in top if code in expected)
        precisions.append(relevant_top / len(top) if top else 0.0)
        recalls.append(len(expected & set(returned)) / len(expected))
        if set(returned) != expected:
            misses.append((query, expected, returned))
    return Outcome(sum(precisions) / len(precisions), sum(recalls) / len(recalls), misses)
