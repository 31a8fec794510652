"""Delivery, run in this process: idempotent fan-out, language, access, preferences, e-mails, digest."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from apps.companies.models import Membership, Role
from apps.companies.services import company_verify, invitation_create, membership_change_role
from apps.notifications.delivery import digests_send, event_deliver
from apps.notifications.models import (
    DirectEmail,
    EmailStatus,
    EventStatus,
    Notification,
    NotificationPreference,
    OutboxEvent,
)
from apps.notifications.services import notify
from apps.notifications.tasks import outbox_sweep
from apps.notifications.visibility import visible_user_ids, visible_user_ids_exact
from tests.factories import CompanyFactory, UserFactory
from tests.notifications.conftest import make_people

pytestmark = pytest.mark.django_db


def _verified_event(world, recipients=None):
    return notify(kind="company.verified", recipients=recipients or [world.owner, world.admin],
                  target=world.licensor, actor=world.staff,
                  context={"company": world.licensor.name_en, "company_zh": world.licensor.name_zh})


def test_company_verification_reaches_admins_once_in_app_and_by_email(world):
    world.licensor.verification_status = "pending"
    world.licensor.save()
    company_verify(actor=world.staff, company=world.licensor)
    event = OutboxEvent.objects.get(kind="company.verified")
    event_deliver(event_id=event.pk)
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {world.owner.email,
                                                                                    world.admin.email}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.owner.email, world.admin.email])
    event.refresh_from_db()
    assert event.status == EventStatus.DONE and event.delivered_at is not None


def test_the_same_delivery_twice_creates_one_notification_and_one_email(world):
    event = _verified_event(world)
    event_deliver(event_id=event.pk)
    OutboxEvent.objects.filter(pk=event.pk).update(status=EventStatus.PENDING)  # as if the ack was lost
    event_deliver(event_id=event.pk)
    assert Notification.objects.filter(event=event).count() == 2
    assert len(mail.outbox) == 2


def test_a_claimed_email_is_never_sent_again(world):
    """A worker died after claiming: at most once means the e-mail is not re-sent by the next run."""
    event = _verified_event(world, [world.owner])
    OutboxEvent.objects.filter(pk=event.pk).update(recipient_ids=[world.owner.pk])
    Notification.objects.create(event=event, recipient=world.owner, kind=event.kind, title="t", language="en",
                                email_status=EmailStatus.SENDING)
    event_deliver(event_id=event.pk)
    assert mail.outbox == []
    assert Notification.objects.get(event=event).email_status == EmailStatus.SENDING


def test_a_claim_that_outlived_its_lease_ends_unknown_and_a_live_one_stays(world):
    """A worker killed between claim and record: once the claim expires the sweeper says "unknown" (it may have
    gone out), never "sending" for ever, and never sends it again. A fresh claim is a worker still at work."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.notifications.delivery import email_claim_seconds

    event = _verified_event(world, [world.owner, world.admin])
    OutboxEvent.objects.filter(pk=event.pk).update(status=EventStatus.DONE)
    long_ago = timezone.now() - timedelta(seconds=email_claim_seconds() + 1)
    dead = Notification.objects.create(event=event, recipient=world.owner, kind=event.kind, title="t", language="en",
                                       email_status=EmailStatus.SENDING, email_claimed_at=long_ago)
    alive = Notification.objects.create(event=event, recipient=world.admin, kind=event.kind, title="t",
                                        language="en", email_status=EmailStatus.SENDING,
                                        email_claimed_at=timezone.now())
    invitation = DirectEmail.objects.create(event=event, address="new@example.test", language="en",
                                            status=EmailStatus.SENDING, claimed_at=long_ago)
    outbox_sweep()
    assert Notification.objects.get(pk=dead.pk).email_status == EmailStatus.UNKNOWN
    assert Notification.objects.get(pk=alive.pk).email_status == EmailStatus.SENDING
    assert DirectEmail.objects.get(pk=invitation.pk).status == EmailStatus.UNKNOWN
    assert mail.outbox == []


