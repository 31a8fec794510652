"""With a real Celery worker on real Redis (not eager): nothing is lost, nothing is doubled."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count

from apps.companies.models import Membership
from apps.notifications.delivery import emails_mark_unknown
from apps.notifications.models import DirectEmail, EmailStatus, EventStatus, Notification, OutboxEvent
from apps.notifications.services import notify
from apps.notifications.tasks import outbox_sweep
from tests.conftest import build_world
from tests.notifications.conftest import celery_broker, make_people
from tests.polling import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.xdist_group("worker"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(150),
]


def _sweep_now() -> int:
    return outbox_sweep(older_than=timedelta(0))


def _event_done(event_id: int) -> bool:
    return OutboxEvent.objects.filter(pk=event_id, status=EventStatus.DONE).exists()


def test_kill_9_three_times_during_a_fan_out_to_1000(start_worker):
    """Every recipient ends with exactly one notification and at most one e-mail of the event."""
    world = build_world()
    people = make_people(1000, company=world.licensor)
    worker = start_worker(chunk_size=100)
    with transaction.atomic():
        event = notify(kind="company.verified", recipients=people, target=world.licensor, actor=world.staff,
                       context={"company": world.licensor.name_en, "company_zh": world.licensor.name_zh})
    emailed = Notification.objects.filter(event=event, email_status__in=[EmailStatus.SENDING, EmailStatus.SENT])
    progress = [
        lambda: Notification.objects.filter(event=event).exists(),  # during the chunked inserts
        lambda: emailed.count() >= 300,  # during the e-mails
        lambda: emailed.count() >= 650,
    ]
    for number, reached in enumerate(progress, start=1):
        wait_for(reached, timeout=60, interval=0.01, what=f"progress before kill {number}")
        assert not _event_done(event.pk), f"the fan-out finished before kill {number}: nothing was interrupted"
        worker.kill()
        worker.start()
        # The killed task's message sits unacked until the visibility timeout: the sweeper re-sends the event.
        assert _sweep_now() >= 1
    wait_for(lambda: _event_done(event.pk), timeout=90, what=f"the event to be delivered\n{worker.log()}")

    per_person = Counter(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
    assert set(per_person) == {person.pk for person in people}
    assert set(per_person.values()) == {1}
    emails = worker.emails_per_notification()
    assert max(emails.values()) == 1, "an e-mail went out twice"
    # At most one e-mail per kill can be lost (claimed, then the worker died before sending it).
    assert len(emails) >= 1000 - 3
    assert not Notification.objects.filter(event=event, email_status=EmailStatus.PENDING).exists()

    # Nothing stays "sending": the claims of the killed workers expire and the sweeper says what is known.
    emails_mark_unknown(older_than=timedelta(0))  # the event is delivered: every remaining claim is a dead one
    records = dict(Notification.objects.filter(event=event).values_list("pk", "email_status"))
    statuses = Counter(records.values())
    assert set(statuses) <= {EmailStatus.SENT, EmailStatus.UNKNOWN}, statuses
    assert statuses[EmailStatus.UNKNOWN] <= 3, "only the e-mail each killed worker was sending is in doubt"
    # Every record that says "sent" went out (counted in the files), and everything that went out says "sent"
    # unless its worker was killed right after sending it.
    sent = {str(pk) for pk, status in records.items() if status == EmailStatus.SENT}
    assert sent <= set(emails)
    assert len(set(emails) - sent) <= statuses[EmailStatus.UNKNOWN]


def test_events_committed_while_redis_is_down_are_delivered_after_the_sweep(start_worker, private_redis, caplog):
    """The API write succeeds with the broker gone; the outbox keeps the events; the sweeper sends them."""
    world = build_world()
    membership = Membership.objects.get(company=world.licensor, user=world.member)
    private_redis.stop()
    with celery_broker(private_redis.url):
        response = world.client("owner").patch(f"/api/v1/memberships/{membership.pk}/", {"role": "admin"},
                                               format="json")
        assert response.status_code == 200, response.content
        with transaction.atomic():
            notify(kind="company.verified", recipients=[world.owner, world.admin], target=world.licensor,
                   context={"company": world.licensor.name_en})
        with transaction.atomic():
            notify(kind="membership.invited", emails=["newcomer@example.test"], target=world.licensor,
                   context={"company": world.licensor.name_en, "accept_url": "http://x/accept?token=t1",
                            "token": "t1", "role": "member"})
        assert set(OutboxEvent.objects.values_list("status", flat=True)) == {EventStatus.PENDING}
        assert OutboxEvent.objects.count() == 3
        assert not Notification.objects.exists()
        assert "not enqueued" in caplog.text

        private_redis.start()
        worker = start_worker(broker_url=private_redis.url)
        assert _sweep_now() == 3
        wait_for(lambda: not OutboxEvent.objects.exclude(status=EventStatus.DONE).exists(), timeout=60,
                 what=f"all events delivered\n{worker.log()}")
    assert Notification.objects.filter(recipient=world.member, kind="membership.role_changed").count() == 1
    assert Notification.objects.filter(kind="company.verified").count() == 2
    assert DirectEmail.objects.get().status == EmailStatus.SENT
    assert sum(worker.emails_per_notification().values()) == 2


def test_the_same_event_delivered_twice_at_once_gives_one_notification_each(start_worker):
    """Two workers take two copies of the same task at the same moment."""
    world = build_world()
    people = make_people(300, company=world.licensor)
    first = start_worker(chunk_size=50)
    start_worker(chunk_size=50)
    with transaction.atomic():
        event = notify(kind="company.verified", recipients=people, target=world.licensor,
                       context={"company": world.licensor.name_en})
    from apps.notifications.tasks import enqueue_delivery

    assert enqueue_delivery(event.pk)  # a duplicate message, as a redelivery or an eager sweeper would make
    wait_for(lambda: _event_done(event.pk)
             and not Notification.objects.filter(event=event, email_status=EmailStatus.PENDING).exists(),
             timeout=60, what="delivery")
    duplicates = (Notification.objects.filter(event=event).values("recipient").annotate(n=Count("id"))
                  .filter(n__gt=1))
    assert not duplicates.exists()
    assert Notification.objects.filter(event=event).count() == 300
    emails = first.emails_per_notification()  # both workers write into the same folder
    assert len(emails) == 300 and max(emails.values()) == 1
