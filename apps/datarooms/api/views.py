"""Data-room endpoints. Views wire requests to services and selectors: the restricted querysets (GuardedViewSet →
`for_user` → the rules of apps/datarooms/access.py) decide visibility before any handler runs, and the services
re-check every write and own every decision beyond visibility (the hand-out's checks, stamping and record).
The only rule read here is "accept the CDA first" (access.cda_to_accept_*), to answer 403 cda_required instead
of the 404 an invisible document gets."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apps.companies.models import company_ids_of
from apps.core.api.parsers import FormParser, JSONParser, MultiPartParser
from apps.core.api.viewsets import GuardedViewSet
from apps.core.csvsafe import SafeDictWriter
from apps.core.errors import PermissionRefused
from apps.core.middleware import client_ip
from apps.core.throttles import AccessRequestThrottle, DownloadThrottle

from .. import access, selectors, services, storage
from ..access import DOWNLOAD, MANAGE
from ..files import UploadRefused
from ..files.names import ascii_fallback
from ..models import (
    AccessGrant,
    AccessRequest,
    BulkImport,
    DataRoom,
    Document,
    DocumentAccess,
    DocumentAccessKind,
    Folder,
    Question,
)
from . import docs
from . import serializers as s


def _upload(data: Any) -> Any:
    upload = data.validated_data.get("file")
    if upload is None:
        raise services.UploadRefusedError(UploadRefused("empty_file"))
    return upload


def _insider_of_every_room(request: Request, rows: Any) -> bool:
    """Staff, or a member of the owner company of every room among `rows` (which have a `room`)."""
    user = request.user
    if user.is_staff:
        return True
    return not rows.exclude(room__owner_company_id__in=company_ids_of(user)).exists()


def _cda_required(cda: Any) -> PermissionRefused:
    return PermissionRefused(_("Accept the data room's current confidentiality agreement first."),
                             code="cda_required",
                             extra={"cda": {"id": cda.pk, "version": cda.version, "room": cda.room_id}})


# --- rooms ---------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.ROOMS)
class DataRoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Data rooms you own, manage, or hold an active grant to."""

    model = DataRoom
    serializer_class = s.DataRoomSerializer
    filterset_fields = ["asset", "owner_company"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "cda": MANAGE, "engagement": MANAGE}
    may_refuse_reads = True

    def get_base_queryset(self) -> Any:
        return DataRoom.objects.select_related("asset", "owner_company", "current_cda")

    @extend_schema(request=s.DataRoomCreateSerializer, responses={201: s.DataRoomSerializer})
    def create(self, request: Request) -> Response:
        data = s.DataRoomCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = services.room_create(actor=request.user, **data.validated_data)
        return Response(s.DataRoomSerializer(room, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DataRoomUpdateSerializer, responses={200: s.DataRoomSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        room = self.get_object()
        data = s.DataRoomUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.room_update(actor=request.user, room=room, **data.validated_data)
        return Response(s.DataRoomSerializer(room, context={"request": request}).data)

    @extend_schema(request=s.RoomCdaPublishSerializer, responses={201: s.RoomCdaSerializer})
    @action(detail=True, methods=["post"])
    def cda(self, request: Request, pk: Any = None) -> Response:
        """Publish a new version of the room's confidentiality agreement (every partner accepts it again)."""
        room = self.get_object()
        data = s.RoomCdaPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cda = services.cda_publish(actor=request.user, room=room, **data.validated_data)
        return Response(s.RoomCdaSerializer(cda).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomCdaAcceptSerializer, responses={201: s.RoomCdaAcceptanceSerializer})
    @action(detail=True, methods=["post"], url_path="accept-cda")
    def accept_cda(self, request: Request, pk: Any = None) -> Response:
        """Accept the room's current confidentiality agreement (records person, company, version, time, IP)."""
        room = self.get_object()
        data = s.RoomCdaAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        acceptance = services.cda_accept(actor=request.user, room=room, version=data.validated_data["version"],
                                         ip_address=client_ip(request._request))
        return Response(s.RoomCdaAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("export", str, enum=["json", "csv"], required=False)],
        responses={200: s.RoomEngagementRowSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"])
    def engagement(self, request: Request, pk: Any = None) -> Any:
        """Per partner company and per document: views, downloads and last activity (JSON or CSV)."""
        room = self.get_object()
        rows = selectors.engagement_report(room=room)
        if request.query_params.get("export") == "csv":
            buffer = io.StringIO()
            # Names are user input: never let a spreadsheet evaluate them.
            writer = SafeDictWriter(buffer, fieldnames=list(s.RoomEngagementRowSerializer().fields))
            writer.writeheader()
            writer.writerows(rows)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(True, f"engagement-room-{room.pk}.csv")
            response["X-Content-Type-Options"] = "nosniff"
            return response
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(page)


# --- folders --------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.FOLDERS)
class FolderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Folders you may see: the owner's team sees all; a partner only those its grants open."""

    model = Folder
    serializer_class = s.RoomFolderSerializer
    filterset_fields = ["room", "parent"]
    ordering_fields = ["name", "created_at", "held_back"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "destroy": MANAGE}

    def get_base_queryset(self) -> Any:
        return Folder.objects.select_related("room")

    def fields_hidden_from_reader(self) -> set[str]:
        # Partners never learn what is held back (RoomFolderSerializer drops the field for them): whoever lists
        # a folder of a room they are not an insider of may neither order nor filter by it.
        return set() if _insider_of_every_room(self.request, self.get_queryset()) else {"held_back"}

    @extend_schema(request=s.RoomFolderCreateSerializer, responses={201: s.RoomFolderSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomFolderCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = data.validated_data["room"]
        parent = data.validated_data.get("parent")
        folder = services.folder_create(actor=request.user, room=room, parent=parent,
                                        name=data.validated_data["name"], held_back=data.validated_data["held_back"])
        return Response(s.RoomFolderSerializer(folder, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomFolderUpdateSerializer, responses={200: s.RoomFolderSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        folder = self.get_object()
        data = s.RoomFolderUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        folder = services.folder_update(actor=request.user, folder=folder, **data.validated_data)
        return Response(s.RoomFolderSerializer(folder, context={"request": request}).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.folder_delete(actor=request.user, folder=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


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
    hand_out_scope: access.RoomScope | None = None  # read once per hand-out request (restrict)
    may_refuse_reads = True

    def get_base_queryset(self) -> Any:
        return Document.objects.select_related("current_version", "room", "folder")

    def restrict(self, queryset: Any, action: str) -> Any:
        if self.action in ("download", "view"):
            # A hand-out reads the person's standing towards rooms once: the restricted queryset that finds the
            # document and the hand-out check decide from the same reading, taken at the start of this request
            # (nothing is written before the check). Other actions read it per queryset, as everywhere.
            if getattr(self, "hand_out_scope", None) is None:
                self.hand_out_scope = access.room_scope(self.request.user)
            return queryset.for_user(self.request.user, action, scope=self.hand_out_scope)
        return super().restrict(queryset, action)

    def refuse_action(self, obj: Any, action: str) -> None:
        if self.action == "download":
            # Visible but no download-level grant covers it: the hand-out check refuses with its reason
            # (view_only), audited.
            services.document_hand_out_check(actor=self.request.user, document=obj, kind=DocumentAccessKind.DOWNLOAD,
                                             scope=self.hand_out_scope)
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
            cda = access.cda_to_accept_for_room(request.user, int(room))
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
                                             ip_address=client_ip(self.request._request), scope=self.hand_out_scope)
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


# --- getting in ----------------------------------------------------------------------------------------------


@extend_schema_view(**docs.ACCESS_REQUESTS)
class AccessRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Requests for access: the owner's managers see those for their rooms; a partner only its company's own."""

    model = AccessRequest
    serializer_class = s.RoomAccessRequestSerializer
    filterset_fields = ["room", "status"]
    ordering_fields = ["created_at", "status", "decided_at"]
    action_permissions = {"approve": "decide", "deny": "decide", "withdraw": "withdraw"}

    def get_base_queryset(self) -> Any:
        return AccessRequest.objects.select_related("company")

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return [AccessRequestThrottle()] if self.action == "create" else super().get_throttles()

    @extend_schema(request=s.RoomAccessRequestCreateSerializer, responses={201: s.RoomAccessRequestSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomAccessRequestCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        access_request = services.access_request_create(actor=request.user, **data.validated_data)
        return Response(s.RoomAccessRequestSerializer(access_request).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomGrantTermsSerializer, responses={201: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        access_request = self.get_object()
        data = s.RoomGrantTermsSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        grant = services.access_request_approve(actor=request.user, request=access_request, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomDenySerializer, responses={200: s.RoomAccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def deny(self, request: Request, pk: Any = None) -> Response:
        data = s.RoomDenySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access_request = services.access_request_deny(actor=request.user, request=self.get_object(),
                                                      reason=data.validated_data["reason"])
        return Response(s.RoomAccessRequestSerializer(access_request).data)

    @extend_schema(request=None, responses={200: s.RoomAccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        access_request = services.access_request_withdraw(actor=request.user, request=self.get_object())
        return Response(s.RoomAccessRequestSerializer(access_request).data)


@extend_schema_view(**docs.GRANTS)
class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Grants: the owner's managers see and run those of their rooms; a partner sees its company's own."""

    model = AccessGrant
    serializer_class = s.RoomGrantSerializer
    filterset_fields = ["room", "company", "level"]
    ordering_fields = ["created_at", "expires_at", "level"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "revoke": MANAGE, "release_folders": MANAGE}

    def get_base_queryset(self) -> Any:
        return AccessGrant.objects.select_related("company").prefetch_related("folders")

    @extend_schema(request=s.RoomGrantCreateSerializer, responses={201: s.RoomGrantSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomGrantCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        grant = services.grant_create(actor=request.user, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomGrantUpdateSerializer, responses={200: s.RoomGrantSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        grant = self.get_object()
        data = s.RoomGrantUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.grant_update(actor=request.user, grant=grant, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data)

    @extend_schema(request=None, responses={200: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        """Ends the grant now: the partner's very next request is refused."""
        grant = services.grant_revoke(actor=request.user, grant=self.get_object())
        return Response(s.RoomGrantSerializer(grant).data)

    @extend_schema(request=s.RoomReleaseFoldersSerializer, responses={200: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"], url_path="release-folders")
    def release_folders(self, request: Request, pk: Any = None) -> Response:
        """Staged disclosure: open held-back folders to this partner."""
        grant = self.get_object()
        data = s.RoomReleaseFoldersSerializer(data=request.data, context={"room_id": grant.room_id})
        data.is_valid(raise_exception=True)
        grant = services.grant_release_folders(actor=request.user, grant=grant, folders=data.validated_data["folders"])
        return Response(s.RoomGrantSerializer(grant).data)


# --- Q&A ------------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.QUESTIONS)
class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Diligence questions: each partner sees its own and the published FAQ, never another partner's."""

    model = Question
    serializer_class = s.RoomQuestionSerializer
    filterset_fields = ["room", "document", "is_faq"]
    ordering_fields = ["created_at", "answered_at", "company", "asked_by"]
    action_permissions = {"answer": "answer", "publish": "publish"}

    def get_base_queryset(self) -> Any:
        return Question.objects.select_related("room")

    def fields_hidden_from_reader(self) -> set[str]:
        # Who asked is shown to the room's insiders and to the asking company only (RoomQuestionSerializer): a
        # partner who can list another partner's FAQ entry may neither order nor filter by who asked.
        user = self.request.user
        if user.is_staff:
            return set()
        mine = company_ids_of(user)
        others = self.get_queryset().exclude(company_id__in=mine).exclude(room__owner_company_id__in=mine)
        return {"company", "asked_by"} if others.exists() else set()

    @extend_schema(request=s.RoomQuestionCreateSerializer, responses={201: s.RoomQuestionSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomQuestionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = data.validated_data["room"]
        document = data.validated_data.get("document")
        question = services.question_ask(actor=request.user, room=room, document=document,
                                         text=data.validated_data["text"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomAnswerSerializer, responses={200: s.RoomQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        question = self.get_object()
        data = s.RoomAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_answer(actor=request.user, question=question, answer=data.validated_data["answer"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data)

    @extend_schema(request=s.RoomPublishSerializer, responses={200: s.RoomQuestionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Publish (or withdraw) the answered question as a FAQ entry for every partner, anonymously."""
        question = self.get_object()
        data = s.RoomPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_publish(actor=request.user, question=question,
                                             publish=data.validated_data["publish"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data)


@extend_schema_view(**docs.DOWNLOADS)
class DownloadTraceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """A download id (printed on every watermarked page) leads the room's managers to who took what, when."""

    model = DocumentAccess
    serializer_class = s.RoomDownloadTraceSerializer
    lookup_field = "download_id"
    filterset_fields = ["room", "document", "company", "kind"]
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> Any:
        return DocumentAccess.objects.select_related("user", "company", "version")

