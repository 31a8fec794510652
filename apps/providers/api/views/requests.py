"""Service requests (RFPs) and their confidential attachments."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog.models import Asset
from apps.companies.models import Company, CompanyKind
from apps.core.api.filters import FilterSet
from apps.core.api.schema import doc
from apps.core.authz import VIEW
from apps.core.errors import ValidationFailed
from apps.providers import attachments, selectors, services
from apps.providers.api import documented
from apps.providers.api import serializers as s
from apps.providers.api.views.common import MarketplaceViewSet, _unknown, _visible
from apps.providers.models import (
    Proposal,
    RequestAttachment,
    RequestAudience,
    RequestQuestion,
    ServiceRequest,
)

# --- service requests -----------------------------------------------------------------------------------------


class RequestFilter(FilterSet):
    class Meta:
        model = ServiceRequest
        fields = ["status", "category", "visibility"]


@extend_schema_view(
    list=doc(summary=_("List service requests"),
             description=_("Your company's own requests and those your provider company was invited to or matched; "
                           "filter by `status`, `category` or `visibility`.")),
    retrieve=doc(summary=_("Read a service request"),
             description=_("One request you may see. Only the requester's people see its audience (which providers were"
                           " asked).")),
)
class ServiceRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Service requests (RFPs): your company's own, and those your provider company was invited to or matched.
    Contributors of the requester open and edit them; its owners and admins award and decline."""

    model = ServiceRequest
    serializer_class = s.RequestSerializer
    filterset_class = RequestFilter
    ordering_fields = ["created_at", "deadline"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": "manage", "invite": "manage", "cancel": "manage", "compare": "compare",
                          "attachments_upload": "manage"}

    def get_base_queryset(self) -> QuerySet:
        return ServiceRequest.objects.select_related("company").prefetch_related(
            Prefetch("audience", queryset=RequestAudience.objects.select_related("company").order_by("id")))

    def _detail(self, obj: ServiceRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_base_queryset().get(pk=obj.pk)).data, status=code)

    @doc(summary=_("Open a service request"),
         description=_("A contributor of a verified biotech asks for a service: category, jurisdictions, scope, "
                       "timeline, budget, deadline for proposals, optionally one of its assets and confidentiality "
                       "terms. Invited providers are told; with visibility `open` every verified provider whose "
                       "categories and jurisdictions match sees it and is told."),
         errors={404: ["not_found"],
                 400: ["deadline_in_past", "providers_required", "terms_incomplete", "invalid_range",
                       "invalid_amount", "invalid_territory", "unknown_territory", "wrong_company",
                       "invalid_invitee"],
                 403: ["not_a_requester"]},
         request=s.RequestCreateSerializer, responses={201: s.RequestSerializer})
    def create(self, request: Request) -> Response:
        """Open a request: invited providers only, or open to every verified provider that matches (told at once)."""
        serializer = s.RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        data["company"] = _visible(Company.objects.for_user(user, VIEW), data.get("company"), "company")
        data["asset"] = _visible(Asset.objects.for_user(user, VIEW), data.get("asset"), "asset")
        ids = data.pop("providers", [])
        providers = list(Company.objects.for_user(user, VIEW).filter(pk__in=ids, kind=CompanyKind.SERVICE_PROVIDER))
        if len(providers) != len(set(ids)):
            raise _unknown("providers")
        obj = self.write_visible(lambda: services.request_create(actor=user, providers=providers, **data))
        return self._detail(obj, status.HTTP_201_CREATED)

    @doc(summary=_("Edit an open service request"),
         description=_("The requester's contributors change the title, scope, timeline, budget, deadline or "
                       "confidentiality terms of an open request. New terms are a new version: invited providers must "
                       "accept it again before the attachments open to them."),
         errors={400: ["deadline_in_past", "terms_incomplete", "invalid_range", "invalid_amount"],
                 409: ["request_not_open"]},
         request=s.RequestUpdateSerializer, responses={200: s.RequestSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        """Edit an open request; new confidentiality terms must be accepted again."""
        obj = self.get_object()
        serializer = s.RequestUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._detail(services.request_update(actor=request.user, request=obj, **serializer.validated_data))

    @doc(summary=_("Invite providers to a request"),
         description=_("The requester's contributors add verified service providers to the audience of an open request;"
                       " each is told once. Ids you may not see answer like missing ones."),
         errors={400: ["invalid_invitee", "providers_required"], 409: ["request_not_open"]},
         request=s.InviteSerializer, responses={200: s.RequestSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: Any = None) -> Response:
        """Invite more verified providers (each is told)."""
        obj = self.get_object()
        serializer = s.InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["providers"]
        providers = list(Company.objects.for_user(request.user, VIEW).filter(
            pk__in=ids, kind=CompanyKind.SERVICE_PROVIDER))
        if len(providers) != len(set(ids)):
            raise _unknown("providers")
        services.request_invite(actor=request.user, request=obj, providers=providers)
        return self._detail(obj)

    @doc(summary=_("Cancel a service request"),
         description=_("The requester's contributors cancel an open request that has no award; it stops taking "
                       "proposals and questions."),
         errors={409: ["request_not_open"]},
         request=None, responses={200: s.RequestSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        """Cancel an open request without an award."""
        return self._detail(services.request_cancel(actor=request.user, request=self.get_object()))

    @doc(summary=_("Accept a request's confidentiality terms"),
         description=_("A person of an invited provider accepts the version of the terms they read (it must be the "
                       "current one). From then on they read the request's confidential attachments."),
         errors={403: ["not_invited"], 409: ["no_terms", "terms_outdated"]},
         request=s.AcceptTermsSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="accept-terms")
    def accept_terms(self, request: Request, pk: Any = None) -> Response:
        """An invited provider's person accepts the current confidentiality terms (the version read)."""
        obj = self.get_object()
        serializer = s.AcceptTermsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from apps.core.middleware import client_ip

        services.terms_accept(actor=request.user, request=obj, version=serializer.validated_data["version"],
                              ip_address=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @doc(summary=_("Compare the proposals of a request"),
         description=_("The requester's people see every live proposal side by side: provider, price, currency and the "
                       "amount in USD at the latest dated exchange rate on `on` (default today), payment milestones, "
                       "timeline, team and assumptions. A currency without a rate is listed in `missing_rates`, never "
                       "guessed."),
         errors={},
         parameters=[OpenApiParameter("on", datetime.date, description="date of the exchange rates "
                                                                                   "(default: today)")],
                   responses={200: s.CompareSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def compare(self, request: Request, pk: Any = None) -> Response:
        """All live proposals side by side, amounts also in USD at the dated rates (the requester's people)."""
        obj = self.get_object()
        on = None
        if request.query_params.get("on"):
            try:
                on = datetime.date.fromisoformat(request.query_params["on"])
            except ValueError:
                raise ValidationFailed(_("A date is written YYYY-MM-DD."), code="invalid",
                                       fields={"on": [_("Invalid date.")]}) from None
        return Response(s.CompareSerializer(selectors.proposals_compared(user=request.user, request=obj,
                                                                         on=on)).data)

    @doc(summary=_("List the proposals of a request"),
         description=_("All proposals for the requester's people; only its own proposal for a provider (bidder "
                       "isolation)."),
         errors={},
         responses={200: s.ProposalSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def proposals(self, request: Request, pk: Any = None) -> Response:
        """Proposals of this request you may read: all of them for the requester, your own for a provider."""
        obj = self.get_object()
        queryset = (Proposal.objects.for_user(request.user, VIEW).filter(request=obj)
                    .select_related("company", "current_version").order_by("created_at", "id"))
        return self._paged(queryset, s.ProposalSerializer)

    @doc(summary=_("Send a proposal"),
         description=_("A contributor of a provider in the request's audience sends its company's one proposal before "
                       "the deadline: fixed price or time and materials, Decimal amount as a string, currency, payment "
                       "milestones, timeline, team, assumptions."),
         errors={400: ["milestones_total", "invalid_amount", "required"],
                 # A reader of the request who is not a contributor of a provider in its audience.
                 403: ["permission_denied"],
                 409: ["deadline_passed", "request_not_open", "proposal_exists"]},
         request=s.ProposalTermsSerializer, responses={201: s.ProposalSerializer})
    @proposals.mapping.post
    def submit_proposal(self, request: Request, pk: Any = None) -> Response:
        """A provider of the audience submits its proposal before the deadline."""
        obj = self.get_object()
        serializer = s.ProposalTermsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.proposal_submit(actor=request.user, request=obj, **serializer.validated_data)
        proposal = Proposal.objects.select_related("company", "current_version").get(pk=proposal.pk)
        return Response(s.ProposalSerializer(proposal, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("List the clarification questions of a request"),
         description=_("All of them for the requester's people; for a provider its own questions and the answers "
                       "published to all bidders, never who asked them."),
         errors={},
         responses={200: s.QuestionSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def questions(self, request: Request, pk: Any = None) -> Response:
        """Clarification questions you may read: all for the requester; your own and published ones for a
        provider (never who asked them)."""
        obj = self.get_object()
        queryset = (RequestQuestion.objects.for_user(request.user, VIEW).filter(request=obj)
                    .select_related("request", "company").order_by("created_at", "id"))
        return self._paged(queryset, s.QuestionSerializer)

    @doc(summary=_("Ask a clarification question"),
         description=_("A provider of the request's audience asks; only it and the requester see the question until the"
                       " requester publishes the answer to all bidders."),
         errors={403: ["permission_denied"], 409: ["request_not_open"]},
         request=s.QuestionCreateSerializer, responses={201: s.QuestionSerializer})
    @questions.mapping.post
    def ask(self, request: Request, pk: Any = None) -> Response:
        """A provider of the audience asks a clarification question."""
        obj = self.get_object()
        serializer = s.QuestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.question_ask(actor=request.user, request=obj, text=serializer.validated_data["text"])
        return Response(s.QuestionSerializer(question, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("List a request's confidential attachments"),
         description=_("The requester's people, and people of invited providers who accepted the current "
                       "confidentiality terms, see the attachments; everyone else gets an empty list."),
         errors={},
         responses={200: s.AttachmentSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None,
            parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request: Request, pk: Any = None) -> Response:
        """Confidential attachments: the requester's people, and invited providers who accepted the current terms."""
        obj = self.get_object()
        queryset = RequestAttachment.objects.for_user(request.user, VIEW).filter(request=obj)
        return Response(s.AttachmentSerializer(queryset, many=True).data)

    @doc(summary=_("Attach a confidential file to a request"),
         description=_("The requester's contributors upload a file as multipart form data (field `file`); it passes the"
                       " data rooms' upload gate (type by content, size, active content) or nothing is stored."),
         errors={**documented.UPLOAD_ERRORS, 400: [*documented.UPLOAD_ERRORS.get(400, []), "file_required"]},
         request={"multipart/form-data": s.AttachmentUploadSerializer},
                   responses={201: s.AttachmentSerializer})
    @attachments.mapping.post
    def attachments_upload(self, request: Request, pk: Any = None) -> Response:
        """The requester's contributors attach a confidential file (checked by the data rooms' upload gate)."""
        obj = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Send the file as multipart form data, field 'file'."), code="file_required",
                                   fields={"file": [_("Required.")]})
        attachment = attachments.attachment_upload(actor=request.user, request=obj, f=upload, filename=upload.name)
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=doc(summary=_("Read a request attachment"),
             description=_("The name, type, size and checksum of one confidential attachment you may read.")),
)
class AttachmentViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, MarketplaceViewSet):
    """One confidential attachment of a request: its metadata, its bytes, or (requester) its removal."""

    model = RequestAttachment
    serializer_class = s.AttachmentSerializer
    filter_backends: list[Any] = []
    http_method_names = ["get", "delete", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return RequestAttachment.objects.select_related("request")

    @doc(summary=_("Download a request attachment"),
         description=_("The file's bytes, for the requester's people and for invited providers who accepted the current"
                       " terms; every download is audited."),
         errors={},
         responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> Any:
        """The file's bytes (audited)."""
        return attachments.attachment_download(actor=request.user, attachment=self.get_object())

    @doc(summary=_("Delete a request attachment"),
         description=_("The requester's contributors remove an attachment; its bytes are deleted after the change "
                       "commits."), errors={}, responses={204: None})
    def destroy(self, request: Request, pk: Any = None) -> Response:
        attachments.attachment_delete(actor=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
