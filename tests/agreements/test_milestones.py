"""After signature: milestones from achieved to paid, regulatory events from the catalog, reminders."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from apps.agreements import services, tasks
from apps.agreements.models import AgreementStatus, MilestoneStatus, Reminder
from apps.audit.models import AuditEvent
from apps.core.errors import Conflict, PermissionRefused
from apps.notifications.models import OutboxEvent
from tests.agreements import helpers

pytestmark = pytest.mark.django_db


def _post(world, persona, milestone, step, body=None):
    return world.client(persona).post(f"/api/v1/agreement-milestones/{milestone.pk}/{step}/", body or {},
                                      format="json")


def test_full_path_from_achieved_to_paid(world):
    agreement = helpers.executed(world)
    milestone = helpers.milestone(agreement)
    partner_admin = helpers.partner_admin(world)
    response = _post(world, "member", milestone, "achieve", {"evidence": "First patient dosed 2027-05-02",
                                                             "evidence_url": "https://lumina.example/pr/12"})
    assert response.status_code == 200 and response.json()["status"] == "achieved"
    event = OutboxEvent.objects.get(kind="agreement.milestone_achieved")
    assert partner_admin.pk in event.recipient_ids and world.member.pk not in event.recipient_ids
    services.milestone_confirm(actor=partner_admin, milestone=milestone)
    assert _post(world, "admin", milestone, "invoice", {"reference": "INV-7"}).json()["status"] == "invoiced"
    services.milestone_pay(actor=partner_admin, milestone=milestone, reference="WIRE-9")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PAID and milestone.payment_reference == "WIRE-9"
    actions = set(AuditEvent.objects.filter(target_id=str(milestone.pk), target_type="agreements.milestone")
                  .values_list("action", flat=True))
    assert actions == {"agreement.milestone_achieved", "agreement.milestone_confirmed",
                       "agreement.milestone_invoiced", "agreement.milestone_paid"}


def test_the_claimant_cannot_confirm_its_own_milestone(world):
    agreement = helpers.executed(world)
    milestone = services.milestone_achieve(actor=world.member, milestone=helpers.milestone(agreement),
                                           evidence="Dosed")
    response = _post(world, "owner", milestone, "confirm")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_counterparty"


def test_dispute_then_achieve_again(world):
    agreement = helpers.executed(world)
    partner_admin = helpers.partner_admin(world)
    milestone = services.milestone_achieve(actor=world.member, milestone=helpers.milestone(agreement),
                                           evidence="Dosed")
    services.milestone_dispute(actor=partner_admin, milestone=milestone, reason="Patient dosed in phase 2b")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DISPUTED and "phase 2b" in milestone.dispute_reason
    assert OutboxEvent.objects.filter(kind="agreement.milestone_disputed").exists()
    services.milestone_achieve(actor=world.admin, milestone=milestone, evidence="Phase 3 dosing record attached")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.ACHIEVED and milestone.dispute_reason == ""


def test_steps_out_of_order_are_conflicts(world):
    agreement = helpers.executed(world)
    milestone = helpers.milestone(agreement)
    response = _post(world, "admin", milestone, "invoice")
    assert response.status_code == 409 and response.json()["error"]["code"] == "milestone_wrong_status"
    with pytest.raises(Conflict):
        services.milestone_confirm(actor=helpers.partner_admin(world), milestone=milestone)


def test_evidence_is_required(world):
    agreement = helpers.executed(world)
    response = _post(world, "member", helpers.milestone(agreement), "achieve", {"evidence": ""})
    assert response.status_code == 400


def test_only_the_payer_records_payment(world):
    agreement = helpers.executed(world)
    partner_admin = helpers.partner_admin(world)
    milestone = services.milestone_achieve(actor=world.member, milestone=helpers.milestone(agreement),
                                           evidence="Dosed")
    services.milestone_confirm(actor=partner_admin, milestone=milestone)
    services.milestone_invoice(actor=world.owner, milestone=milestone)
    with pytest.raises(PermissionRefused):
        services.milestone_pay(actor=world.owner, milestone=milestone)


def test_milestones_do_not_move_after_termination(world):
    agreement = helpers.executed(world)
    services.agreement_terminate(actor=world.owner, agreement=agreement, reason="Breach")
    response = _post(world, "member", helpers.milestone(agreement), "achieve", {"evidence": "Dosed"})
    assert response.status_code == 409


def test_fda_approval_recorded_in_the_catalog_achieves_linked_milestones(world):
    from apps.catalog.services import regulatory_event_record

    agreement = helpers.executed(world)
    asset = agreement.assets.get()
    regulatory_event_record(actor=world.member, asset=asset, agency="EMA", event_type="approved",
                            date=datetime.date(2029, 1, 5))
    assert helpers.milestone(agreement, "fda_approval").status == MilestoneStatus.PENDING  # another agency
    regulatory_event_record(actor=world.member, asset=asset, agency="FDA", event_type="approved",
                            date=datetime.date(2029, 3, 1))
    milestone = helpers.milestone(agreement, "fda_approval")
    assert milestone.status == MilestoneStatus.ACHIEVED and milestone.achieved_by_company is None
    assert milestone.regulatory_event_ref
    event = OutboxEvent.objects.get(kind="agreement.milestone_event")
    assert world.owner.pk in event.recipient_ids and helpers.partner_admin(world).pk in event.recipient_ids
    assert AuditEvent.objects.filter(action="agreement.milestone_achieved_by_event",
                                     target_id=str(milestone.pk)).exists()
    # The licensor would be paid: the partner confirms it.
    with pytest.raises(PermissionRefused):
        services.milestone_confirm(actor=world.owner, milestone=milestone)
    services.milestone_confirm(actor=helpers.partner_admin(world), milestone=milestone)


def test_regulatory_event_ignores_agreements_not_in_force(world):
    from apps.catalog.services import regulatory_event_record

    agreement = helpers.negotiation(world)
    regulatory_event_record(actor=world.member, asset=agreement.assets.get(), agency="FDA", event_type="approved",
                            date=datetime.date(2029, 3, 1))
    assert not agreement.milestones.exists()
    assert not OutboxEvent.objects.filter(kind="agreement.milestone_event").exists()


def test_unknown_regulatory_event_link_is_refused(world):
    helpers.asset(world)
    response = world.client("owner").post("/api/v1/agreements/", {
        "title": "x", "deal_type": "exclusive_license", "licensor": world.licensor.pk,
        "partners": [world.partner.pk], "assets": [helpers.asset(world).pk],
        "terms": helpers.terms(milestones=[{"key": "m", "kind": "regulatory", "description": "x", "amount": "1",
                                            "regulatory_event": "fda:approvedd"}])}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["terms"]["milestones"]["0"]["regulatory_event"]


def test_milestone_reminder_is_sent_once(world):
    agreement = helpers.executed(world)
    milestone = helpers.milestone(agreement)
    due = milestone.due_on
    assert tasks.remind_milestone_due(milestone.pk, due.isoformat()) is True
    assert tasks.remind_milestone_due(milestone.pk, due.isoformat()) is False  # idempotent
    assert Reminder.objects.filter(milestone=milestone).count() == 1
    assert OutboxEvent.objects.filter(kind="agreement.milestone_due_soon").count() == 1
    # A stale task (the due date moved since) does nothing.
    assert tasks.remind_milestone_due(milestone.pk, "2030-01-01") is False


def test_daily_sweep_enqueues_reminders_after_commit(world, django_capture_on_commit_callbacks):
    from unittest import mock

    agreement = helpers.executed(world, governance={
        "jsc_members": [{"company": world.licensor.pk, "name": "Li Wei"},
                        {"company": world.partner.pk, "name": "Olivia Grant"}],
        "meeting_cadence": "quarterly", "first_meeting": "2027-01-10"})
    milestone = helpers.milestone(agreement)  # due 2027-06-30
    with mock.patch.object(tasks.remind_milestone_due, "delay") as milestone_delay, \
            mock.patch.object(tasks.remind_jsc_meeting, "delay") as jsc_delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_due_reminders("2027-04-05") == 1  # the quarterly JSC meeting moves to 2027-04-10
        jsc_delay.assert_called_once_with(agreement.pk, "2027-04-10")
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_due_reminders("2027-06-20") == 1
        milestone_delay.assert_called_once_with(milestone.pk, "2027-06-30")
    agreement.refresh_from_db()
    meeting = agreement.next_jsc_meeting_on.isoformat()  # 2027-07-10 by now
    assert tasks.remind_jsc_meeting(agreement.pk, meeting) is True
    assert tasks.remind_jsc_meeting(agreement.pk, meeting) is False


def test_daily_state_task_activates_agreements(world):
    agreement = helpers.executed(world, effective_date="2026-01-01")
    assert tasks.update_agreement_states("2026-01-02") == {"activated": 1, "expired": 0}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


def test_tasks_acknowledge_late():
    for task in (tasks.remind_milestone_due, tasks.remind_jsc_meeting, tasks.send_due_reminders,
                 tasks.update_agreement_states):
        assert task.acks_late is True


def test_beat_schedules_are_registered():
    names = set(PeriodicTask.objects.filter(task__startswith="apps.agreements.tasks.").values_list("task",
                                                                                                   flat=True))
    assert names == {"apps.agreements.tasks.send_due_reminders", "apps.agreements.tasks.update_agreement_states"}
