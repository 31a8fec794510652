"""The one bilingual taxonomy of what service providers sell, and the languages they work in.

Kept in code (not data) so the API, the filters, the search and the demo all read the same list, and a new
category is a reviewed change with its Chinese label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    US_AGENT = "us_agent", _("Regulatory agent / US Agent for the FDA")
    EU_LEGAL_REPRESENTATIVE = "eu_legal_representative", _("EU legal representative and MAH services")
    NMPA_AGENT = "nmpa_agent", _("NMPA agent")
    REGULATORY_STRATEGY = "regulatory_strategy", _("Regulatory strategy")
    CLINICAL_CRO = "clinical_cro", _("Clinical operations (CRO)")
    CMC_CDMO = "cmc_cdmo", _("CMC and manufacturing (CDMO)")
    PHARMACOVIGILANCE = "pharmacovigilance", _("Pharmacovigilance")
    IP_COUNSEL = "ip_counsel", _("IP and licensing counsel")
    MARKET_ACCESS = "market_access", _("Market access and pricing")
    MEDICAL_TRANSLATION = "medical_translation", _("Medical translation")
    MEDICAL_WRITING = "medical_writing", _("Medical writing")
    OTHER = "other", _("Other services")


class Language(models.TextChoices):
    """Working languages (ISO 639-1)."""

    EN = "en", _("English")
    ZH = "zh", _("Chinese")
    JA = "ja", _("Japanese")
    KO = "ko", _("Korean")
    DE = "de", _("German")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    AR = "ar", _("Arabic")
    OTHER = "other", _("Other language")


class RecordType(models.TextChoices):
    """Inspection and certification records a provider can show."""

    GMP_INSPECTION = "gmp_inspection", _("GMP inspection")
    GCP_INSPECTION = "gcp_inspection", _("GCP inspection")
    GLP_INSPECTION = "glp_inspection", _("GLP inspection")
    PV_INSPECTION = "pv_inspection", _("Pharmacovigilance inspection")
    ISO_CERTIFICATION = "iso_certification", _("ISO certification")
    OTHER = "other", _("Other record")


class RecordOutcome(models.TextChoices):
    PASSED = "passed", _("Passed / no critical findings")
    FINDINGS = "findings", _("Findings, resolved")
    CERTIFIED = "certified", _("Certified")
