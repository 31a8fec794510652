"""Every registered notification kind reaches its intended recipient: a real person, under the real
visibility rule, in their language, with wording meant for them (scenarios: tests/notifications/scenarios.py).

A kind without a scenario fails here: add `@scenario("<kind>")` in tests/<app>/notification_scenarios.py.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from apps.notifications.delivery import event_deliver
from apps.notifications.kinds import Delivery, all_kinds, get_kind
from apps.notifications.models import DirectEmail, EmailStatus, EventStatus, Notification, OutboxEvent
from tests.notifications.scenarios import Told, load_all

SCENARIOS = load_all()
# Kinds registered when the test run starts (tests that register throw-away kinds do so later).
KINDS = [kind.code for kind in all_kinds()]


def test_every_scenario_names_a_registered_kind():
    assert sorted(set(SCENARIOS) - set(KINDS)) == []


@pytest.mark.parametrize("code", KINDS)
def test_kind_reaches_its_intended_recipient(code, world):
    if code not in SCENARIOS:
        pytest.fail(f"notification kind {code!r} has no delivery scenario: add @scenario({code!r}) in "
                    "tests/<app>/notification_scenarios.py (docs/notifications.md, 'Proving a kind is delivered')")
    kind = get_kind(code)
    told = SCENARIOS[code](world)
    assert isinstance(told, Told), f"the scenario of {code} must return Told(...)"
    assert told.says and told.says_zh, f"the scenario of {code} must say what each language reads"
    if told.person is not None:
        told.person.refresh_from_db()
        told.person.preferred_language = "zh-hans"
        told.person.save(update_fields=["preferred_language"])
    events = list(OutboxEvent.objects.filter(kind=code).order_by("pk"))
    assert events, f"the scenario of {code} recorded no event of that kind"
    mail.outbox = []
    for event in events:
        event_deliver(event_id=event.pk)
    assert not OutboxEvent.objects.filter(kind=code).exclude(status=EventStatus.DONE).exists()

    if kind.in_app:
        assert told.person is not None, f"{code} is told in the app: name the person"
        notification = Notification.objects.filter(kind=code, recipient=told.person).first()
        assert notification is not None, f"{told.person.email} got no {code} notification"
        assert notification.language == "zh-hans"
        assert told.says_zh in notification.title + notification.body, (notification.title, notification.body)
        event = notification.event
        with translation.override("en"):
            english = kind.render(event.context, "en")
        assert told.says in english["title"] + english["body"], english
        sent = [message for message in mail.outbox if message.to == [told.person.email]]
        if kind.default_delivery == Delivery.EMAIL:
            assert [message.subject for message in sent] == [notification.title]
            assert told.says_zh in sent[0].subject + sent[0].body
            assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.SENT
        else:
            assert sent == []
            expected = EmailStatus.DIGEST if kind.default_delivery == Delivery.DIGEST else EmailStatus.NONE
            assert notification.email_status == expected
        for person in told.not_told:
            assert not Notification.objects.filter(kind=code, recipient=person).exists(), \
                f"{person.email} must not get {code}"
            assert not [message for message in mail.outbox if message.to == [person.email]]
    else:
        assert told.address, f"{code} is e-mail only: name the address"
        direct = DirectEmail.objects.get(event__kind=code, address=told.address)
        assert direct.status == EmailStatus.SENT
        sent = [message for message in mail.outbox if message.to == [told.address]]
        assert len(sent) == 1
        assert told.says_zh in sent[0].subject + sent[0].body
        with translation.override("en"):
            english = kind.render(direct.event.context, "en")
        assert told.says in english["title"] + english["body"], english