def test_emails_of_an_event_that_finally_failed_are_marked_failed(world, settings):
    from apps.notifications.delivery import event_record_failure

    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    event = _verified_event(world, [world.owner])
    Notification.objects.create(event=event, recipient=world.owner, kind=event.kind, title="t", language="en",
                                email_status=EmailStatus.PENDING)
    OutboxEvent.objects.filter(pk=event.pk).update(attempts=1)
    event_record_failure(event_id=event.pk, error="SMTPServerDisconnected", final=True)
    assert Notification.objects.get(event=event).email_status == EmailStatus.PENDING  # the sweeper retries
    OutboxEvent.objects.filter(pk=event.pk).update(attempts=2)
    event_record_failure(event_id=event.pk, error="SMTPServerDisconnected", final=True)
    assert Notification.objects.get(event=event).email_status == EmailStatus.FAILED


def test_chinese_reader_gets_title_body_and_email_in_chinese(world):
    world.owner.preferred_language = "zh-hans"
    world.owner.save()
    event = _verified_event(world, [world.owner])
    event_deliver(event_id=event.pk)
    notification = Notification.objects.get(recipient=world.owner)
    assert notification.language == "zh-hans"
    assert notification.title == f"{world.licensor.name_zh} 已通过认证"
    assert "认证" in notification.body
    message = mail.outbox[0]
    assert message.subject == notification.title
    assert "GPC 全球医药社区" in message.body
    html = message.alternatives[0][0]
    assert 'lang="zh-Hans"' in html and notification.title in html


def test_english_reader_gets_english_alongside_a_chinese_reader(world):
    world.owner.preferred_language = "zh-hans"
    world.owner.save()
    event = _verified_event(world)
    event_deliver(event_id=event.pk)
    assert Notification.objects.get(recipient=world.admin).title == f"{world.licensor.name_en} is verified"


def test_person_who_left_the_company_is_not_told(world):
    event = notify(kind="membership.role_changed", recipients=[world.member, world.outsider],
                   target=world.licensor, context={"company": "Lumina", "role": "admin"})
    world.licensor.verification_status = "suspended"  # not visible to outsiders any more ...
    world.licensor.save()
    Membership.objects.filter(user=world.member).delete()  # ... and the member left
    event_deliver(event_id=event.pk)
    assert not Notification.objects.exists()
    assert OutboxEvent.objects.get(pk=event.pk).status == EventStatus.DONE


def test_inactive_person_is_not_told(world):
    world.admin.is_active = False
    world.admin.save()
    event = _verified_event(world)
    event_deliver(event_id=event.pk)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.owner.pk]


def test_the_actor_is_not_told_about_their_own_act(world):
    event = notify(kind="membership.role_changed", recipients=[world.owner, world.member], actor=world.owner,
                   target=world.licensor, context={"company": "Lumina", "role": "admin"})
    event_deliver(event_id=event.pk)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.member.pk]


def test_target_without_an_access_rule_is_delivered(world):
    """Targets that are plain models (no for_user) do not filter anybody out."""
    from django.contrib.auth.models import Group

    event = notify(kind="membership.role_changed", recipients=[world.outsider], target=Group.objects.first(),
                   context={"company": "Lumina", "role": "admin"})
    event_deliver(event_id=event.pk)
    assert Notification.objects.filter(recipient=world.outsider).exists()


def test_deleted_target_tells_nobody(world):
    company = CompanyFactory()
    event = notify(kind="company.verified", recipients=[world.owner], target=company, context={"company": "Gone"})
    company.delete()
    event_deliver(event_id=event.pk)
    assert not Notification.objects.exists()


def test_bulk_visibility_agrees_with_the_per_person_rule(world):
    """The one-statement check must give exactly what for_user() gives person by person."""
    pending = CompanyFactory(verification_status="pending")
    people = list(world.people[name] for name in world.people if world.people[name] is not None)
    people.append(UserFactory(is_staff=True, is_superuser=True))
    for target in (world.licensor, world.partner, pending, Membership.objects.filter(user=world.member).first()):
        assert visible_user_ids(target, people) == visible_user_ids_exact(target, people), target


def test_batched_visibility_is_the_per_person_rule_for_data_room_targets(world):
    """Data-room rules read the person's room scope first: the batch must read it for each person (the old
    rewriter read it once for a stand-in and answered "staff only" for every room, request and question)."""
    from apps.datarooms import services as rooms
    from tests.datarooms.rooms import build_room, second_partner

    room = build_room(world, grant="download")
    _rival_company, rival = second_partner(world)
    request = rooms.access_request_create(actor=rival, asset=room.asset, message="Please.")
    question = rooms.question_ask(actor=world.other_member, room=room.room, text="ORR?")
    people = [person for person in world.people.values() if person is not None] + [rival]
    expected = {
        room.room: {world.owner, world.admin, world.member, world.viewer, world.other_member, world.staff},
        request: {world.owner, world.admin, world.staff, rival},
        question: {world.owner, world.admin, world.member, world.viewer, world.other_member, world.staff},
    }
    for target, readers in expected.items():
        assert visible_user_ids(target, people) == {person.pk for person in readers}, target
        assert visible_user_ids(target, people) == visible_user_ids_exact(target, people), target


