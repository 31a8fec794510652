"""notify(): the outbox row is part of the caller's transaction, and the enqueue never breaks a write."""

import logging

import pytest
from django.db import transaction

from apps.companies.services import company_suspend, invitation_create
from apps.notifications.models import EventStatus, OutboxEvent
from apps.notifications.services import notify
from tests.notifications.conftest import celery_broker, free_port

pytestmark = pytest.mark.django_db


def test_unknown_kind_raises_value_error(world):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(kind="asset.teleported", recipients=[world.owner], target=world.licensor)
    assert not OutboxEvent.objects.exists()


def test_missing_required_context_raises_value_error(world):
    with pytest.raises(ValueError, match="needs context"):
        notify(kind="company.verified", recipients=[world.owner], target=world.licensor, context={})


def test_context_that_is_not_json_raises_value_error(world):
    with pytest.raises(ValueError, match="JSON"):
        notify(kind="company.verified", recipients=[world.owner], context={"company": object()})


def test_malformed_email_address_raises_value_error(world):
    with pytest.raises(ValueError, match="not an e-mail address"):
        notify(kind="membership.invited", emails=["not-an-address"],
               context={"company": "Lumina", "accept_url": "http://x", "token": "t"})


def test_recipients_on_an_email_only_kind_raise_value_error(world):
    with pytest.raises(ValueError, match="e-mail only"):
        notify(kind="membership.invited", recipients=[world.owner],
               context={"company": "Lumina", "accept_url": "http://x", "token": "t"})


def test_dates_and_lazy_strings_in_context_are_stored_as_json(world):
    from datetime import date

    from django.utils.translation import gettext_lazy as _

    event = notify(kind="company.verified", recipients=[world.owner], target=world.licensor,
                   context={"company": _("Company verified"), "when": date(2026, 5, 27)})
    event.refresh_from_db()
    assert event.context == {"company": "Company verified", "when": "2026-05-27"}


def test_nobody_to_tell_writes_nothing(world):
    assert notify(kind="company.verified", recipients=[], context={"company": "X"}) is None
    assert not OutboxEvent.objects.exists()


def test_queryset_recipients_are_resolved_to_ids_at_the_time_of_the_act(world):
    from apps.companies.services import company_admins

    event = notify(kind="company.verified", recipients=company_admins(world.licensor), target=world.licensor,
                   context={"company": "Lumina"})
    assert sorted(event.recipient_ids) == sorted([world.owner.pk, world.admin.pk])


def test_rolled_back_act_leaves_no_event_and_enqueues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(kind="company.verified", recipients=[world.owner], target=world.licensor,
               context={"company": "Lumina"})
        raise RuntimeError("the act failed")
    assert not OutboxEvent.objects.exists()
    assert callbacks == []


def test_each_event_enqueues_its_own_id_after_commit(world, django_capture_on_commit_callbacks, monkeypatch):
    """A loop of notify() calls must enqueue every event once (no late-binding lambda)."""
    sent = []
    monkeypatch.setattr("apps.notifications.tasks.deliver_event.apply_async",
                        lambda args, **kwargs: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events = [notify(kind="company.verified", recipients=[person], target=world.licensor,
                             context={"company": "Lumina"}) for person in (world.owner, world.admin, world.member)]
        assert sent == []  # nothing before commit
    assert sent == [event.pk for event in events]


def test_service_write_succeeds_when_the_broker_is_unreachable(world, django_capture_on_commit_callbacks, caplog):
    """The company is suspended and the event waits in the outbox for the sweeper; a warning is logged."""
    caplog.set_level(logging.WARNING, logger="apps.notifications.services")
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        company = company_suspend(actor=world.staff, company=world.licensor, reason="Expired licence")
    assert company.verification_status == "suspended"
    event = OutboxEvent.objects.get(kind="company.suspended")
    assert event.status == EventStatus.PENDING
    assert "not enqueued" in caplog.text


def test_invitation_event_carries_the_accept_link(world):
    _invitation, token = invitation_create(actor=world.owner, company=world.licensor,
                                          email="NEW.person@example.test", role="member")
    event = OutboxEvent.objects.get(kind="membership.invited")
    assert event.emails == ["new.person@example.test"]
    assert token in event.context["accept_url"]
    assert event.recipient_ids == []
