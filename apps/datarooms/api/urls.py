from rest_framework.routers import SimpleRouter

from ..scan.api.views import DocumentScanViewSet  # issue 18
from . import views

router = SimpleRouter()
router.register("datarooms", views.DataRoomViewSet, basename="dataroom")
router.register("dataroom-folders", views.FolderViewSet, basename="dataroom-folder")
router.register("dataroom-documents", views.DocumentViewSet, basename="dataroom-document")
router.register("dataroom-imports", views.BulkImportViewSet, basename="dataroom-import")
router.register("dataroom-access-requests", views.AccessRequestViewSet, basename="dataroom-access-request")
router.register("dataroom-grants", views.GrantViewSet, basename="dataroom-grant")
router.register("dataroom-questions", views.QuestionViewSet, basename="dataroom-question")
router.register("dataroom-downloads", views.DownloadTraceViewSet, basename="dataroom-download")
router.register("dataroom-scans", DocumentScanViewSet, basename="dataroom-scan")  # issue 18

urlpatterns = router.urls