def test_only_a_rule_that_reads_nothing_eagerly_is_bound_per_person(world):
    """The company rule is plain SQL over the person's id: bound once per chunk. The data-room rule reads the
    person's room scope while it is built: it is built for each person, never for a stand-in."""
    from apps.notifications.visibility import _rule_template
    from tests.datarooms.rooms import build_room

    room = build_room(world, grant="download")
    assert _rule_template(world.licensor, is_staff=False, is_superuser=False) is not None
    assert _rule_template(room.room, is_staff=False, is_superuser=False) is None
    assert _rule_template(room.csr, is_staff=False, is_superuser=False) is None


def test_in_app_preference_sends_no_email(world):
    NotificationPreference.objects.create(user=world.owner, kind="company.verified", delivery="in_app")
    event_deliver(event_id=_verified_event(world).pk)
    assert [message.to[0] for message in mail.outbox] == [world.admin.email]
    assert Notification.objects.get(recipient=world.owner).email_status == EmailStatus.NONE


def test_digest_collects_and_sends_one_email_per_person(world):
    for person in (world.owner, world.admin):
        NotificationPreference.objects.create(user=person, kind="company.verified", delivery="digest")
    for _round in range(3):
        event_deliver(event_id=_verified_event(world).pk)
    assert mail.outbox == []
    assert digests_send() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.owner.email, world.admin.email])
    assert "3" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("is verified") == 3
    assert not Notification.objects.exclude(email_status=EmailStatus.DIGESTED).exists()
    assert digests_send() == 0  # nothing twice


def test_digest_is_in_the_readers_language(world):
    world.owner.preferred_language = "zh-hans"
    world.owner.save()
    NotificationPreference.objects.create(user=world.owner, kind="company.verified", delivery="digest")
    event_deliver(event_id=_verified_event(world, [world.owner]).pk)
    digests_send()
    assert "摘要" in mail.outbox[0].subject
    assert "已通过认证" in mail.outbox[0].body


def test_invitation_goes_by_email_only_with_the_accept_link(world):
    _invitation, token = invitation_create(actor=world.owner, company=world.licensor,
                                          email="newcomer@example.test", role=Role.ADMIN)
    event = OutboxEvent.objects.get(kind="membership.invited")
    event_deliver(event_id=event.pk)
    assert not Notification.objects.exists()
    [message] = mail.outbox
    assert message.to == ["newcomer@example.test"]
    assert f"accept/?token={token}" in message.body and token in message.alternatives[0][0]
    assert world.licensor.name_en in message.subject
    assert DirectEmail.objects.get().status == EmailStatus.SENT


def test_invitation_token_is_blanked_on_the_outbox_after_delivery(world):
    _invitation, token = invitation_create(actor=world.owner, company=world.licensor,
                                          email="newcomer@example.test", role=Role.MEMBER)
    event = OutboxEvent.objects.get(kind="membership.invited")
    event_deliver(event_id=event.pk)
    event.refresh_from_db()
    assert token not in str(event.context)


def test_invitation_to_a_known_chinese_reader_is_in_chinese(world):
    world.other_member.preferred_language = "zh-hans"
    world.other_member.save()
    invitation_create(actor=world.owner, company=world.licensor, email=world.other_member.email, role=Role.MEMBER)
    event_deliver(event_id=OutboxEvent.objects.get(kind="membership.invited").pk)
    assert "邀请" in mail.outbox[0].subject
    assert "一次性邀请码" in mail.outbox[0].body


def test_role_change_is_in_app_only_by_default(world):
    membership = Membership.objects.get(user=world.member)
    membership_change_role(actor=world.owner, membership=membership, role=Role.ADMIN)
    event_deliver(event_id=OutboxEvent.objects.get(kind="membership.role_changed").pk)
    notification = Notification.objects.get(recipient=world.member)
    assert notification.title == f"Your role at {world.licensor.name_en} is now Admin"
    assert mail.outbox == []


