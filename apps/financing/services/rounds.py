"""Investor profiles and rounds: create, edit, submit, moderation (publish, send back) and naming the lead."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.audit.services import audit_record
from apps.catalog.models import Asset, Modality, TherapeuticArea
from apps.catalog.territories import Territory
from apps.companies.models import Company, CompanyKind
from apps.companies.selectors import company_people, people_of_companies
from apps.core import moderation
from apps.core.authz import CHANGE, require_permission
from apps.core.changes import assign_changes
from apps.core.errors import Conflict, ValidationFailed
from apps.financing import audit_actions as acts
from apps.financing.matching import matching_company_ids
from apps.financing.models import (
    EntryStage,
    Instrument,
    InvestorProfile,
    Round,
    RoundStage,
    RoundStatus,
)
from apps.notifications.services import notify

from .common import _amount, _choices, _entry_context, _invalid, _one_company, _round_context

ROUND_TEXT_FIELDS = ("name_en", "name_zh", "summary_en", "summary_zh", "use_of_proceeds_en", "use_of_proceeds_zh",
                     "cap_table_summary", "financial_statements")
ROUND_FIELDS = (*ROUND_TEXT_FIELDS, "stage", "instrument", "target_amount", "currency", "closing_date",
                "therapeutic_areas", "modalities", "pre_money_valuation", "assets")
EDITABLE_STATUSES = (RoundStatus.DRAFT, RoundStatus.CHANGES_REQUESTED, RoundStatus.PUBLISHED)
# --- investor profiles -----------------------------------------------------------------------------------

@transaction.atomic
def investor_profile_save(*, actor: Any, company: Company | None = None, **fields: Any) -> InvestorProfile:
    """Contributors of a verified investor company set its thesis (one profile per company)."""
    company = _one_company(actor, CompanyKind.INVESTOR, company,
                           refusal=_("Only contributors of a verified investor company may set a thesis."),
                           code="not_an_investor")
    profile, created = InvestorProfile.objects.select_for_update().get_or_create(company=company)
    for name in ("thesis_en", "thesis_zh", "contact_name", "contact_email", "contact_phone"):
        if name in fields:
            setattr(profile, name, (fields[name] or "").strip())
    lists = {"therapeutic_areas": TherapeuticArea.values, "modalities": Modality.values,
             "round_stages": RoundStage.values, "instruments": Instrument.values}
    for name, allowed in lists.items():
        if name in fields:
            setattr(profile, name, _choices(name, fields[name], allowed))
    if "geographies" in fields:
        try:
            profile.geographies = Territory.parse(fields["geographies"] or []).codes()
        except ValidationFailed:
            raise
        except (ValueError, TypeError):
            raise _invalid("geographies", _("Unknown country or region.")) from None
    if "ticket_currency" in fields:
        if fields["ticket_currency"] not in Currency.values:
            raise _invalid("ticket_currency", _("Unknown currency."), code="unknown_choice")
        profile.ticket_currency = fields["ticket_currency"]
    for name in ("ticket_min", "ticket_max"):
        if name in fields:
            value = fields[name]
            setattr(profile, name, None if value in (None, "") else _amount(name, value, profile.ticket_currency))
    for name in ("ticket_min", "ticket_max"):  # a currency change must still fit the amounts already stored
        value = getattr(profile, name)
        if value is not None:
            setattr(profile, name, _amount(name, value, profile.ticket_currency))
    if profile.ticket_min is not None and profile.ticket_max is not None and profile.ticket_min > profile.ticket_max:
        raise _invalid("ticket_max", _("The ticket range is reversed."), code="reversed_range")
    profile.updated_by = actor
    profile.full_clean(exclude=["company", "updated_by"])
    profile.save()
    audit_record(action=acts.INVESTOR_PROFILE_SAVED, actor=actor, target=profile, company=company,
                 details={"created": created})
    return profile


# --- rounds ----------------------------------------------------------------------------------------------

def _normalize_round(fields: dict[str, Any], *, currency: str, company_id: int) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            continue
        if name in ROUND_TEXT_FIELDS:
            value = (value or "").strip()
        elif name == "stage" and value not in RoundStage.values:
            raise _invalid(name, _("Unknown round stage."), code="unknown_choice")
        elif name == "instrument" and value not in Instrument.values:
            raise _invalid(name, _("Unknown instrument."), code="unknown_choice")
        elif name == "currency" and value not in Currency.values:
            raise _invalid(name, _("Unknown currency."), code="unknown_choice")
        elif name == "therapeutic_areas":
            value = _choices(name, value, TherapeuticArea.values)
        elif name == "modalities":
            value = _choices(name, value, Modality.values)
        elif name == "assets":
            ids = sorted({int(pk) for pk in value or []})
            assets = list(Asset.objects.filter(owner_company_id=company_id, pk__in=ids))
            if len(assets) != len(ids):
                # Another company's asset answers exactly like a missing one.
                raise _invalid(name, _("Unknown asset."), code="unknown_asset")
            value = assets
        clean[name] = value
    money_currency = clean.get("currency", currency)
    if "target_amount" in clean:
        clean["target_amount"] = _amount("target_amount", clean["target_amount"], money_currency)
    if clean.get("pre_money_valuation") not in (None, ""):
        clean["pre_money_valuation"] = _amount("pre_money_valuation", clean["pre_money_valuation"], money_currency)
    elif "pre_money_valuation" in clean:
        clean["pre_money_valuation"] = None
    if "name_en" in clean and not clean["name_en"]:
        raise _invalid("name_en", _("A name is required."))
    return clean


def _lock(round_: Round) -> Round:
    return ROUND.lock(round_)


@transaction.atomic
def round_create(*, actor: Any, company: Company | None = None, **fields: Any) -> Round:
    """Contributors of a verified biotech open a draft round."""
    company = _one_company(actor, CompanyKind.BIOTECH, company,
                           refusal=_("Only contributors of a verified biotech may raise a round."),
                           code="not_a_biotech")
    for required in ("name_en", "stage", "instrument", "target_amount", "currency"):
        if fields.get(required) in (None, ""):
            raise _invalid(required, _("This field is required."))
    clean = _normalize_round(fields, currency=fields["currency"], company_id=company.pk)
    assets = clean.pop("assets", [])
    round_ = Round(company=company, created_by=actor, status=RoundStatus.DRAFT, **clean)
    round_.full_clean(exclude=["company", "created_by", "lead_investor"])
    round_.save()
    round_.assets.set(assets)
    audit_record(action=acts.ROUND_CREATED, actor=actor, target=round_, company=company,
                 details={"stage": round_.stage, "currency": round_.currency})
    return round_


@transaction.atomic
def round_update(*, actor: Any, round: Round, **fields: Any) -> Round:  # the domain's word
    """Contributors of the raising company edit a draft, a round sent back for changes, or a published round."""
    round_ = _lock(round)
    require_permission(actor, CHANGE, round_)
    if round_.status not in EDITABLE_STATUSES:
        raise Conflict(_("This round cannot be edited while it is %(status)s.")
                       % {"status": round_.get_status_display()}, code="not_editable")
    if "currency" in fields and fields["currency"] != round_.currency and round_.book.exists():
        raise Conflict(_("The currency cannot change once investors are in the book."), code="currency_locked")
    currency = fields.get("currency", round_.currency)
    if "currency" in fields and "target_amount" not in fields:
        fields["target_amount"] = round_.target_amount
    clean = _normalize_round(fields, currency=currency, company_id=round_.company_id)
    assets = clean.pop("assets", None)
    changed = assign_changes(round_, clean)
    round_.full_clean(exclude=["company", "created_by", "lead_investor"])
    round_.save()
    if assets is not None and {a.pk for a in assets} != set(round_.assets.values_list("pk", flat=True)):
        round_.assets.set(assets)
        changed.append("assets")
    if changed:
        audit_record(action=acts.ROUND_UPDATED, actor=actor, target=round_, company=round_.company,
                     details={"changed": changed})
    return round_


def _teaser_gaps(round_: Round) -> dict[str, list[Any]]:
    """Investors weigh a round by what the money is for: a teaser without it is incomplete."""
    if round_.use_of_proceeds_en or round_.use_of_proceeds_zh:
        return {}
    return {"use_of_proceeds_en": [_("Say what the money is for before submission.")]}


# Rounds in moderation: the steps are apps.core.moderation's, in financing's words.
ROUND = moderation.Moderated(
    model=Round, company="company", statuses=RoundStatus, published=RoundStatus.PUBLISHED,
    context=_round_context, teaser_gaps=_teaser_gaps, staff_only=_("Only platform staff moderate rounds."),
    submit=moderation.Step(_("Only a draft or a round with requested changes can be submitted."),
                           acts.ROUND_SUBMITTED, "financing.round_submitted"),
    publish=moderation.Step(_("Only a submitted round can be published."),
                            acts.ROUND_PUBLISHED, "financing.round_published"),
    request_changes=moderation.Step(_("Only a submitted round can be sent back for changes."),
                                    acts.ROUND_CHANGES_REQUESTED, "financing.round_changes_requested"),
    unverified_submit=_("Only a verified company may submit a round."),
    unverified_publish=_("The raising company is not verified."),
)


@transaction.atomic
def round_submit(*, actor: Any, round: Round) -> Round:
    """draft or changes requested → submitted, by a contributor of the verified raising company, once its teaser is
    complete."""
    return moderation.submit(ROUND, round, actor=actor)


@transaction.atomic
def round_publish(*, actor: Any, round: Round, note: str = "") -> Round:
    """Staff publish a submitted round; the biotech is told and matching investors hear of it in one fan-out."""
    round_ = moderation.publish(ROUND, round, actor=actor, note=note)
    company_ids = matching_company_ids(round_)
    if company_ids:
        recipients = people_of_companies(company_ids)
        notify(kind="financing.round_matched", recipients=recipients, target=round_, actor=actor,
               context=_round_context(round_, summary=round_.summary_en[:300],
                                      summary_zh=(round_.summary_zh or round_.summary_en)[:300]))
    return round_


@transaction.atomic
def round_request_changes(*, actor: Any, round: Round, reason: str) -> Round:
    """Staff send a submitted round back with a reason the biotech reads."""
    return moderation.request_changes(ROUND, round, actor=actor, reason=reason)


@transaction.atomic
def round_name_lead(*, actor: Any, round: Round, investor: Company | None) -> Round:
    """The raising company names (or un-names) its lead investor publicly: an investor in its book that has not
    passed. The lead is the one name every reader of the teaser learns; its amount stays private."""
    round_ = _lock(round)
    require_permission(actor, CHANGE, round_)
    if round_.status not in (RoundStatus.PUBLISHED, RoundStatus.CLOSED):
        raise Conflict(_("A lead investor is named on a published round."), code="round_not_published")
    if investor is not None and not round_.book.filter(investor=investor).exclude(stage=EntryStage.PASSED).exists():
        # An investor outside the book answers like a missing id: naming cannot probe who exists.
        raise _invalid("investor", _("Unknown investor in this round's book."), code="not_in_book")
    previous = round_.lead_investor_id
    round_.lead_investor = investor
    round_.save(update_fields=["lead_investor", "updated_at"])
    audit_record(action=acts.ROUND_LEAD_NAMED, actor=actor, target=round_, company=round_.company,
                 details={"lead": investor.pk if investor else None, "previous": previous})
    if investor is not None and investor.pk != previous:
        entry = round_.book.get(investor=investor)
        notify(kind="financing.lead_named", recipients=company_people(investor.pk), target=entry, actor=actor,
               context=_entry_context(entry))
    return round_


def round_core_viewed(*, actor: Any, round: Round) -> None:
    """Audit a read of the protected core by someone outside the raising company (admitted investor, staff)."""
    audit_record(action=acts.ROUND_CORE_VIEWED, actor=actor, target=round, details={"company": round.company_id})
