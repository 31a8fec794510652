"""Clarification questions, engagements with their payment milestones, and reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.schema import doc
from apps.core.authz import VIEW
from apps.providers import services
from apps.providers.api import serializers as s
from apps.providers.api.views.common import MarketplaceViewSet, _engagements, _grant_args, _visible
from apps.providers.models import (
    Engagement,
    EngagementMilestone,
    RequestQuestion,
    Review,
)

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
        review = self.write_visible(lambda: services.review_create(actor=request.user, engagement=engagement, **data))
        return Response(self.get_serializer(self.get_base_queryset().get(pk=review.pk)).data,
                        status=status.HTTP_201_CREATED)
