"""Private evaluation: the evaluating company's criteria and its members' scores (never seen outside it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import Company
from apps.core.authz import CHANGE, VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused
from apps.partnering import audit_actions as acts
from apps.partnering.models import (
    DEFAULT_CRITERIA,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    Submission,
)
from apps.partnering.services.common import _evaluating_company, _invalid


def criteria_ensure_defaults(company: Company) -> None:
    """Copy the default criteria (science, IP position, clinical data, regulatory path, commercial fit) to a
    company that has none yet. Called from the audited services below."""
    if EvaluationCriterion.objects.filter(company=company).exists():
        return
    from django.utils import translation

    rows = []
    for position, (code, label, weight) in enumerate(DEFAULT_CRITERIA):
        with translation.override("en"):
            name_en = str(label)
        with translation.override("zh-hans"):
            name_zh = str(label)
        rows.append(EvaluationCriterion(company=company, code=code, name_en=name_en, name_zh=name_zh,
                                        weight=weight, position=position))
    EvaluationCriterion.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def criterion_save(*, actor: Any, company: Company | None = None, criterion: EvaluationCriterion | None = None,
                   **fields: Any) -> EvaluationCriterion:
    """Contributors of the evaluating company add or edit a criterion and its weight."""
    if criterion is not None:
        criterion = EvaluationCriterion.objects.select_for_update().get(pk=criterion.pk)
        if not user_can(actor, CHANGE, criterion):
            raise PermissionRefused()
        company = criterion.company
    else:
        company = _evaluating_company(actor, company)
        criteria_ensure_defaults(company)
        code = str(fields.get("code") or "").strip()
        if not code:
            raise _invalid("code", _("This field is required."))
        criterion = EvaluationCriterion.objects.filter(company=company, code=code).first() or EvaluationCriterion(
            company=company, code=code, position=EvaluationCriterion.objects.filter(company=company).count())
    for name in ("name_en", "name_zh", "weight", "active"):
        if name in fields and fields[name] is not None:
            setattr(criterion, name, fields[name])
    if not criterion.name_en:
        raise _invalid("name_en", _("This field is required."))
    if criterion.weight is None or Decimal(criterion.weight) < 0:
        raise _invalid("weight", _("A weight of zero or more is required."))
    criterion.full_clean(exclude=["company"])
    criterion.save()
    audit_record(action=acts.CRITERION_SAVED, actor=actor, target=criterion, company=company,
                 details={"code": criterion.code, "weight": str(criterion.weight), "active": criterion.active})
    return criterion


@transaction.atomic
def evaluation_create(*, actor: Any, asset: Asset | None = None, submission: Submission | None = None,
                      note: str = "") -> Evaluation:
    """A partner team opens its private evaluation of an asset it can see (or of a submission's asset)."""
    if submission is not None:
        if not user_can(actor, "triage", submission):
            raise NotFound()
        asset = submission.asset
        company = submission.call.company
    else:
        if asset is None or not Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
            raise NotFound()
        company = _evaluating_company(actor)
    if company.pk == asset.owner_company_id:
        raise PermissionRefused(_("A company does not evaluate its own asset."), code="own_asset")
    criteria_ensure_defaults(company)
    if Evaluation.objects.filter(company=company, asset=asset).exists():
        raise Conflict(_("Your company already evaluates this asset."), code="already_evaluated")
    evaluation = Evaluation.objects.create(company=company, asset=asset, submission=submission,
                                           note=(note or "").strip()[:4000], created_by=actor)
    audit_record(action=acts.EVALUATION_CREATED, actor=actor, target=evaluation, company=company,
                 details={"asset": asset.pk, "submission": submission.pk if submission else None})
    return evaluation


@transaction.atomic
def evaluation_score(*, actor: Any, evaluation: Evaluation, scores: list[dict[str, Any]]) -> Evaluation:
    """A member of the evaluating company records their own scores (0–10) and comments, criterion by criterion."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not user_can(actor, CHANGE, evaluation):
        raise PermissionRefused()
    if not scores:
        raise _invalid("scores", _("Give at least one score."))
    criteria = {c.pk: c for c in EvaluationCriterion.objects.filter(company_id=evaluation.company_id, active=True)}
    codes = []
    for item in scores:
        key: Any = getattr(item.get("criterion"), "pk", item.get("criterion"))
        criterion = criteria.get(key)
        if criterion is None:
            raise _invalid("scores", _("Unknown criterion."), code="unknown_criterion")
        score = Decimal(str(item["score"]))
        if not Decimal("0") <= score <= Decimal("10"):
            raise _invalid("scores", _("Scores run from 0 to 10."))
        EvaluationScore.objects.update_or_create(
            evaluation=evaluation, criterion=criterion, scorer=actor,
            defaults={"score": score, "comment": str(item.get("comment") or "").strip()[:4000]})
        codes.append(criterion.code)
    evaluation.save(update_fields=["updated_at"])
    audit_record(action=acts.EVALUATION_SCORED, actor=actor, target=evaluation, company=evaluation.company,
                 details={"criteria": sorted(codes)})
    return evaluation

