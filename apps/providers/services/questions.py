"""Clarification questions on a request: asked by a provider, answered privately or published to every bidder."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import (
    CONTRIBUTING_ROLES,
)
from apps.companies.selectors import company_people
from apps.core.authz import require_permission
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    PROPOSE,
    RequestQuestion,
    RequestStatus,
    ServiceRequest,
)
from apps.providers.services.common import (
    _audience_company,
    _audience_people,
    _locked,
    _provider_context,
    _request_context,
)


@transaction.atomic
def question_ask(*, actor: Any, request: ServiceRequest, text: str) -> RequestQuestion:
    """A provider of the audience asks a clarification question; only it and the requester will see it."""
    request = ServiceRequest.objects.select_related("company").get(pk=request.pk)
    require_permission(actor, PROPOSE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("The request no longer takes questions."), code="request_not_open")
    if not text.strip():
        raise ValidationFailed(_("The question is empty."), code="required", fields={"text": [_("Required.")]})
    company = _audience_company(actor, request)
    if company is None:
        raise PermissionRefused()
    question = RequestQuestion.objects.create(request=request, company=company, asked_by=actor, text=text.strip())
    audit_record(action=A.QUESTION_ASKED, actor=actor, target=question, company=company,
                 details={"request": request.pk})
    notify(kind="provider.question_asked", recipients=company_people(request.company_id, CONTRIBUTING_ROLES),
           target=question, actor=actor,
           context={**_request_context(request), **_provider_context(company), "question": text.strip()[:300]})
    return question


@transaction.atomic
def question_answer(*, actor: Any, question: RequestQuestion, answer: str, publish: bool = False) -> RequestQuestion:
    """The requester answers privately (the asker is told) or publishes question and answer to all bidders,
    anonymously (the whole audience is told, nobody learns who asked)."""
    question = _locked(RequestQuestion).select_related("request__company").get(pk=question.pk)
    require_permission(actor, "answer", question)
    if not answer.strip():
        raise ValidationFailed(_("The answer is empty."), code="answer_required", fields={"answer": [_("Required.")]})
    request = question.request
    question.answer = answer.strip()
    question.answered_by = actor
    question.answered_at = timezone.now()
    newly_published = publish and not question.published
    question.published = question.published or publish
    question.save(update_fields=["answer", "answered_by", "answered_at", "published"])
    audit_record(action=A.QUESTION_ANSWERED, actor=actor, target=question, company=request.company,
                 details={"published": question.published})
    notify(kind="provider.question_answered", recipients=[question.asked_by], target=question, actor=actor,
           context={**_request_context(request), "answer": question.answer[:300]})
    if newly_published:
        others = _audience_people(request).exclude(pk=question.asked_by_id)
        notify(kind="provider.answer_published", recipients=others, target=question, actor=actor,
               context={**_request_context(request), "question": question.text[:300],
                        "answer": question.answer[:300]})
    return question

