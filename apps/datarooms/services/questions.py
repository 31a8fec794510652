"""Q&A: a partner's diligence questions, the owner's answers, and answers published as FAQ. Bidder isolation:
each partner sees only its own questions and the FAQ (apps/datarooms/access.py `question_q`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES, Company
from apps.companies.selectors import company_people
from apps.core.authz import VIEW, require_permission, user_can
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.notifications.services import notify

from .. import audit_actions as A
from ..access import partner_grant, room_scope
from ..models import DataRoom, Document, Question
from .common import refuse_non_partner, room_context


@transaction.atomic
def question_ask(*, actor: Any, room: DataRoom, text: str, document: Document | None = None) -> Question:
    """A partner with access asks; only its own company (and the owner's team) will ever see it."""
    grant = partner_grant(room_scope(actor), room.pk)
    if grant is None:
        refuse_non_partner(actor, room)
    if not grant.cleared:
        raise PermissionRefused(_("Accept the data room's confidentiality agreement first."), code="cda_required")
    if document is not None and (document.room_id != room.pk or not user_can(actor, VIEW, document)):
        raise ValidationFailed(_("Unknown document."), code="wrong_room", fields={"document": [_("Unknown document.")]})
    company = Company.objects.get(pk=grant.company_id)
    question = Question.objects.create(room=room, document=document, company=company, asked_by=actor, text=text)
    audit_record(action=A.QUESTION_ASKED, actor=actor, target=question, company=company, details={"room": room.pk})
    notify(kind="dataroom.question_asked", recipients=company_people(room.owner_company_id, CONTRIBUTING_ROLES),
           target=question, actor=actor,
           context={**room_context(room), "question": text[:300]})
    return question


@transaction.atomic
def question_answer(*, actor: Any, question: Question, answer: str) -> Question:
    question = Question.objects.select_for_update().select_related("room__asset").get(pk=question.pk)
    require_permission(actor, "answer", question)
    if not answer.strip():
        raise ValidationFailed(_("The answer is empty."), code="answer_required", fields={"answer": [_("Required.")]})
    question.answer = answer
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(action=A.QUESTION_ANSWERED, actor=actor, target=question, company=question.room.owner_company)
    notify(kind="dataroom.question_answered", recipients=[question.asked_by], target=question, actor=actor,
           context={**room_context(question.room), "answer": answer[:300]})
    return question


@transaction.atomic
def question_publish(*, actor: Any, question: Question, publish: bool = True) -> Question:
    """An answered question becomes a FAQ entry every partner with access reads, without the asker's identity."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    require_permission(actor, "publish", question)
    if publish and not question.answer:
        raise Conflict(_("Answer the question before publishing it."), code="not_answered")
    question.is_faq = publish
    question.save(update_fields=["is_faq"])
    audit_record(action=A.QUESTION_PUBLISHED, actor=actor, target=question, company=question.room.owner_company,
                 details={"published": publish})
    return question
