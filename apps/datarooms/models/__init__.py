"""Data rooms: an asset's confidential documents, shared per partner company or person.

The models by subject (rooms and folders, documents, CDA, getting in, diligence); their choices in
apps/datarooms/choices.py; who may see and do what, for every model, in apps/datarooms/access.py (each model's
`access_q` is that module's rule). Grants to partners are `AccessGrant` rows (expiry, level, scope); guardian's
direct-FK tables hold only the per-room delegation of "manage" to a named person or company.
"""

from ..access import CONTRIBUTE, DOWNLOAD, MANAGE
from ..choices import (
    CLEARS,
    EXPORT_CONTROLLED,
    AccessRequestStatus,
    BulkImportStatus,
    ClearanceType,
    DataClassification,
    DocumentAccessKind,
    GrantLevel,
    GrantScope,
)

# The document scan (issue 18) keeps its model beside its code (apps/datarooms/scan/models.py), imported here so
# Django finds it in this app; it builds on .documents directly, so the order of these imports does not matter.
from ..scan.models import DocumentScan
from .cda import CdaAcceptance, CdaVersion
from .diligence import BulkImport, DocumentAccess, Question
from .documents import Document, DocumentVersion
from .grants import AccessGrant, AccessRequest, ExportClearance
from .rooms import DataRoom, DataRoomGroupObjectPermission, DataRoomUserObjectPermission, Folder, FolderClosure

__all__ = [
    "CLEARS", "CONTRIBUTE", "DOWNLOAD", "EXPORT_CONTROLLED", "MANAGE", "AccessGrant", "AccessRequest",
    "AccessRequestStatus", "BulkImport", "BulkImportStatus", "CdaAcceptance", "CdaVersion", "ClearanceType",
    "DataClassification", "DataRoom", "DataRoomGroupObjectPermission", "DataRoomUserObjectPermission", "Document",
    "DocumentAccess", "DocumentAccessKind", "DocumentScan", "DocumentVersion", "ExportClearance", "Folder",
    "FolderClosure", "GrantLevel", "GrantScope", "Question",
]
