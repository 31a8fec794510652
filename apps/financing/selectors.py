"""Reads for financing: restricted querysets with per-row flags computed in SQL, and the biotech's book view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum, Value

from apps.agreements.money import Money
from apps.agreements.selectors import to_usd
from apps.companies.models import VerificationStatus, company_ids_of
from apps.core.authz import VIEW
from apps.financing.models import (
    BookEntry,
    EntryStage,
    InvestorProfile,
    Round,
    contact_q,
    my_companies_q,
    round_core_q,
)

COMMITTED_STAGES = (EntryStage.COMMITTED, EntryStage.CLOSED)
SOFT_STAGES = (EntryStage.INTERESTED, EntryStage.DILIGENCE, EntryStage.TERM_SHEET)


def _flag(condition: Q, user: Any) -> Any:
    if getattr(user, "is_staff", False):
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(condition, output_field=BooleanField())


def round_list(user: Any) -> QuerySet[Round]:
    """Rounds `user` may see (teaser or more), each flagged `core_visible` and `is_own` for the serializer."""
    rounds = Round.objects.for_user(user, VIEW).select_related("company", "lead_investor")
    return with_round_flags(rounds, user)


def with_round_flags(queryset: QuerySet, user: Any) -> QuerySet:
    own = ExpressionWrapper(my_companies_q(user, "company_id"), output_field=BooleanField())
    return queryset.annotate(core_visible=_flag(round_core_q(user), user), is_own=own)


def investor_profile_list(user: Any) -> QuerySet[InvestorProfile]:
    """Investor profiles `user` may see, each flagged `contact_visible` (own company, staff, or engaged)."""
    return with_contact_flag(InvestorProfile.objects.for_user(user, VIEW).select_related("company"), user)


def with_contact_flag(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.annotate(contact_visible=_flag(contact_q(user), user))


def investor_profile_of(user: Any, company_id: int | None = None) -> InvestorProfile | None:
    """The thesis of the caller's (verified) investor company, or of `company_id` if the caller belongs to it."""
    profiles = InvestorProfile.objects.filter(company_id__in=company_ids_of(user),
                                              company__verification_status=VerificationStatus.VERIFIED)
    if company_id is not None:
        profiles = profiles.filter(company_id=company_id)
    return profiles.select_related("company").order_by("company_id").first()


def book_entries(user: Any) -> QuerySet[BookEntry]:
    return BookEntry.objects.for_user(user, VIEW).select_related("round", "investor")


def _money(amount: Decimal | None, currency: str) -> dict[str, Any]:
    return Money(amount or Decimal(0), currency).as_dict()


def book_view(round_: Round) -> dict[str, Any]:
    """The raising company's view of its book: per stage the number of investors and the soft-circled and
    committed sums, the committed total against the target, in the round's currency and in USD (latest rate,
    named with its date; ROUND_HALF_EVEN). Callers check VIEW_BOOK first."""
    currency = round_.currency
    rows: dict[str, Any] = {row["stage"]: row for row in round_.book.values("stage").annotate(
        entries=Count("pk"), soft=Sum("soft_circled_amount"), committed=Sum("committed_amount"))}
    by_stage = []
    for stage in EntryStage:
        row = rows.get(stage.value, {})
        soft = Money(row.get("soft") or Decimal(0), currency)
        committed = Money(row.get("committed") or Decimal(0), currency)
        by_stage.append({"stage": stage.value, "label": str(stage.label), "entries": row.get("entries", 0),
                         "soft_circled": soft.as_dict(), "soft_circled_usd": to_usd(soft),
                         "committed": committed.as_dict(), "committed_usd": to_usd(committed)})
    committed_total = Money(sum((Decimal(r["committed"] or 0) for s, r in rows.items() if s in COMMITTED_STAGES),
                                Decimal(0)), currency)
    soft_total = Money(sum((Decimal(r["soft"] or 0) for s, r in rows.items() if s in SOFT_STAGES), Decimal(0)),
                       currency)
    target = Money(round_.target_amount, currency)
    coverage = (committed_total.amount / target.amount * 100).quantize(Decimal("0.1")) if target.amount else None
    return {
        "round": str(round_.public_id),
        "currency": currency,
        "rounding": "ROUND_HALF_EVEN",
        "target": target.as_dict(),
        "target_usd": to_usd(target),
        "committed": committed_total.quantized().as_dict(),
        "committed_usd": to_usd(committed_total),
        "soft_circled": soft_total.quantized().as_dict(),
        "soft_circled_usd": to_usd(soft_total),
        "committed_percent_of_target": str(coverage) if coverage is not None else None,
        "by_stage": by_stage,
    }
