"""Provider marketplace API: views wire requests to services (writes) and selectors (reads), nothing more.

Ids in bodies (companies to invite, an asset, a data room, folders, an engagement) resolve through the caller's
own restricted querysets: an id the caller may not see answers exactly like an id that does not exist."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog.models import Asset
from apps.companies.models import Company, CompanyKind, company_ids_of
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet
from apps.core.authz import VIEW
from apps.core.errors import ValidationFailed
from apps.datarooms.models import DataRoom, Folder

from .. import attachments, selectors, services
from ..models import (
    Engagement,
    EngagementMilestone,
    Proposal,
    ProposalVersion,
    ProviderProfile,
    RequestAttachment,
    RequestAudience,
    RequestQuestion,
    Review,
    ServiceRequest,
)
from ..taxonomy import ServiceCategory
from . import rules
from . import serializers as s
from .filters import ProviderFilter


def _unknown(field: str) -> serializers.ValidationError:
    """The answer of apps.core.api.fields.VisibleRelatedField for an id that is missing or that the caller may not
    see: the shared handler turns it into 404 `not_found`, the same body for both (the id is never repeated)."""
    return serializers.ValidationError({field: [serializers.ErrorDetail(str(_("Not found.")), code="does_not_exist")]})


def _visible(queryset: QuerySet, pk: Any, field: str) -> Any:
    """The object with `pk` inside the caller's restricted `queryset`, or the same 400 as for a missing id."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise _unknown(field)
    return obj


class MarketplaceViewSet(GuardedViewSet):
    """Puts the reader's company ids in the serializer context (bidder isolation in the shapes)."""

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user = self.request.user
        if not hasattr(self, "_company_ids"):
            self._company_ids = (set(company_ids_of(user).values_list("company_id", flat=True))
                                 if user.is_authenticated else set())
        context["company_ids"] = self._company_ids
        context["is_staff"] = bool(getattr(user, "is_staff", False))
        return context

    def _paged(self, queryset: QuerySet, serializer_class: Any) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