def test_fan_out_in_chunks_creates_one_row_per_person(world, settings):
    settings.NOTIFICATIONS_FANOUT_CHUNK_SIZE = 7
    people = make_people(30, company=world.licensor)
    event = notify(kind="membership.role_changed", recipients=people, target=world.licensor,
                   context={"company": "Lumina", "role": "member"})
    event_deliver(event_id=event.pk)
    assert Notification.objects.filter(event=event).count() == 30


def test_rerun_of_an_interrupted_fan_out_completes_it_without_a_second_notification(world, settings):
    settings.NOTIFICATIONS_FANOUT_CHUNK_SIZE = 7
    people = make_people(30, company=world.licensor)
    event = notify(kind="membership.role_changed", recipients=people, target=world.licensor,
                   context={"company": "Lumina", "role": "member"})
    event_deliver(event_id=event.pk)
    # As if the worker had stopped part-way: some people (in whole and in partly delivered chunks) were never
    # told, and some of those who were have read theirs already.
    delivered = list(Notification.objects.filter(event=event).order_by("recipient_id"))
    Notification.objects.filter(pk__in=[row.pk for row in delivered[3:5] + delivered[9:21] + delivered[-1:]]).delete()
    read = [row.pk for row in delivered[:3] + delivered[5:9]]
    Notification.objects.filter(pk__in=read).update(read_at=timezone.now())
    OutboxEvent.objects.filter(pk=event.pk).update(status=EventStatus.PENDING)

    event_deliver(event_id=event.pk)

    rows = Notification.objects.filter(event=event)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(person.pk for person in people)
    assert set(rows.filter(read_at__isnull=False).values_list("pk", flat=True)) == set(read)


def test_sweeper_enqueues_what_is_still_pending(world, monkeypatch):
    from datetime import timedelta

    enqueued = []
    monkeypatch.setattr("apps.notifications.tasks.enqueue_delivery", lambda event_id: enqueued.append(event_id)
                        or True)
    with transaction.atomic():
        old = _verified_event(world)
        done = _verified_event(world)
    OutboxEvent.objects.filter(pk=done.pk).update(status=EventStatus.DONE)
    assert outbox_sweep(older_than=timedelta(0)) == 1
    assert enqueued == [old.pk]
    assert outbox_sweep(older_than=timedelta(minutes=5)) == 0  # too fresh: its own task is probably running


def test_failed_event_is_retried_until_the_attempt_limit(world, monkeypatch, settings):
    from datetime import timedelta

    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    monkeypatch.setattr("apps.notifications.tasks.enqueue_delivery", lambda event_id: True)
    event = _verified_event(world)
    OutboxEvent.objects.filter(pk=event.pk).update(status=EventStatus.FAILED, attempts=2)
    assert outbox_sweep(older_than=timedelta(0)) == 1
    OutboxEvent.objects.filter(pk=event.pk).update(attempts=3)
    assert outbox_sweep(older_than=timedelta(0)) == 0


def test_task_failure_is_recorded_on_the_outbox_row(world):
    from apps.notifications.tasks import deliver_event

    event = _verified_event(world)
    OutboxEvent.objects.filter(pk=event.pk).update(kind="kind.removed_since")
    result = deliver_event.apply(args=[event.pk], throw=False)
    assert result.failed()
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert "unknown notification kind" in event.last_error


def test_transient_email_error_gives_the_email_back_for_the_retry(world, monkeypatch):
    import smtplib

    event = _verified_event(world, [world.owner])

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        event_deliver(event_id=event.pk)
    assert Notification.objects.get().email_status == EmailStatus.PENDING
    monkeypatch.undo()
    event_deliver(event_id=event.pk)
    assert len(mail.outbox) == 1


def test_demo_data_is_idempotent_and_chinese_for_lumina_admins():
    from apps.companies import demo as companies_demo
    from apps.notifications import demo

    ctx: dict = {}
    companies_demo.load(ctx)
    demo.load(ctx)
    demo.load(ctx)
    lumina_admin = ctx["people"]["lumina_admin"]
    [notification] = Notification.objects.filter(recipient=lumina_admin)
    assert notification.title == "上海流明生物治疗 已通过认证"
    assert notification.read_at is None
    assert Notification.objects.count() == 5
    assert mail.outbox == []
