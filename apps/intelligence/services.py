"""Writes of deal intelligence. Every write re-checks the actor, runs in a transaction and is audited there."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import IN_FORCE, Agreement, AgreementParty, PartyRole
from apps.agreements.selectors import agreements_for, party_users, terms_figures
from apps.audit.services import audit_record
from apps.catalog.territories import Territory
from apps.companies.models import MANAGING_ROLES, company_ids_of
from apps.core.authz import require_staff
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.intelligence import audit_actions as acts
from apps.intelligence.models import (
    K_ANONYMITY,
    ContributionConsent,
    DealImport,
    DealRecord,
    DealSource,
    MarketFigure,
    PhaseTransition,
)
from apps.intelligence.resources import IMPORT_COLUMNS, DealRecordResource
from apps.notifications.services import notify

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
PREVIEW_FIELDS = ("reference", "announced_on", "licensor_name_en", "licensee_name_en", "asset_name")


def _require_staff(actor: Any) -> None:
    require_staff(actor, _("Only platform staff curate deal intelligence."), code="staff_only")


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(_("The record is not valid."), code="invalid",
                               fields={key: [str(m) for m in messages] for key, messages in
                                       exc.message_dict.items()}) from None


# ------------------------------------------------------------------------------------------ deal records
@transaction.atomic
def deal_create(*, actor: Any, data: dict[str, Any]) -> DealRecord:
    """Staff add one public deal record (its source URL and reading date are required)."""
    _require_staff(actor)
    deal = DealRecord(**data, source_kind=DealSource.PUBLIC, created_by=actor)
    _full_clean(deal)
    deal.save()
    audit_record(action=acts.DEAL_CREATED, actor=actor, target=deal,
                 details={"reference": deal.reference})
    return deal


@transaction.atomic
def deal_update(*, actor: Any, deal: DealRecord, data: dict[str, Any]) -> DealRecord:
    """Staff correct a public deal record; platform records change only through their agreement."""
    _require_staff(actor)
    deal = DealRecord.objects.select_for_update().get(pk=deal.pk)
    if deal.is_platform:
        raise PermissionRefused(_("A platform deal is never edited by hand."), code="platform_deal")
    changed = {}
    for name, value in data.items():
        if getattr(deal, name) != value:
            changed[name] = str(value)
            setattr(deal, name, value)
    _full_clean(deal)
    deal.save()
    audit_record(action=acts.DEAL_UPDATED, actor=actor, target=deal, details={"changed": changed})
    return deal


@transaction.atomic
def deal_delete(*, actor: Any, deal: DealRecord) -> None:
    """Staff remove a public deal record."""
    _require_staff(actor)
    deal = DealRecord.objects.select_for_update().get(pk=deal.pk)
    if deal.is_platform:
        raise PermissionRefused(_("A platform deal is never edited by hand."), code="platform_deal")
    audit_record(action=acts.DEAL_DELETED, actor=actor, target=deal,
                 details={"reference": deal.reference, "source_url": deal.source_url})
    deal.delete()


@transaction.atomic
def deals_reprice(*, actor: Any) -> int:
    """Staff entered new exchange rates: recompute every record's USD figures with the rate of its date."""
    _require_staff(actor)
    count = 0
    for deal in DealRecord.objects.select_for_update().order_by("pk"):
        before = (deal.upfront_usd, deal.total_value_usd, deal.usd_rate)
        deal.reprice()
        if (deal.upfront_usd, deal.total_value_usd, deal.usd_rate) != before:
            DealRecord.objects.filter(pk=deal.pk).update(upfront_usd=deal.upfront_usd,
                                                         total_value_usd=deal.total_value_usd,
                                                         usd_rate=deal.usd_rate, usd_rate_date=deal.usd_rate_date)
            count += 1
    audit_record(action=acts.DEALS_REPRICED, actor=actor, details={"changed": count})
    return count


