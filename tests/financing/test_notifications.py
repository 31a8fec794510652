"""Every financing notification kind reaches its real recipients (real people, the real visibility rule at
delivery), in their language, and nobody else: the investor's moves reach the biotech, the biotech's the
investor, and no investor hears of another's."""

import pytest

from apps.financing import services
from apps.financing.models import EntryStage, RoundStatus
from apps.notifications.delivery import event_deliver
from apps.notifications.kinds import all_kinds
from apps.notifications.models import Notification, OutboxEvent
from tests.financing.helpers import financing_world, make_round

pytestmark = pytest.mark.django_db

LUMINA_CONTRIBUTORS = {"owner", "admin", "member"}


@pytest.fixture
def fw(world):
    financing_world(world)
    return world


def _delivered(world, kind):
    """Deliver the (one) event of `kind` and return who got it, by persona."""
    event = OutboxEvent.objects.get(kind=kind)
    event_deliver(event_id=event.pk, send_emails=False)
    by_user = {user.pk: persona for persona, user in world.people.items() if user is not None}
    return {by_user.get(pk, pk) for pk in Notification.objects.filter(event=event).values_list("recipient_id",
                                                                                                flat=True)}


def _submitted(fw):
    services.round_submit(actor=fw.member, round=make_round(fw.licensor, status=RoundStatus.DRAFT))


def _to_staff(fw):
    return make_round(fw.licensor, status=RoundStatus.SUBMITTED)


def _published(fw):
    services.round_publish(actor=fw.staff, round=_to_staff(fw))


def _changes(fw):
    services.round_request_changes(actor=fw.staff, round=_to_staff(fw), reason="Add the use of proceeds in Chinese.")


def _interest(fw):
    services.interest_express(actor=fw.investor, round=fw.extra["round"], message="Keen.")


def _cedar(fw, stage):
    entry = fw.extra["cedar_entry"]
    entry.stage = stage
    entry.save()
    return entry


def _diligence(fw):
    services.entry_advance(actor=fw.admin, entry=_cedar(fw, EntryStage.INTERESTED), stage=EntryStage.DILIGENCE)


def _term_sheet(fw):
    services.entry_advance(actor=fw.admin, entry=_cedar(fw, EntryStage.DILIGENCE), stage=EntryStage.TERM_SHEET)


def _committed(fw):
    services.entry_advance(actor=fw.book_investor, entry=_cedar(fw, EntryStage.TERM_SHEET),
                           stage=EntryStage.COMMITTED, committed_amount="7000000.00")


def _closed(fw):
    entry = _cedar(fw, EntryStage.COMMITTED)
    entry.committed_amount = 7000000
    entry.save()
    services.entry_advance(actor=fw.owner, entry=entry, stage=EntryStage.CLOSED)


def _passed(fw):
    services.entry_pass(actor=fw.book_investor, entry=fw.extra["cedar_entry"], reason="valuation")


def _soft(fw):
    services.entry_soft_circle(actor=fw.book_investor, entry=fw.extra["cedar_entry"], amount="6000000")


def _lead(fw):
    services.round_name_lead(actor=fw.admin, round=fw.extra["round"], investor=fw.extra["cedar"])


# kind, what happens, who must receive it (by persona); anyone else in the world must not.
CASES = [
    ("financing.round_submitted", _submitted, {"staff"}),
    ("financing.round_published", _published, LUMINA_CONTRIBUTORS),
    ("financing.round_changes_requested", _changes, LUMINA_CONTRIBUTORS),
    # Cedar and Jadeite's theses match too (oncology; Series B); Alpine's (neurology, seed) does not.
    ("financing.round_matched", _published, {"investor", "book_investor", "other_book_investor"}),
    ("financing.interest_expressed", _interest, LUMINA_CONTRIBUTORS),
    ("financing.entry_diligence", _diligence, {"book_investor"}),
    ("financing.entry_term_sheet", _term_sheet, {"book_investor"}),
    ("financing.entry_committed", _committed, LUMINA_CONTRIBUTORS),
    ("financing.entry_closed", _closed, {"book_investor"}),
    ("financing.entry_passed", _passed, LUMINA_CONTRIBUTORS),
    ("financing.entry_soft_circled", _soft, LUMINA_CONTRIBUTORS),
    ("financing.lead_named", _lead, {"book_investor"}),
]


def test_every_financing_kind_has_a_delivery_case():
    registered = {kind.code for kind in all_kinds() if kind.code.startswith("financing.")}
    assert registered == {code for code, *_ in CASES}


@pytest.mark.parametrize(("kind", "act", "expected"), CASES, ids=[case[0] for case in CASES])
def test_kind_reaches_exactly_its_recipients(fw, kind, act, expected):
    act(fw)
    assert _delivered(fw, kind) == expected


def test_the_biotech_reads_a_pass_in_chinese_and_the_investor_wrote_in_english(fw):
    fw.admin.preferred_language = "zh-hans"
    fw.admin.save()
    _passed(fw)
    _delivered(fw, "financing.entry_passed")
    chinese = Notification.objects.get(kind="financing.entry_passed", recipient=fw.admin)
    english = Notification.objects.get(kind="financing.entry_passed", recipient=fw.member)
    assert chinese.language == "zh-hans" and "放弃" in chinese.title and "估值" in chinese.body
    assert "Cedar Lane Capital（中文）" in chinese.title
    assert english.body.startswith("Cedar Lane Capital passed on") and "Valuation above" in english.body


def test_a_commitment_notice_names_the_amount_to_the_biotech_only(fw):
    _committed(fw)
    _delivered(fw, "financing.entry_committed")
    bodies = dict(Notification.objects.filter(kind="financing.entry_committed")
                  .values_list("recipient__email", "body"))
    assert set(bodies) == {fw.owner.email, fw.admin.email, fw.member.email}
    assert all("7000000.00 USD" in body for body in bodies.values())
