"""Data-room endpoints, one module per subject. Views wire requests to services and selectors: the restricted
querysets (GuardedViewSet → `for_user` → the rules of apps/datarooms/access.py) decide visibility before any
handler runs, and the services re-check every write and own every decision beyond visibility (the hand-out's
checks, stamping and record). The only rule read here is "accept the CDA first" (access.cda_to_accept_*), to
answer 403 cda_required instead of the 404 an invisible document gets."""

from .diligence import DownloadTraceViewSet, QuestionViewSet
from .documents import BulkImportViewSet, DocumentViewSet, file_response
from .getting_in import AccessRequestViewSet, GrantViewSet
from .rooms import DataRoomViewSet, FolderViewSet

__all__ = [
    "AccessRequestViewSet", "BulkImportViewSet", "DataRoomViewSet", "DocumentViewSet", "DownloadTraceViewSet",
    "FolderViewSet", "GrantViewSet", "QuestionViewSet", "file_response",
]
