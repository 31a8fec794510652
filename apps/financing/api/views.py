"""The financing API: investor theses, rounds (teaser and core), the book. Views wire requests to selectors and
services; every read goes through the restricted querysets of apps.core.authz."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog.models import Asset, Modality, TherapeuticArea
from apps.companies.models import Company
from apps.core.api.filters import FilterBackend, FilterSet
from apps.core.api.pagination import CursorPagination
from apps.core.api.schema import doc
from apps.core.api.serializers import ReasonSerializer, RequiredReasonSerializer
from apps.core.api.viewsets import GuardedViewSet, ModeratedViewSet, ModerationServices
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

@extend_schema_view(
    list=doc(
        summary=_("List investor theses"),
        description=_(
            "Verified biotechs read the theses of verified investors (an investor reads its own). Contact details "
            "are included only where `contact_visible` is true: your own company's, and those of investors in the "
            "book of one of your rounds."),
    ),
    retrieve=doc(
        summary=_("Read an investor thesis"),
        description=_("One thesis, with contact details only if the investor engaged with your company."),
    ),
)
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

    @doc(
        summary=_("Set your investor company's thesis"),
        description=_(
            "Contributors of a verified investor company create or replace its one thesis: therapeutic areas, "
            "modalities, round stages, geographies (region or country codes), instruments, the ticket range with "
            "its currency, and the contact details that only companies you engage with will read. Rounds are "
            "matched against it when they are published."),
        errors={403: ["not_an_investor"], 400: ["invalid_amount", "reversed_range", "unknown_choice"]},
        request=s.InvestorProfileWriteSerializer, responses={201: s.InvestorProfileSerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.InvestorProfileWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        profile = self.write_visible(lambda: services.investor_profile_save(actor=request.user, **data.validated_data))
        return self._read(profile, status.HTTP_201_CREATED)

    @doc(
        summary=_("Edit an investor thesis"),
        description=_("Contributors of the investor company change the fields they send; the rest stays."),
        errors={400: ["invalid_amount", "reversed_range", "unknown_choice"]},
        request=s.InvestorProfileWriteSerializer, responses={200: s.InvestorProfileSerializer},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        profile = self.get_object()
        data = s.InvestorProfileWriteSerializer(data=request.data, partial=True,
                                                 context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("company", None)
        profile = services.investor_profile_save(actor=request.user, company=profile.company, **fields)
        return self._read(profile)


# --- rounds ----------------------------------------------------------------------------------------------

class RoundFilter(FilterSet):
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


@extend_schema_view(
    list=doc(
        summary=_("List financing rounds"),
        description=_(
            "Published rounds for members of verified investor companies, your own company's rounds in any state, "
            "and rounds whose book your company is in. Every row is the teaser; `access` is `full` where you may "
            "read the protected core (the raising company, staff, investors admitted to diligence). Search with "
            "`q` over the teaser; pages are a cursor."),
    ),
    retrieve=doc(
        summary=_("Read a financing round"),
        description=_(
            "The teaser, and the protected core (valuation, cap table, financial statements, funded assets) when "
            "you may read it; reading another company's core is audited."),
    ),
    submit=doc(
        summary=_("Submit a round for review"),
        description=_("A draft, or a round sent back for changes, goes to the moderators; staff are told."),
        errors={400: ["teaser_incomplete"], 403: ["company_not_verified"], 409: ["invalid_transition"]},
        request=None, responses={200: s.RoundSerializer},
    ),
    publish=doc(
        summary=_("Publish a round (staff)"),
        description=_(
            "Staff publish a submitted round with an optional note: the biotech is told, and investors whose thesis "
            "matches hear of it."),
        errors={403: ["permission_denied"], 409: ["invalid_transition", "company_not_verified"]},
        request=ReasonSerializer, responses={200: s.RoundSerializer},
    ),
    request_changes=doc(
        summary=_("Send a round back for changes (staff)"),
        description=_("Staff send a submitted round back with a reason the biotech's contributors receive."),
        errors={403: ["permission_denied"], 409: ["invalid_transition"]},
        request=RequiredReasonSerializer, responses={200: s.RoundSerializer},
    ),
)
class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ModeratedViewSet):
    """Financing rounds. Verified investors read published teasers; the protected core only the raising company,
    staff and admitted investors (book entry at diligence or later). The biotech alone reads its book."""

    model = Round
    serializer_class = s.RoundSerializer
    filterset_class = RoundFilter
    filter_backends = [FilterBackend]
    pagination_class = NewestFirst
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": "change", "submit": "change", "lead": "change", "book": VIEW_BOOK}
    moderation = ModerationServices("round", services.round_submit, services.round_publish,
                                    services.round_request_changes)

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

    @doc(
        summary=_("Open a financing round (as a draft)"),
        description=_(
            "Contributors of a verified biotech open a round: stage, instrument, target amount and currency, the "
            "teaser investors will read and the protected core. Submit it for review next."),
        errors={403: ["not_a_biotech"], 400: ["invalid_amount", "unknown_asset", "unknown_choice"]},
        request=s.RoundWriteSerializer, responses={201: s.RoundSerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.RoundWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        round_ = self.write_visible(lambda: services.round_create(actor=request.user, **data.validated_data))
        return self._read(round_, status.HTTP_201_CREATED)

    @doc(
        summary=_("Edit a financing round"),
        description=_(
            "The raising company's contributors edit a draft, a round sent back for changes, or a published round; "
            "send only the fields to change."),
        errors={400: ["invalid_amount", "unknown_asset", "unknown_choice"], 409: ["not_editable", "currency_locked"]},
        request=s.RoundWriteSerializer, responses={200: s.RoundSerializer},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        round_ = self.get_object()
        data = s.RoundWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        # The raising company read back unchanged is no move: what the API answers, it accepts back.
        company = fields.pop("company", None)
        if company is not None and getattr(company, "pk", company) != round_.company_id:
            raise ValidationFailed(_("A round cannot move to another company."),
                                   fields={"company": [_("Cannot be changed.")]})
        return self._read(services.round_update(actor=request.user, round=round_, **fields))

    @doc(
        summary=_("Enter a round's book"),
        description=_(
            "A contributor of a verified investor company enters a published round's book as interested, with an "
            "optional message; the biotech is told. Nobody else learns that your company is in the book."),
        errors={403: ["not_an_investor"], 409: ["already_in_book", "round_not_published"]},
        request=s.RoundInterestSerializer, responses={201: s.BookEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def interest(self, request: Request, pk: Any = None) -> Response:
        round_ = self.get_object()
        data = s.RoundInterestSerializer(data=request.data or {}, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        entry = services.interest_express(actor=request.user, round=round_, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @doc(
        summary=_("Name the lead investor publicly"),
        description=_(
            "The raising company's contributors name an investor of the book that has not passed as the lead "
            "(null un-names it). The lead's name appears on the teaser for every reader; its amount stays private."),
        errors={400: ["not_in_book"], 409: ["round_not_published"]},
        request=s.LeadSerializer, responses={200: s.RoundSerializer},
    )
    @action(detail=True, methods=["post"])
    def lead(self, request: Request, pk: Any = None) -> Response:
        round_ = self.get_object()
        data = s.LeadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        investor_id = data.validated_data["investor"]
        investor = Company.objects.filter(pk=investor_id).first() if investor_id is not None else None
        if investor_id is not None and investor is None:
            raise ValidationFailed(_("Unknown investor in this round's book."), code="not_in_book",
                                   fields={"investor": [_("Unknown investor in this round's book.")]})
        return self._read(services.round_name_lead(actor=request.user, round=round_, investor=investor))

    @doc(
        summary=_("Read the round's book"),
        description=_(
            "The raising company only: every investor's entry, and per stage the number of investors and the "
            "soft-circled and committed sums; the committed total against the target; each figure in the round's "
            "currency and in USD at the latest dated rate (named with its date, ROUND_HALF_EVEN)."),
        responses={200: s.BookViewSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def book(self, request: Request, pk: Any = None) -> Response:
        round_ = self.get_object()
        view = selectors.book_view(round_)
        entries = round_.book.select_related("investor", "round").order_by("-stage_changed_at", "-id")
        view["entries"] = [s.BookEntrySerializer(entry).data for entry in entries]
        return Response(view)

    @doc(
        summary=_("Rounds recommended for your thesis"),
        description=_(
            "Published rounds ranked by how many criteria of your investor company's thesis they meet, each with "
            "the criteria it matched; an empty list without a thesis."),
        errors={400: ["invalid"]},
        parameters=[
            OpenApiParameter("company", int, required=False, description="One of your investor companies."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                             required=False),
        ],
        responses={200: s.RoundRecommendationSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def recommended(self, request: Request) -> Response:
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

class BookEntryFilter(FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    stage = django_filters.MultipleChoiceFilter(choices=EntryStage.choices, label=_("Stage"))

    class Meta:
        model = BookEntry
        fields = ["round", "stage"]


@extend_schema_view(
    list=doc(
        summary=_("List book entries"),
        description=_(
            "An investor reads only its own company's entries; the raising company every entry of its rounds. "
            "Filter by `round` (an id you cannot see answers like one that does not exist) and `stage`."),
    ),
    retrieve=doc(
        summary=_("Read a book entry"),
        description=_(
            "Stage, soft-circled and committed amounts in the round's currency, and a pass reason as a code and "
            "a label in your language."),
    ),
)
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

    @doc(
        summary=_("Move a book entry one step forward"),
        description=_(
            "The biotech admits to diligence, moves to the term sheet and closes; the investor commits, naming the "
            "committed amount in the round's currency. The other side is told."),
        errors={400: ["invalid_amount"], 403: ["permission_denied"], 409: ["invalid_transition", "round_not_open"]},
        request=s.AdvanceSerializer, responses={200: s.BookEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: Any = None) -> Response:
        entry = self.get_object()
        data = s.AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_advance(actor=request.user, entry=entry, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data)

    @doc(
        summary=_("Pass on a round"),
        description=_(
            "The investor leaves the book with a structured reason (the biotech reads it in its own language) and "
            "an optional note; it loses the protected core at once."),
        errors={409: ["invalid_transition"]},
        request=s.PassSerializer, responses={200: s.BookEntrySerializer},
    )
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_(self, request: Request, pk: Any = None) -> Response:
        entry = self.get_object()
        data = s.PassSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_pass(actor=request.user, entry=entry, **data.validated_data)
        return Response(s.BookEntrySerializer(entry).data)

    @doc(
        summary=_("Soft-circle an amount"),
        description=_(
            "The investor states the amount it expects to put in, in the round's currency, while interested, in "
            "diligence or at the term sheet; the biotech is told."),
        errors={400: ["invalid_amount"], 409: ["invalid_transition", "round_not_open"]},
        request=s.SoftCircleSerializer, responses={200: s.BookEntrySerializer},
    )
    @action(detail=True, methods=["post"], url_path="soft-circle")
    def soft_circle(self, request: Request, pk: Any = None) -> Response:
        entry = self.get_object()
        data = s.SoftCircleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_soft_circle(actor=request.user, entry=entry, amount=data.validated_data["amount"])
        return Response(s.BookEntrySerializer(entry).data)


__all__ = ["BIOTECH_SIDE", "BookEntryViewSet", "InvestorProfileViewSet", "RoundViewSet"]
