"""Authorization-matrix rows for every partnering operation (see tests/authz/matrix.py).

Personas: other_member is the calling partner (Northbridge Pharma, verified pharma); Lumina's owner, admin and
member are the answering biotech (viewer reads only); second_partner (Rhine Pharma) and another_biotech (Jade
Bio) are added by each row's params; outsider has no company; staff moderate.

Evaluations are the evaluating company's alone: every evaluation, criterion and score row answers 404 to
everyone but Northbridge, staff included (staff get counts only).
"""

from datetime import timedelta

from apps.partnering.models import CalendarFeed, CallStatus, EvaluationCriterion, MeetingStatus, SubmissionStatus
from apps.partnering.services import evaluation_create
from tests.authz.matrix import Row, expect
from tests.catalog.helpers import make_asset
from tests.partnering.helpers import (
    add_people,
    day,
    future,
    make_call,
    make_event,
    make_interest,
    make_meeting,
    make_submission,
    northbridge_criteria,
    register,
)

EXTRA = ("second_partner", "another_biotech")
LUMINA_ALL = {"viewer": 200, "member": 200, "admin": 200, "owner": 200}
LUMINA_CONTRIBUTORS = {"member": 200, "admin": 200, "owner": 200}


def ex(default, **statuses):
    """expect() with the two extra personas defaulting like everyone else."""
    return expect(default, **{**dict.fromkeys(EXTRA, default), **statuses})


def _people(world):
    add_people(world)
    return {}


def _call(status):
    def params(world):
        add_people(world)
        return {"id": make_call(world, status=status).pk}
    return params


def _submission(status=SubmissionStatus.RECEIVED):
    def params(world):
        add_people(world)
        return {"id": make_submission(world, status=status).pk}
    return params


def _submission_body(world, persona):
    call = make_call(world)
    asset = make_asset(world.licensor)
    return {"call": call.pk, "asset": asset.pk, "pitch": "A first-in-class bispecific, phase 2 data in hand."}


def _criterion(world):
    add_people(world)
    return {"id": northbridge_criteria(world).first().pk}


def _evaluation(world):
    add_people(world)
    asset = make_asset(world.licensor)
    return {"id": evaluation_create(actor=world.other_member, asset=asset).pk}


def _scores_body(world, persona):
    criterion = EvaluationCriterion.objects.filter(company=world.partner).order_by("position").first()
    return {"scores": [{"criterion": criterion.pk, "score": "7.5", "comment": "Strong data."}]}


def _evaluation_body(world, persona):
    return {"asset": make_asset(world.licensor).pk}


def _meeting(status):
    def params(world):
        add_people(world)
        return {"id": make_meeting(world, status=status).pk}
    return params


