"""Documents: list, upload, versions, and the two ways content leaves, `view` and `download`, each one call to
the hand-out service; bulk imports of zipped folder trees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.parsers import FormParser, JSONParser, MultiPartParser
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import PermissionRefused
from apps.core.middleware import client_ip
from apps.core.throttles import DownloadThrottle

from ... import access, selectors, services, storage
from ...access import DOWNLOAD, MANAGE
from ...files import UploadRefused
from ...files.names import ascii_fallback
from ...models import (
    BulkImport,
    Document,
    DocumentAccessKind,
)
from .. import docs
from .. import serializers as s


def _upload(data: Any) -> Any:
    upload = data.validated_data.get("file")
    if upload is None:
        raise services.UploadRefusedError(UploadRefused("empty_file"))
    return upload


def _cda_required(cda: Any) -> PermissionRefused:
    return PermissionRefused(_("Accept the data room's current confidentiality agreement first."),
                             code="cda_required",
                             extra={"cda": {"id": cda.pk, "version": cda.version, "room": cda.room_id}})


# --- documents ------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.DOCUMENTS)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Documents in folders you may see. Content leaves only through `view` (watermarked, inline) and
    `download` (attachment); both are recorded with a download id and audited."""

    model = Document
    serializer_class = s.RoomDocumentSerializer
    filterset_fields = ["room", "folder"]
    ordering_fields = ["name", "created_at", "updated_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    # `download` passes the document rule at DOWNLOAD (a download-level grant covering it) before the hand-out;
    # `view` needs only visibility. The hand-out service re-decides both from the same rule and says why it refuses.
    action_permissions = {"partial_update": "contribute", "destroy": MANAGE, "download": DOWNLOAD}
    reader_scope: access.RoomScope | None = None  # the person's standing, for a list or a hand-out (see restrict)
    may_refuse_reads = True

    def get_base_queryset(self) -> Any:
        return Document.objects.select_related("current_version", "room", "folder")

    def standing(self) -> access.RoomScope:
        """The person's standing towards rooms, read once in this request. A hand-out decides from it twice
        (the restricted queryset that finds the document, then the hand-out check), a list twice (the "accept
        the CDA first" answer, then the restricted queryset): both readings would come from the same rule a
        few milliseconds apart, and nothing is written in between. A new request reads afresh."""
        if self.reader_scope is None:
            self.reader_scope = access.room_scope(self.request.user)
        return self.reader_scope

    def restrict(self, queryset: Any, action: str) -> Any:
        if self.action in ("download", "view", "list"):
            return queryset.for_user(self.request.user, action, scope=self.standing())
        return super().restrict(queryset, action)  # other actions read it per queryset, as everywhere

    def refuse_action(self, obj: Any, action: str) -> None:
        if self.action == "download":
            # Visible but no download-level grant covers it: the hand-out check refuses with its reason
            # (view_only), audited.
            services.document_hand_out_check(actor=self.request.user, document=obj, kind=DocumentAccessKind.DOWNLOAD,
                                             scope=self.standing())
        super().refuse_action(obj, action)

    def get_throttles(self):  # type: ignore[no-untyped-def]
        if self.action in ("download", "view"):
            return [DownloadThrottle()]
        return super().get_throttles()

    def get_object(self) -> Any:
        try:
            return super().get_object()
        except NotFound:
            # Not visible. If only the room's current CDA stands between the partner and the document, say so
            # (403 cda_required, with the CDA to accept); otherwise it stays the plain 404 of a missing one.
            cda = access.cda_to_accept_for_document(self.request.user,
                                                    self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
            if cda is not None:
                raise _cda_required(cda) from None
            raise

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        room = request.query_params.get("room", "")
        if room.isdigit() and len(room) < 19:
            cda = access.cda_to_accept_for_room(request.user, int(room), scope=self.standing())
            if cda is not None:
                raise _cda_required(cda)
        return super().list(request, *args, **kwargs)

    def on_download_throttled(self, request: Request) -> None:
        """DownloadThrottle calls this once per window when the person hits the limit: a possible scrape.
        Runs before the handler, so the document is looked up here, among those the person may see."""
        try:
            pk = int(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        except (TypeError, ValueError):
            return
        document = selectors.documents_for(request.user).filter(pk=pk).first()
        if document is not None:
            services.download_limit_reached(actor=request.user, document=document)

    @extend_schema(request={"multipart/form-data": s.RoomDocumentUploadSerializer},
                   responses={201: s.RoomDocumentSerializer})
    def create(self, request: Request) -> Response:
        """Upload a new document (version 1). Checked by content before anything is stored."""
        data = s.RoomDocumentUploadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        folder = data.validated_data["folder"]
        upload = _upload(data)
        document = services.document_upload(actor=request.user, folder=folder, f=upload, filename=upload.name,
                                            classifications=data.validated_data.get("classifications"),
                                            name=data.validated_data.get("name"))
        return Response(s.RoomDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomDocumentUpdateSerializer, responses={200: s.RoomDocumentSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        document = self.get_object()
        data = s.RoomDocumentUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        document = services.document_update(actor=request.user, document=document, **values)
        return Response(s.RoomDocumentSerializer(document).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.document_delete(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["get"], request=None, responses={200: s.RoomVersionSerializer(many=True)})
    @extend_schema(methods=["post"], request={"multipart/form-data": s.RoomVersionUploadSerializer},
                   responses={201: s.RoomVersionSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])  # the list's filters are not the versions'
    def versions(self, request: Request, pk: Any = None) -> Response:
        """The owner's team lists every version, or uploads a new one (which becomes current)."""
        document = self.get_object()
        if request.method == "POST":
            data = s.RoomVersionUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            upload = _upload(data)
            version = services.document_version_upload(actor=request.user, document=document, f=upload,
                                                       filename=upload.name)
            return Response(s.RoomVersionSerializer(version).data, status=status.HTTP_201_CREATED)
        versions = selectors.versions_for(request.user, document).order_by("-number")
        if not versions.exists():
            raise PermissionRefused()  # partners reach only the current version, through view/download
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(s.RoomVersionSerializer(page, many=True).data)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file response is a plain Django response, never rendered; only its errors are, always as JSON,
        # whatever the client says it accepts.
        if self.action in ("download", "view"):
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    @extend_schema(request=None, responses=docs.FILE_RESPONSE)
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> Any:
        """The current version as an attachment (PDFs watermarked for the person taking them)."""
        return self._hand_out(DocumentAccessKind.DOWNLOAD)

    @extend_schema(request=None, responses=docs.FILE_RESPONSE)
    @action(detail=True, methods=["get"])
    def view(self, request: Request, pk: Any = None) -> Any:
        """The current version shown inline, watermarked (all a view-only grant gets)."""
        return self._hand_out(DocumentAccessKind.VIEW)

    def _hand_out(self, kind: str) -> Any:
        handout = services.document_hand_out(actor=self.request.user, document=self.get_object(), kind=kind,
                                             ip_address=client_ip(self.request._request), scope=self.standing())
        return file_response(handout, inline=kind == DocumentAccessKind.VIEW)


def file_response(handout: services.Handout, *, inline: bool) -> Any:
    """Stream what was handed out: a PDF as stamped for the person (bounded memory), any other file as stored,
    through nginx's X-Accel-Redirect when configured. Always nosniff, never cached, attachment unless inline."""
    version, access_row = handout.version, handout.access
    name = handout.document.name
    if handout.stamped is not None:
        response: Any = StreamingHttpResponse(handout.stamped, content_type="application/pdf")
        response["Content-Length"] = str(handout.stamped.size)
    else:
        prefix = getattr(settings, "DOWNLOAD_X_ACCEL_PREFIX", "")
        if prefix and storage.local_path(version.storage_name):
            response = HttpResponse(content_type=version.content_type)
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + version.storage_name
        else:
            response = StreamingHttpResponse(storage.iter_chunks(version.storage_name),
                                             content_type=version.content_type)
            response["Content-Length"] = str(version.size)
    disposition = content_disposition_header(not inline, name)
    response["Content-Disposition"] = disposition or f'attachment; filename="{ascii_fallback(name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Download-Id"] = access_row.download_id
    return response


# --- bulk import ---------------------------------------------------------------------------------------------


@extend_schema_view(**docs.IMPORTS)
class BulkImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Folder trees uploaded as a zip; the uploader reads the progress here."""

    model = BulkImport
    serializer_class = s.RoomBulkImportSerializer
    filterset_fields = ["room", "status"]
    ordering_fields = ["created_at", "status"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": s.RoomBulkImportCreateSerializer},
                   responses={202: s.RoomBulkImportSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomBulkImportCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = data.validated_data["room"]
        parent = data.validated_data.get("parent")
        upload = _upload(data)
        job = services.bulk_import_create(actor=request.user, room=room, parent=parent, f=upload,
                                          filename=upload.name)
        return Response(s.RoomBulkImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)
