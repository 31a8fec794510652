"""The data rooms' fixed vocabularies: model field choices and the export-gate table. Below the models and the
access rules (both read them), importing nothing of the app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataClassification(models.TextChoices):
    HGR = "hgr", _("Human genetic resources information")
    PERSONAL_INFORMATION = "personal_information", _("Personal information")
    IMPORTANT_DATA = "important_data", _("Important data")
    CLINICAL = "clinical", _("Clinical data")


# Classifications that may leave mainland China only under a recorded clearance.
EXPORT_CONTROLLED = (DataClassification.HGR, DataClassification.PERSONAL_INFORMATION,
                     DataClassification.IMPORTANT_DATA)


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GrantLevel(models.TextChoices):
    VIEW = "view", _("View only")
    DOWNLOAD = "download", _("View and download")


class GrantScope(models.TextChoices):
    ROOM = "room", _("The whole room")
    FOLDERS = "folders", _("Chosen folders")


class ClearanceType(models.TextChoices):
    HGR_APPROVAL = "hgr_approval", _("HGR approval")
    HGR_FILING = "hgr_filing", _("HGR filing")
    CAC_ASSESSMENT = "cac_assessment", _("CAC security assessment")
    STANDARD_CONTRACT = "standard_contract", _("Standard contract")
    CERTIFICATION = "certification", _("Personal information protection certification")


# Which clearance types lift which classification.
CLEARS: dict[str, tuple[str, ...]] = {
    DataClassification.HGR: (ClearanceType.HGR_APPROVAL, ClearanceType.HGR_FILING),
    DataClassification.PERSONAL_INFORMATION: (ClearanceType.CAC_ASSESSMENT, ClearanceType.STANDARD_CONTRACT,
                                              ClearanceType.CERTIFICATION),
    DataClassification.IMPORTANT_DATA: (ClearanceType.CAC_ASSESSMENT,),
}


class DocumentAccessKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")


class BulkImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


# --- the document scan (issue 18) ---


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be scanned")
    RUNNING = "running", _("Scanning")
    DONE = "done", _("Scanned")
    FAILED = "failed", _("Scan failed")
    NOT_READABLE = "not_readable", _("Not readable (image or scanned PDF)")


# A scan in these states has not told yet what the document holds: the gate holds as if it were positive.
UNFINISHED = (ScanStatus.PENDING, ScanStatus.RUNNING, ScanStatus.FAILED)


class ScanDecision(models.TextChoices):
    UNDECIDED = "undecided", _("Not confirmed yet")
    CONFIRMED = "confirmed", _("Confirmed")
    OVERRIDDEN = "overridden", _("Overridden")


# What a scan can find (and so what an unfinished scan holds for): the rest is only ever declared.
DETECTABLE = (DataClassification.HGR, DataClassification.PERSONAL_INFORMATION)