# --- providers ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=doc(summary=_("Search service providers"),
             description=_("Verified service providers (your own company's profile in any state): full-text search `q` "
                           "in English and Chinese, filters on category, jurisdiction, agency, area, modality, "
                           "language, inspection or certification, price and rating."),
             errors={400: ["invalid_amount", "invalid_territory"]}),
    retrieve=doc(summary=_("Read a provider profile"),
             description=_("One verified provider's bilingual profile with its records and the average and count of its"
                           " reviews.")),
)
class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Verified service providers: search (English and Chinese) and filters on every structured field. A provider's
    own people edit its profile (owners and admins); staff verify the company in the console."""

    model = ProviderProfile
    serializer_class = s.ProviderSerializer
    filterset_class = ProviderFilter
    ordering_fields = ["updated_at", "rating_count", "company__name_en"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return selectors.providers_base()

    @doc(summary=_("Open your provider profile"),
         description=_("An owner or admin of a company of kind service_provider opens its one bilingual profile: "
                       "categories, jurisdictions (region or country codes), agencies, areas, modalities, languages, "
                       "indicative prices, inspection and certification records. Biotechs see it once staff verified "
                       "the company."),
         errors={404: ["not_found"], 400: ["unknown_code", "required", "invalid_range", "invalid_amount",
                       "invalid_territory", "unknown_territory", "not_a_service_provider"],
                 409: ["profile_exists"]},
         request=s.ProviderCreateSerializer, responses={201: s.ProviderSerializer})
    def create(self, request: Request) -> Response:
        """Open your service-provider company's profile (one per company)."""
        serializer = s.ProviderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        company = _visible(Company.objects.for_user(request.user, VIEW), data.pop("company"), "company")
        with transaction.atomic():
            profile = services.profile_create(actor=request.user, company=company, **data)
            self.recheck_visible(profile)
        return Response(self.get_serializer(self.get_base_queryset().get(pk=profile.pk)).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("Edit your provider profile"),
         description=_("Owners and admins of the provider change any field; `records` replaces the list. Open requests "
                       "the profile now matches become visible to the provider, which is told."),
         errors={400: ["unknown_code", "required", "invalid_range", "invalid_amount", "invalid_territory",
                       "unknown_territory"]},
         request=s.ProviderUpdateSerializer, responses={200: s.ProviderSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        """Edit your profile (owners and admins of the provider)."""
        profile = self.get_object()
        serializer = s.ProviderUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(actor=request.user, profile=profile, **serializer.validated_data)
        return Response(self.get_serializer(self.get_base_queryset().get(pk=profile.pk)).data)

    @doc(summary=_("List the service categories"),
         description=_("The one taxonomy of services (US Agent, EU legal representative, NMPA agent, CRO, CDMO, "
                       "pharmacovigilance, IP counsel, market access, translation...), each label in the reader's "
                       "language and in both."),
         errors={},
         responses={200: s.CategorySerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def categories(self, request: Request) -> Response:
        """The service categories, in the reader's language and in both."""
        from django.utils import translation

        rows = []
        for code, label in ServiceCategory.choices:
            with translation.override("en"):
                label_en = str(label)
            with translation.override("zh-hans"):
                label_zh = str(label)
            rows.append({"code": code, "label": str(label), "label_en": label_en, "label_zh": label_zh})
        return Response(rows)


# --- service requests -----------------------------------------------------------------------------------------


class RequestFilter(filters.FilterSet):
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
        with transaction.atomic():
            obj = services.request_create(actor=user, providers=providers, **data)
            self.recheck_visible(obj)
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
         errors={**rules.UPLOAD_ERRORS, 400: [*rules.UPLOAD_ERRORS.get(400, []), "file_required"]},
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


# --- proposals ------------------------------------------------------------------------------------------------


class ProposalFilter(filters.FilterSet):
    class Meta:
        model = Proposal
        fields = ["request", "status"]


@extend_schema_view(
    list=doc(summary=_("List proposals"),
             description=_("Proposals you may read: your provider company's own, and every proposal to your company's "
                           "requests. Filter by `request` or `status`.")),
    retrieve=doc(summary=_("Read a proposal"),
             description=_("One proposal with its current version; the decline reason in your language once "
                           "declined.")),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Proposals: a provider reads its own only; the requester reads every proposal to its requests."""

    model = Proposal
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["created_at", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"revise": "revise", "withdraw": "revise", "award": "decide", "decline": "decide"}

    def get_base_queryset(self) -> QuerySet:
        return Proposal.objects.select_related("company", "current_version")

    def _detail(self, obj: Proposal) -> Response:
        return Response(self.get_serializer(self.get_base_queryset().get(pk=obj.pk)).data)

    @doc(summary=_("List the versions of a proposal"),
         description=_("Every submitted version of the proposal, oldest first, each immutable."),
         errors={},
         responses={200: s.ProposalVersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request: Request, pk: Any = None) -> Response:
        """Every version of the proposal, oldest first."""
        proposal = self.get_object()
        versions = ProposalVersion.objects.for_user(request.user, VIEW).filter(proposal=proposal).order_by("number")
        return Response(s.ProposalVersionSerializer(versions, many=True).data)

    @doc(summary=_("Revise your proposal"),
         description=_("A contributor of the provider sends a new version of its submitted proposal before the "
                       "deadline; earlier versions are kept."),
         errors={400: ["milestones_total", "invalid_amount", "required"],
                 409: ["deadline_passed", "request_not_open", "proposal_not_submitted"]},
         request=s.ProposalTermsSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        """A new version of your proposal, until the deadline."""
        proposal = self.get_object()
        serializer = s.ProposalTermsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.proposal_revise(actor=request.user, proposal=proposal, **serializer.validated_data)
        return self._detail(proposal)

    @doc(summary=_("Withdraw your proposal"),
         description=_("The provider takes back a proposal that is not decided yet."),
         errors={409: ["proposal_not_submitted"]},
         request=None, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        """Take back your proposal before a decision."""
        return self._detail(services.proposal_withdraw(actor=request.user, proposal=self.get_object()))

    @doc(summary=_("Award a proposal"),
         description=_("The requester's owners and admins award a proposal (several, for split scopes). An engagement "
                       "starts with the proposal's price and payment milestones and, when `grant` is given, a data-room"
                       " grant for the provider through the data rooms' grant rules."),
         errors={400: ["wrong_company", "expiry_in_past", "folders_required", "company_not_verified"],
                 409: ["proposal_not_submitted", "request_not_open"]},
         request=s.AwardSerializer, responses={201: s.EngagementSerializer})
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: Any = None) -> Response:
        """Award the proposal: an engagement starts (optionally with a data-room grant for the provider)."""
        proposal = self.get_object()
        serializer = s.AwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grant = data.pop("grant", None)
        if grant is not None:
            grant = _grant_args(request.user, dict(grant))
        engagement = services.proposal_award(actor=request.user, proposal=proposal, grant=grant, **data)
        return Response(s.EngagementSerializer(_engagements().get(pk=engagement.pk)).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("Decline a proposal"),
         description=_("The requester's owners and admins decline with a structured reason (price, timeline, "
                       "capability, scope, other) and an optional note; the provider reads the reason in its own "
                       "language."),
         errors={400: ["reason_required"], 409: ["proposal_not_submitted"]},
         request=s.DeclineSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        """Decline with a structured reason (price, timeline, capability, scope, other) and an optional note."""
        proposal = self.get_object()
        serializer = s.DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._detail(services.proposal_decline(actor=request.user, proposal=proposal,
                                                      **serializer.validated_data))


def _grant_args(user: Any, grant: dict[str, Any]) -> dict[str, Any]:
    grant["room"] = _visible(DataRoom.objects.for_user(user, "manage"), grant["room"], "room")
    folder_ids = grant.pop("folders", []) or []
    folders = list(Folder.objects.for_user(user, VIEW).filter(pk__in=folder_ids))
    if len(folders) != len(set(folder_ids)):
        raise _unknown("folders")
    grant["folders"] = folders
    return grant


# --- questions ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=doc(summary=_("List clarification questions"),
             description=_("Questions you may read: the requester sees all; a provider its own and those published to "
                           "all bidders, never who asked.")),
    retrieve=doc(summary=_("Read a clarification question"),
             description=_("One question with its answer; the asking company is named to the requester's people "
                           "only.")),
)
class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Clarification questions you may read; the requester answers privately or publishes to all bidders."""

    model = RequestQuestion
    serializer_class = s.QuestionSerializer
    filterset_fields = ["request", "published"]
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"answer": "answer"}

    def get_base_queryset(self) -> QuerySet:
        return RequestQuestion.objects.select_related("request", "company")

    @doc(summary=_("Answer a clarification question"),
         description=_("The requester's contributors answer privately (the asker is told) or with `publish: true` to "
                       "every bidder of the request, without the asker's identity."),
         errors={400: ["answer_required"]},
         request=s.AnswerSerializer, responses={200: s.QuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        """Answer (privately, or published to all bidders without the asker's identity)."""
        question = self.get_object()
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.question_answer(actor=request.user, question=question, **serializer.validated_data)
        return Response(self.get_serializer(self.get_base_queryset().get(pk=question.pk)).data)


# --- engagements ----------------------------------------------------------------------------------------------


def _engagements() -> QuerySet:
    return Engagement.objects.select_related("requester", "provider", "grant").prefetch_related(
        Prefetch("milestones", queryset=EngagementMilestone.objects.order_by("position")))


@extend_schema_view(
    list=doc(summary=_("List engagements"),
             description=_("Awarded work your company takes part in, as requester or provider. Filter by `status` or "
                           "`request`.")),
    retrieve=doc(summary=_("Read an engagement"),
             description=_("Scope, price, payment milestones and the data-room grant of one engagement of your "
                           "company.")),
)
class EngagementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Awarded work, read by both companies. The requester's owners and admins grant and revoke data-room access
    and complete it."""

    model = Engagement
    serializer_class = s.EngagementSerializer
    filterset_fields = ["status", "request"]
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"complete": "manage", "grant": "manage", "revoke_grant": "manage"}

    def get_base_queryset(self) -> QuerySet:
        return _engagements()

    def _detail(self, obj: Engagement) -> Response:
        return Response(self.get_serializer(self.get_base_queryset().get(pk=obj.pk)).data)

    @doc(summary=_("Complete an engagement"),
         description=_("The requester's owners and admins close the awarded work as completed; both sides may then "
                       "review each other once."),
         errors={409: ["engagement_not_active"]},
         request=None, responses={200: s.EngagementSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Close the work as completed; both sides may then review each other once."""
        return self._detail(services.engagement_complete(actor=request.user, engagement=self.get_object()))

    @doc(summary=_("Open a data room to the engaged provider"),
         description=_("The requester's owners and admins grant the provider access to one of their data rooms (whole "
                       "room or chosen folders, view or download, until an expiry): watermarks, the export gate, "
                       "expiry, revocation and the audit trail apply as to any partner."),
         errors={400: ["wrong_company", "expiry_in_past", "folders_required", "company_not_verified"],
                 409: ["engagement_not_active", "grant_exists"]},
         request=s.GrantInputSerializer, responses={200: s.EngagementSerializer})
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk: Any = None) -> Response:
        """Open one of your data rooms (folders, view or download, until an expiry) to the provider."""
        engagement = self.get_object()
        serializer = s.GrantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.engagement_grant(actor=request.user, engagement=engagement,
                                  **_grant_args(request.user, dict(serializer.validated_data)))
        return self._detail(engagement)

    @doc(summary=_("Revoke the engaged provider's data-room access"),
         description=_("Ends the engagement's data-room grant: the provider's very next request is refused."),
         errors={409: ["no_grant"]},
         request=None, responses={200: s.EngagementSerializer})
    @action(detail=True, methods=["post"], url_path="revoke-grant")
    def revoke_grant(self, request: Request, pk: Any = None) -> Response:
        """Revoke the provider's data-room grant: effective on its very next request."""
        engagement = self.get_object()
        services.engagement_revoke_grant(actor=request.user, engagement=engagement)
        return self._detail(engagement)


@extend_schema_view(
    list=doc(summary=_("List engagement milestones"),
             description=_("Payment milestones of your company's engagements. Filter by `engagement` or `status`.")),
    retrieve=doc(summary=_("Read an engagement milestone"),
             description=_("One payment milestone with the time of each step.")),
)
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Payment milestones of engagements: the provider delivers and invoices, the requester accepts and pays."""

    model = EngagementMilestone
    serializer_class = s.EngagementMilestoneSerializer
    filterset_fields = ["engagement", "status"]
    ordering_fields = ["position"]
    http_method_names = ["get", "post", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return EngagementMilestone.objects.select_related("engagement")

    def _step(self, service: Any) -> Response:
        milestone = service(actor=self.request.user, milestone=self.get_object())
        return Response(self.get_serializer(self.get_base_queryset().get(pk=milestone.pk)).data)

    @doc(summary=_("Mark a milestone delivered"),
         description=_("A contributor of the provider marks a planned milestone's work delivered; the requester is "
                       "told."),
         errors={403: ["wrong_side"], 409: ["milestone_out_of_order", "engagement_not_active"]},
         request=None, responses={200: s.EngagementMilestoneSerializer})
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: Any = None) -> Response:
        """The provider marks the work delivered."""
        return self._step(services.milestone_deliver)

    @doc(summary=_("Accept a delivered milestone"),
         description=_("A contributor of the requester accepts the delivered work; the provider is told."),
         errors={403: ["wrong_side"], 409: ["milestone_out_of_order", "engagement_not_active"]},
         request=None, responses={200: s.EngagementMilestoneSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        """The requester accepts the delivered work."""
        return self._step(services.milestone_accept)

    @doc(summary=_("Invoice an accepted milestone"),
         description=_("A contributor of the provider records the invoice of an accepted milestone; the requester is "
                       "told."),
         errors={403: ["wrong_side"], 409: ["milestone_out_of_order", "engagement_not_active"]},
         request=None, responses={200: s.EngagementMilestoneSerializer})
    @action(detail=True, methods=["post"])
    def invoice(self, request: Request, pk: Any = None) -> Response:
        """The provider invoices the accepted milestone."""
        return self._step(services.milestone_invoice)

    @doc(summary=_("Record a milestone's payment"),
         description=_("A contributor of the requester records the payment of an invoiced milestone; the provider is "
                       "told."),
         errors={403: ["wrong_side"], 409: ["milestone_out_of_order", "engagement_not_active"]},
         request=None, responses={200: s.EngagementMilestoneSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: Any = None) -> Response:
        """The requester records the payment."""
        return self._step(services.milestone_pay)


# --- reviews --------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=doc(summary=_("List reviews"),
             description=_("Reviews after completed engagements; hidden ones only to the two companies and staff. "
                           "Filter by `subject_company` or `engagement`.")),
    retrieve=doc(summary=_("Read a review"),
             description=_("One review; the reason staff hid it is shown to its author's company.")),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Reviews after completed engagements (hidden ones only to the two companies and staff)."""

    model = Review
    serializer_class = s.ReviewSerializer
    filterset_fields = ["subject_company", "engagement"]
    ordering_fields = ["created_at", "rating"]
    http_method_names = ["get", "post", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return Review.objects.select_related("author_company", "subject_company")

    @doc(summary=_("Review an engagement"),
         description=_("Each side of a completed engagement reviews the other once: a rating from 1 to 5 and a text. A "
                       "provider's profile shows its average and count."),
         errors={404: ["not_found"], 403: ["not_a_party"], 409: ["engagement_not_completed", "review_exists"]},
         request=s.ReviewCreateSerializer, responses={201: s.ReviewSerializer})
    def create(self, request: Request) -> Response:
        """Review the other side of a completed engagement, once per company."""
        serializer = s.ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        engagement = _visible(Engagement.objects.for_user(request.user, VIEW), data.pop("engagement"), "engagement")
        with transaction.atomic():
            review = services.review_create(actor=request.user, engagement=engagement, **data)
            self.recheck_visible(review)
        return Response(self.get_serializer(self.get_base_queryset().get(pk=review.pk)).data,
                        status=status.HTTP_201_CREATED)