# ----------------------------------------------------------------------------------------------- import
def _dataset(file_name: str, content: bytes) -> tuple[str, tablib.Dataset]:
    lowered = file_name.lower()
    if lowered.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(_("A CSV file must be UTF-8 text."), code="import_encoding") from None
        try:
            return "csv", tablib.Dataset().load(text, format="csv")
        except Exception:
            raise ValidationFailed(_("The file could not be read as CSV."), code="import_unreadable") from None
    if lowered.endswith(".xlsx"):
        try:
            return "xlsx", tablib.Dataset().load(content, format="xlsx")
        except Exception:
            raise ValidationFailed(_("The file could not be read as XLSX."), code="import_unreadable") from None
    raise ValidationFailed(_("Upload a .csv or .xlsx file."), code="import_format")


def _check_dataset(dataset: tablib.Dataset) -> None:
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    missing = [column for column in ("reference", "announced_on", "source_url") if column not in headers]
    unknown = [column for column in headers if column and column not in IMPORT_COLUMNS]
    if missing or unknown:
        raise ValidationFailed(_("The header row does not match the import columns."), code="import_columns",
                               fields={"missing": missing, "unknown": unknown, "expected": IMPORT_COLUMNS})
    if dataset.height > MAX_IMPORT_ROWS:
        raise ValidationFailed(_("At most %(n)d rows per file.") % {"n": MAX_IMPORT_ROWS}, code="import_too_big")
    dataset.headers = headers


def _run_import(dataset: tablib.Dataset, *, actor: Any, dry_run: bool) -> dict[str, Any]:
    resource = DealRecordResource()
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
                                  rollback_on_validation_errors=True, user=actor)
    rows: list[dict[str, Any]] = []
    invalid = {row.number: row for row in result.invalid_rows}
    errors = {number: row.errors for number, row in ((e.number, e) for e in result.error_rows)}
    for index, row_result in enumerate(result.rows, start=1):
        values = dict(zip(dataset.headers, dataset[index - 1], strict=False))
        entry: dict[str, Any] = {"row": index + 1,  # the spreadsheet's own line number (line 1 is the header)
                                 "action": row_result.import_type,
                                 **{name: str(values.get(name) or "") for name in PREVIEW_FIELDS}}
        if index in invalid:
            entry["errors"] = {key: [str(m) for m in messages] for key, messages in invalid[index].error_dict.items()}
        elif index in errors:
            entry["errors"] = {"__all__": [str(error.error) for error in errors[index]]}
        rows.append(entry)
    totals = {key: value for key, value in result.totals.items()}
    return {"rows": rows, "totals": totals,
            "valid": not (result.has_errors() or result.has_validation_errors())}


@transaction.atomic
def import_preview(*, actor: Any, file_name: str, content: bytes) -> DealImport:
    """Read a CSV/XLSX file and show every row's outcome and errors; nothing is written to the records."""
    _require_staff(actor)
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."), code="import_too_big")
    file_format, dataset = _dataset(file_name, content)
    _check_dataset(dataset)
    preview = _run_import(dataset, actor=actor, dry_run=True)
    deal_import = DealImport.objects.create(file_name=file_name[:200], file_format=file_format, content=content,
                                            sha256=hashlib.sha256(content).hexdigest(), preview=preview,
                                            created_by=actor)
    audit_record(action=acts.IMPORT_PREVIEWED, actor=actor, target=deal_import,
                 details={"totals": preview["totals"], "sha256": deal_import.sha256})
    return deal_import


@transaction.atomic
def import_confirm(*, actor: Any, deal_import: DealImport) -> DealImport:
    """Write a previewed file. Refused while any row has errors; a file is imported once."""
    _require_staff(actor)
    deal_import = DealImport.objects.select_for_update().get(pk=deal_import.pk)
    if deal_import.status != DealImport.Status.PREVIEWED:
        raise Conflict(_("This file was already imported."), code="already_imported")
    if not deal_import.preview.get("valid"):
        raise Conflict(_("Fix the rows with errors and upload the file again."), code="import_has_errors")
    _format, dataset = _dataset(deal_import.file_name, bytes(deal_import.content))
    _check_dataset(dataset)
    result = _run_import(dataset, actor=actor, dry_run=False)
    if not result["valid"]:  # the records changed since the preview (e.g. a reference taken meanwhile)
        transaction.set_rollback(True)
        raise Conflict(_("The file no longer imports cleanly; preview it again."), code="import_has_errors")
    deal_import.status = DealImport.Status.IMPORTED
    deal_import.result = result
    deal_import.imported_at = timezone.now()
    deal_import.save(update_fields=["status", "result", "imported_at"])
    audit_record(action=acts.IMPORT_CONFIRMED, actor=actor, target=deal_import,
                 details={"totals": result["totals"], "sha256": deal_import.sha256})
    return deal_import


