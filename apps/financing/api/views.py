"""The financing API: investor theses, rounds (teaser and core), the book. Views wire requests to selectors and
services; every read goes through the restricted querysets of apps.core.authz."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog.api.serializers import ReasonSerializer, RequiredReasonSerializer
from apps.catalog.models import Asset, Modality, TherapeuticArea
from apps.companies.models import Company
from apps.core.api.filters import FilterBackend
from apps.core.api.pagination import CursorPagination
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import ValidationFailed
from apps.financing import selectors, services
from apps.financing.api import serializers as s
from apps.financing.matching import recommend
from apps.financing.models import (
    BIOTECH_SIDE,
    INVESTOR_SIDE,
    VIEW_BOOK,
    BookEntry,
    EntryStage,
    Instrument,
    InvestorProfile,
    Round,
    RoundStage,
    RoundStatus,
)

MAX_QUERY_LENGTH = 200


class NewestFirst(CursorPagination):
    """Cursor pages: no COUNT over the permission filter, constant queries whatever the page size (B12)."""

    ordering = ("-created_at", "-id")  # type: ignore[assignment]  # DRF accepts a tuple


def _once(request: Request, *names: str) -> None:
    for name in names:
        if len(request.query_params.getlist(name)) > 1:
            raise ValidationFailed(_("Give this parameter once."), fields={name: [_("Give this parameter once.")]})


# --- investor profiles -----------------------------------------------------------------------------------

class InvestorProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Investor theses: read by verified biotechs (contact details only for companies the investor engaged with),
    written by the investor's contributors."""

    model = InvestorProfile
    serializer_class = s.InvestorProfileSerializer
    filter_backends = [FilterBackend]
    filterset_fields = ["company"]
    pagination_class = NewestFirst
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": "change"}

    def get_base_queryset(self) -> QuerySet:
        return InvestorProfile.objects.select_related("company")

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return selectors.with_contact_flag(queryset, self.request.user)

    def paginate_queryset(self, queryset: Any) -> Any:
        self.paginator.ordering = ("-updated_at", "-id")  # type: ignore[union-attr]
        return super().paginate_queryset(queryset)

    def _read(self, profile: InvestorProfile, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.InvestorProfileSerializer(self.get_queryset().get(pk=profile.pk)).data, status=code)

    @extend_schema(request=s.InvestorProfileWriteSerializer, responses={201: s.InvestorProfileSerializer})
    def create(self, request: Request) -> Response:
        """Create or replace your investor company's thesis (one per company)."""
        data = s.InvestorProfileWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.investor_profile_save(actor=request.user, **data.validated_data)
        self.recheck_visible(profile)
        return self._read(profile, status.HTTP_201_CREATED)

    @extend_schema(request=s.InvestorProfileWriteSerializer, responses={200: s.InvestorProfileSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        profile = self.get_object()
        data = s.InvestorProfileWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("company", None)
        profile = services.investor_profile_save(actor=request.user, company=profile.company, **fields)
        return self._read(profile)


# --- rounds ----------------------------------------------------------------------------------------------

class RoundFilter(django_filters.FilterSet):
    """Teaser fields only: every reader may filter by what every reader may read."""

    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH, label=_("Search"),
                                  help_text=_("Words in the teaser (English or Chinese): name, summary, use of "
                                              "proceeds."))
    status = django_filters.MultipleChoiceFilter(choices=RoundStatus.choices, label=_("Status"))
    stage = django_filters.MultipleChoiceFilter(choices=RoundStage.choices, label=_("Round stage"))
    instrument = django_filters.MultipleChoiceFilter(choices=Instrument.choices, label=_("Instrument"))
    area = django_filters.MultipleChoiceFilter(choices=TherapeuticArea.choices, method="filter_area",
                                               label=_("Therapeutic area"))
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, method="filter_modality",
                                                   label=_("Modality"))

    class Meta:
        model = Round
        fields = ["q", "status", "stage", "instrument", "area", "modality"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from apps.catalog.search import escape_like

        text = " ".join(value.split())[:MAX_QUERY_LENGTH]
        if not text:
            return queryset
        condition = Q()
        for word in text.split(" ")[:8]:  # every word somewhere in the teaser
            word = escape_like(word)
            condition &= (Q(name_en__icontains=word) | Q(name_zh__icontains=word) | Q(summary_en__icontains=word)
                          | Q(summary_zh__icontains=word) | Q(use_of_proceeds_en__icontains=word)
                          | Q(use_of_proceeds_zh__icontains=word))
        return queryset.filter(condition)

    def filter_area(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(therapeutic_areas__has_any=value) if value else queryset

    def filter_modality(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(modalities__has_any=value) if value else queryset


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Financing rounds. Verified investors read published teasers; the protected core only the raising company,
    staff and admitted investors (book entry at diligence or later). The biotech alone reads its book."""

    model = Round
    serializer_class = s.RoundSerializer
    filterset_class = RoundFilter
    filter_backends = [FilterBackend]
    pagination_class = NewestFirst
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": "change", "submit": "change", "lead": "change", "book": VIEW_BOOK}

    def get_base_queryset(self) -> QuerySet:
        return Round.objects.select_related("company", "lead_investor")

    def get_queryset(self) -> QuerySet:
        restricted = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return restricted
        queryset = selectors.with_round_flags(restricted, self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("assets", queryset=Asset.objects.order_by("code_name")))
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["is_staff"] = bool(getattr(self.request.user, "is_staff", False))
        context["detail"] = self.action != "list"
        return context

    def _read(self, round_: Round, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.with_round_flags(self.get_base_queryset().filter(pk=round_.pk), self.request.user).get()
        return Response(s.RoundSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        round_ = self.get_object()
        if round_.core_visible and not round_.is_own:
            services.round_core_viewed(actor=request.user, round=round_)
        return Response(self.get_serializer(round_).data)

    @extend_schema(request=s.RoundWriteSerializer, responses={201: s.RoundSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoundWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.round_create(actor=request.user, **data.validated_data)
        self.recheck_visible(round_)
        return self._read(round_, status.HTTP_201_CREATED)

    @extend_schema(request=s.RoundWriteSerializer, responses={200: s.RoundSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        round_ = self.get_object()
        data = s.RoundWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("company", None) is not None:
            raise ValidationFailed(_("A round cannot move to another company."),
                                   fields={"company": [_("Cannot be changed.")]})
        return self._read(services.round_update(actor=request.user, round=round_, **fields))

    @extend_schema(request=None, responses={200: s.RoundSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Send a draft (or a round with requested changes) to the moderators."""
        return self._read(services.round_submit(actor=request.user, round=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses={200: s.RoundSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Staff: publish a submitted round (matching investors are told)."""
        round_ = self.get_object()
        data = ReasonSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        return self._read(services.round_publish(actor=request.user, round=round_,
                                                 note=data.validated_data.get("reason", "")))

    @extend_schema(request=RequiredReasonSerializer, responses={200: s.RoundSerializer})
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: Any = None) -> Response:
        """Staff: send a submitted round back with a reason."""
        round_ = self.get_object()
        data = RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._read(services.round_request_changes(actor=request.user, round=round_,
                                                         reason=data.validated_data["reason"]))

    @extend_schema(request=s.RoundInterestSerializer, responses={201: s.BookEntrySerializer})
    @action(detail=True, methods=["post"])
    def interest(self, request: Request, pk: Any = None) -> Response:
        """An investor enters the round's book as interested."""
        round_ = self.get_object()
        data = s.RoundInterestSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        entry = services.interest_express(actor=request.user, round=round_, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LeadSerializer, responses={200: s.RoundSerializer})
    @action(detail=True, methods=["post"])
    def lead(self, request: Request, pk: Any = None) -> Response:
        """The raising company names an investor of its book as the public lead (or un-names it with null)."""
        round_ = self.get_object()
        data = s.LeadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        investor_id = data.validated_data["investor"]
        investor = Company.objects.filter(pk=investor_id).first() if investor_id is not None else None
        if investor_id is not None and investor is None:
            raise ValidationFailed(_("Unknown investor in this round's book."), code="not_in_book",
                                   fields={"investor": [_("Unknown investor in this round's book.")]})
        return self._read(services.round_name_lead(actor=request.user, round=round_, investor=investor))

    @extend_schema(responses={200: s.BookViewSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def book(self, request: Request, pk: Any = None) -> Response:
        """The raising company's book: every entry, sums by stage and against the target, in the round's currency
        and in USD."""
        round_ = self.get_object()
        view = selectors.book_view(round_)
        entries = round_.book.select_related("investor", "round").order_by("-stage_changed_at", "-id")
        view["entries"] = [s.BookEntrySerializer(entry).data for entry in entries]
        return Response(view)

    @extend_schema(
        parameters=[
            OpenApiParameter("company", int, required=False, description="One of your investor companies."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                             required=False),
        ],
        responses={200: s.RoundRecommendationSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def recommended(self, request: Request) -> Response:
        """Published rounds ranked for the caller's investor thesis, each with the criteria it matched."""
        _once(request, "company", "limit")
        try:
            company_id = int(request.query_params["company"]) if "company" in request.query_params else None
            limit = int(request.query_params.get("limit", 20))
        except ValueError:
            raise ValidationFailed(_("company and limit must be whole numbers.")) from None
        if not 1 <= limit <= 100:
            raise ValidationFailed(_("limit must be between 1 and 100."), fields={"limit": ["1..100"]})
        profile = selectors.investor_profile_of(request.user, company_id)
        if profile is None:
            return Response([])
        context = self.get_serializer_context()
        ranked = recommend(self.get_queryset(), profile, limit=limit)
        return Response([{"round": s.RoundSerializer(round_, context=context).data, "matched": matched,
                          "score": len(matched)} for round_, matched in ranked])


# --- the book --------------------------------------------------------------------------------------------

class BookEntryFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    stage = django_filters.MultipleChoiceFilter(choices=EntryStage.choices, label=_("Stage"))

    class Meta:
        model = BookEntry
        fields = ["round", "stage"]


class BookEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Book entries: an investor reads only its own company's, the raising company every entry of its rounds."""

    model = BookEntry
    serializer_class = s.BookEntrySerializer
    filterset_class = BookEntryFilter
    filter_backends = [FilterBackend]
    pagination_class = NewestFirst
    action_permissions = {"soft_circle": INVESTOR_SIDE, "pass_": INVESTOR_SIDE}

    def get_base_queryset(self) -> QuerySet:
        return BookEntry.objects.select_related("round", "investor")

    def _entry(self) -> BookEntry:
        return self.get_object()

    @extend_schema(request=s.AdvanceSerializer, responses={200: s.BookEntrySerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: Any = None) -> Response:
        """One step forward: the biotech admits to diligence, issues the term sheet and closes; the investor
        commits (with the committed amount)."""
        entry = self.get_object()
        data = s.AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_advance(actor=request.user, entry=entry, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data)

    @extend_schema(request=s.PassSerializer, responses={200: s.BookEntrySerializer})
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_(self, request: Request, pk: Any = None) -> Response:
        """The investor passes, with a structured reason."""
        entry = self.get_object()
        data = s.PassSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_pass(actor=request.user, entry=entry, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data)

    @extend_schema(request=s.SoftCircleSerializer, responses={200: s.BookEntrySerializer})
    @action(detail=True, methods=["post"], url_path="soft-circle")
    def soft_circle(self, request: Request, pk: Any = None) -> Response:
        """The investor soft-circles an amount (in the round's currency)."""
        entry = self.get_object()
        data = s.SoftCircleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_soft_circle(actor=request.user, entry=entry, amount=data.validated_data["amount"])
        return Response(s.BookEntrySerializer(entry).data)


__all__ = ["BIOTECH_SIDE", "BookEntryViewSet", "InvestorProfileViewSet", "RoundViewSet"]