def _meeting_body(world, persona):
    start = future(days=5)
    return {"context_type": "interest", "context_id": make_interest(world).pk, "subject": "Term sheet call",
            "slots": [{"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}]}


def _accept_body(world, persona):
    from apps.partnering.models import MeetingSlot

    return {"slot": MeetingSlot.objects.order_by("-pk").first().pk}


def _propose_body(world, persona):
    start = future(days=9, hour=2)
    return {"slots": [{"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=45)).isoformat()}]}


def _feed_token(world):
    add_people(world)
    world.extra["token"] = CalendarFeed.objects.create(user=world.other_member).token
    return {}


def _event(world):
    add_people(world)
    return {"id": make_event(world).pk}


def _event_registered(world):
    add_people(world)
    event = make_event(world)
    register(event, world.partner, world.other_member)
    register(event, world.licensor, world.owner)
    return {"id": event.pk}


def _availability_body(world, persona):
    from apps.partnering.models import PartneringEvent
    from apps.partnering.services import event_slots

    slots = event_slots(PartneringEvent.objects.order_by("-pk").first())
    return {"windows": [{"starts_at": slots[0][0].isoformat(), "ends_at": slots[2][1].isoformat()}]}


def _event_meeting_body(world, persona):
    lumina = persona in ("viewer", "member", "admin", "owner")
    return {"invitee_company": (world.partner if lumina else world.licensor).pk, "subject": "Intro meeting"}


def _event_body(world, persona):
    return {"name": "Shanghai Partnering Days", "starts_on": day(20).isoformat(), "ends_on": day(21).isoformat(),
            "time_zone": "Asia/Shanghai", "day_starts": "09:00", "day_ends": "17:00", "slot_minutes": 30,
            "rooms": ["Table 1", "Table 2"]}


CALL_BODY = {"title_en": "Looking for GLP-1 assets", "description_en": "Obesity, phase 1 or later.",
             "modalities": ["peptide"], "therapeutic_areas": ["metabolic"]}

ROWS = [
    # --- calls for assets ---
    Row("GET /api/v1/calls/", ex(200), params=_people),
    Row("POST /api/v1/calls/", ex(403, other_member=201, second_partner=201), params=_people,
        body=lambda w, p: {**CALL_BODY, "deadline": day(30).isoformat()}),
    Row("GET /api/v1/calls/{id}/", ex(200, outsider=404, second_partner=404), params=_call(CallStatus.OPEN),
        variant="open: biotechs read it, other partners do not"),
    Row("GET /api/v1/calls/{id}/", ex(404, other_member=200, staff=200), params=_call(CallStatus.DRAFT),
        variant="draft"),
    Row("PATCH /api/v1/calls/{id}/", ex(404, other_member=200, staff=403), params=_call(CallStatus.DRAFT),
        body=lambda w, p: {"title_zh": "寻找GLP-1资产"}),
    Row("POST /api/v1/calls/{id}/submit/", ex(404, other_member=200, staff=403), params=_call(CallStatus.DRAFT)),
    Row("POST /api/v1/calls/{id}/publish/", ex(404, other_member=403, staff=200), params=_call(CallStatus.SUBMITTED),
        body=lambda w, p: {}),
    Row("POST /api/v1/calls/{id}/request-changes/", ex(404, other_member=403, staff=200),
        params=_call(CallStatus.SUBMITTED), body=lambda w, p: {"reason": "Add a Chinese description."}),
    Row("POST /api/v1/calls/{id}/close/", ex(403, outsider=404, second_partner=404, other_member=200, staff=200),
        params=_call(CallStatus.OPEN), body=lambda w, p: {}),
    # --- submissions ---
    Row("GET /api/v1/submissions/", ex(200), params=_people),
    Row("POST /api/v1/submissions/", ex(403, outsider=404, second_partner=404, member=201, admin=201, owner=201),
        params=_people, body=_submission_body),
    Row("GET /api/v1/submissions/{id}/", ex(404, other_member=200, staff=200, **LUMINA_ALL), params=_submission()),
    Row("POST /api/v1/submissions/{id}/triage/", ex(404, other_member=200, staff=403, viewer=403, member=403,
                                                    admin=403, owner=403),
        params=_submission(), body=lambda w, p: {"status": "under_review"}),
    Row("POST /api/v1/submissions/{id}/withdraw/", ex(404, other_member=403, staff=403, viewer=403, member=200,
                                                      admin=200, owner=200), params=_submission()),
    # --- private evaluation ---
    Row("GET /api/v1/evaluation-criteria/", ex(200), params=_people),
    Row("POST /api/v1/evaluation-criteria/", ex(201, outsider=403, staff=403, viewer=403),
        params=_people, body=lambda w, p: {"code": "manufacturing", "name_en": "Manufacturing", "weight": "5"}),
    Row("GET /api/v1/evaluation-criteria/{id}/", ex(404, other_member=200), params=_criterion,
        variant="the evaluating company alone, staff included"),
    Row("PATCH /api/v1/evaluation-criteria/{id}/", ex(404, other_member=200), params=_criterion,
        body=lambda w, p: {"weight": "30"}),
    Row("GET /api/v1/evaluations/", ex(200), params=_people),
    Row("POST /api/v1/evaluations/", ex(201, outsider=404, staff=403, viewer=403, member=403, admin=403, owner=403),
        params=_people, body=_evaluation_body),
    Row("GET /api/v1/evaluations/{id}/", ex(404, other_member=200), params=_evaluation,
        variant="the evaluating company alone, staff included"),
    Row("POST /api/v1/evaluations/{id}/scores/", ex(404, other_member=200), params=_evaluation, body=_scores_body),
    Row("GET /api/v1/evaluations/counts/", ex(403, staff=200), params=_people),
    # --- meetings ---
    Row("GET /api/v1/meetings/", ex(200), params=_people),
    Row("POST /api/v1/meetings/", ex(404, staff=403, viewer=403, other_member=201, member=201, admin=201,
                                     owner=201), params=_people, body=_meeting_body),
    Row("GET /api/v1/meetings/{id}/", ex(404, other_member=200, **LUMINA_ALL),
        params=_meeting(MeetingStatus.REQUESTED)),
    Row("PATCH /api/v1/meetings/{id}/", ex(404, other_member=200, viewer=403, **LUMINA_CONTRIBUTORS),
        params=_meeting(MeetingStatus.CONFIRMED), body=lambda w, p: {"location": "Video call"}),
    Row("POST /api/v1/meetings/{id}/accept/", ex(404, other_member=409, viewer=403, **LUMINA_CONTRIBUTORS),
        params=_meeting(MeetingStatus.REQUESTED), body=_accept_body),
    Row("POST /api/v1/meetings/{id}/propose/", ex(404, other_member=409, viewer=403, **LUMINA_CONTRIBUTORS),
        params=_meeting(MeetingStatus.REQUESTED), body=_propose_body),
    Row("POST /api/v1/meetings/{id}/decline/", ex(404, other_member=409, viewer=403, **LUMINA_CONTRIBUTORS),
        params=_meeting(MeetingStatus.REQUESTED), body=lambda w, p: {"reason": "Not this quarter."}),
    Row("POST /api/v1/meetings/{id}/cancel/", ex(404, other_member=200, viewer=403, **LUMINA_CONTRIBUTORS),
        params=_meeting(MeetingStatus.CONFIRMED), body=lambda w, p: {"reason": "Travel cancelled."}),
    Row("GET /api/v1/meetings/{id}/ics/", ex(404, other_member=200, **LUMINA_ALL),
        params=_meeting(MeetingStatus.CONFIRMED)),
    Row("GET /api/v1/calendar-feed/", ex(200), params=_people),
    Row("POST /api/v1/calendar-feed/rotate/", ex(200), params=_people),
    Row("GET /api/v1/calendar-feed/ics/", ex(200, anonymous=200), params=_feed_token,
        query=lambda w: {"token": w.extra["token"]}, variant="the token is the credential"),
    Row("GET /api/v1/calendar-feed/ics/", ex(404, anonymous=404), params=_feed_token,
        query=lambda w: {"token": w.extra["token"][:-2] + "xx"}, variant="a wrong token"),
    # --- partnering events ---
    Row("GET /api/v1/events/", ex(200), params=_people),
    Row("POST /api/v1/events/", ex(403, staff=201), params=_people, body=_event_body),
    Row("GET /api/v1/events/{id}/", ex(200, outsider=404), params=_event),
    Row("POST /api/v1/events/{id}/register/", ex(201, outsider=404, staff=403, viewer=403), params=_event),
    Row("POST /api/v1/events/{id}/availability/", ex(400, outsider=404, staff=403, viewer=403, other_member=200,
                                                     **LUMINA_CONTRIBUTORS),
        params=_event_registered, body=_availability_body),
    Row("POST /api/v1/events/{id}/meetings/", ex(403, outsider=404, other_member=201, member=201, admin=201,
                                                 owner=201),
        params=_event_registered, body=_event_meeting_body),
]