# ---------------------------------------------------------------------------------------- market figures
@transaction.atomic
def market_figure_create(*, actor: Any, data: dict[str, Any]) -> MarketFigure:
    """Staff record a figure someone else published, with its source."""
    _require_staff(actor)
    figure = MarketFigure(**data)
    _full_clean(figure)
    figure.save()
    audit_record(action=acts.MARKET_FIGURE_CREATED, actor=actor, target=figure,
                 details={"value": str(figure.value), "source": figure.source_name})
    return figure


@transaction.atomic
def market_figure_update(*, actor: Any, figure: MarketFigure, data: dict[str, Any]) -> MarketFigure:
    """Staff correct a market figure."""
    _require_staff(actor)
    figure = MarketFigure.objects.select_for_update().get(pk=figure.pk)
    changed = {name: str(value) for name, value in data.items() if getattr(figure, name) != value}
    for name, value in data.items():
        setattr(figure, name, value)
    _full_clean(figure)
    figure.save()
    audit_record(action=acts.MARKET_FIGURE_UPDATED, actor=actor, target=figure,
                 details={"changed": changed})
    return figure


@transaction.atomic
def market_figure_delete(*, actor: Any, figure: MarketFigure) -> None:
    """Staff remove a market figure."""
    _require_staff(actor)
    audit_record(action=acts.MARKET_FIGURE_DELETED, actor=actor, target=figure,
                 details={"value": str(figure.value), "source": figure.source_name})
    figure.delete()


@transaction.atomic
def phase_transition_update(*, actor: Any, transition: PhaseTransition, probability: Decimal,
                            source: str) -> PhaseTransition:
    """Staff change a default phase-transition probability, naming the source of the new value."""
    _require_staff(actor)
    transition = PhaseTransition.objects.select_for_update().get(pk=transition.pk)
    before = transition.probability
    transition.probability = probability
    transition.source = source
    _full_clean(transition)
    transition.save()
    audit_record(action=acts.PHASE_PROBABILITY_UPDATED, actor=actor, target=transition,
                 details={"before": str(before), "after": str(probability), "source": source})
    return transition


# ------------------------------------------------------------------------------------ platform deals
def _territory_code(countries: list[str]) -> str:
    code = Territory(frozenset(countries)).region_code() if countries else None
    return code or "other"


def _platform_record(agreement: Agreement) -> DealRecord:
    version = agreement.executed_version
    assert version is not None
    figures = terms_figures(version.terms)
    parties = list(AgreementParty.objects.filter(agreement=agreement).select_related("company"))
    licensor = agreement.licensor
    partner = next((p.company for p in parties if p.role == PartyRole.PARTNER), licensor)
    asset = agreement.assets.order_by("pk").first()
    rates = [Decimal(tier["rate"]) for tier in version.terms.get("royalty_tiers") or []]
    executed_on = (agreement.executed_at or timezone.now()).date()
    return DealRecord(
        reference=f"platform-{agreement.public_id}", source_kind=DealSource.PLATFORM, agreement=agreement,
        announced_on=executed_on, licensor_name_en=licensor.name_en, licensor_name_zh=licensor.name_zh,
        licensor_country=licensor.country, licensor_company=licensor, licensee_name_en=partner.name_en,
        licensee_name_zh=partner.name_zh, licensee_country=partner.country, licensee_company=partner,
        asset_name=asset.code_name if asset else agreement.title,
        modality=asset.modality if asset else "other",
        therapeutic_area=(asset.therapeutic_areas or ["other"])[0] if asset else "other",
        stage=asset.stage if asset else "discovery", deal_type=agreement.deal_type,
        territory=_territory_code(agreement.territory_countries), currency=version.currency,
        upfront=figures["upfront"].amount, equity=figures["equity_investment"].amount,
        milestones_total=figures["milestones_total"].amount, total_value=figures["total_deal_value"].amount,
        royalty_low=min(rates) if rates else None, royalty_high=max(rates) if rates else None,
    )


def _release_platform_deals() -> int:
    """Platform deals enter statistics only in batches of at least K: figures never move by one deal."""
    waiting = DealRecord.objects.select_for_update().filter(source_kind=DealSource.PLATFORM, released_at=None)
    ids = list(waiting.values_list("pk", flat=True))
    if len(ids) < K_ANONYMITY:
        return 0
    return DealRecord.objects.filter(pk__in=ids).update(released_at=timezone.now())


@transaction.atomic
def contribution_consent(*, actor: Any, agreement: Agreement) -> ContributionConsent:
    """A signatory (owner or admin) of a party consents to contribute the executed agreement to statistics.
    Once every party consented, the platform deal record exists; the other parties are asked meanwhile."""
    if not agreements_for(actor).filter(pk=agreement.pk).exists():
        raise NotFound()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    own = AgreementParty.objects.filter(agreement=agreement, company_id__in=company_ids_of(actor, MANAGING_ROLES))
    party = own.select_related("company").first()
    if party is None:
        raise PermissionRefused(_("Only an owner or admin of a party may consent for it."), code="not_signatory")
    if agreement.status not in IN_FORCE or agreement.executed_version_id is None:
        raise Conflict(_("Only an executed agreement can be contributed."), code="not_executed")
    consent, created = ContributionConsent.objects.get_or_create(agreement=agreement, company=party.company,
                                                                 defaults={"given_by": actor})
    if not created:
        raise Conflict(_("Your company already consented."), code="already_consented")
    audit_record(action=acts.CONTRIBUTION_CONSENTED, actor=actor, target=agreement,
                 company=party.company, details={"company": party.company_id})
    party_ids = set(AgreementParty.objects.filter(agreement=agreement).values_list("company_id", flat=True))
    consented = set(ContributionConsent.objects.filter(agreement=agreement).values_list("company_id", flat=True))
    if party_ids <= consented:
        record = _platform_record(agreement)
        record.save()
        audit_record(action=acts.PLATFORM_DEAL_CREATED, actor=actor, target=record,
                     details={"agreement": agreement.pk})
        released = _release_platform_deals()
        if released:
            audit_record(action=acts.PLATFORM_DEALS_RELEASED, actor=actor,
                         details={"released": released})
    else:
        waiting = [cid for cid in party_ids - consented]
        recipients = party_users(agreement, roles=MANAGING_ROLES).filter(memberships__company_id__in=waiting)
        notify(kind="intelligence.contribution_requested", recipients=recipients, target=agreement, actor=actor,
               context={"company": party.company.name_en, "company_zh": party.company.name_zh or
                        party.company.name_en, "agreement": agreement.title, "agreement_id": agreement.pk,
                        "k": K_ANONYMITY - 1})
    return consent


@transaction.atomic
def contribution_withdraw(*, actor: Any, agreement: Agreement) -> None:
    """A signatory withdraws its company's consent, as long as the deal has not entered statistics (after that,
    removing it would move the published figures by exactly one deal and reveal it)."""
    if not agreements_for(actor).filter(pk=agreement.pk).exists():
        raise NotFound()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    own = AgreementParty.objects.filter(agreement=agreement, company_id__in=company_ids_of(actor, MANAGING_ROLES))
    if not own.exists():
        raise PermissionRefused(_("Only an owner or admin of a party may consent for it."), code="not_signatory")
    consent = ContributionConsent.objects.filter(
        agreement=agreement, company_id__in=own.values("company_id")).select_related("company").first()
    if consent is None:
        raise Conflict(_("Your company has not consented."), code="not_consented")
    record = DealRecord.objects.filter(agreement=agreement).first()
    if record is not None and record.released_at is not None:
        raise Conflict(_("The deal is already part of the statistics and can no longer be withdrawn."),
                       code="already_released")
    audit_record(action=acts.CONTRIBUTION_WITHDRAWN, actor=actor, target=agreement,
                 company=consent.company, details={"company": consent.company_id})
    if record is not None:
        record.delete()
    consent.delete()
