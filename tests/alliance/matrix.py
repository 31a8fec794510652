"""Authorization-matrix rows for every alliance operation (see tests/authz/matrix.py).

Parties: Lumina (owner, admin, member write; viewer reads) and Northbridge (other_member writes; the extra
personas partner_admin writes and manages, partner_viewer reads). Nobody else sees an alliance: the outsider, a
third company and staff (nothing shared) get 404 on objects and empty lists; ids they name in a write answer
like missing ids.
"""

import datetime

from django.utils import timezone

from apps.alliance import services
from apps.alliance.models import Alliance
from tests.alliance.helpers import cast, co_development, jsc, meeting
from tests.authz.matrix import Row, expect

EXTRA = ("partner_admin", "partner_viewer", "third_company")
READERS = dict(owner=200, admin=200, member=200, viewer=200, other_member=200, partner_admin=200, partner_viewer=200)


def read(default_hidden=404, **over):
    return expect(default_hidden, third_company=default_hidden, **{**READERS, **over})


def list_all():
    return expect(200, third_company=200, partner_admin=200, partner_viewer=200)


def write(ok=200, hidden=404, refused=403, **over):
    """Contributors of either party `ok`, viewers `refused`, everyone else `hidden`."""
    table = dict(third_company=hidden, owner=ok, admin=ok, member=ok, other_member=ok, partner_admin=ok,
                 viewer=refused, partner_viewer=refused)
    return expect(hidden, **{**table, **over})


def _alliance(world):
    cast(world)
    return {"id": co_development(world).pk}


def _shared(world):
    params = _alliance(world)
    Alliance.objects.filter(pk=params["id"]).update(shared_with_staff_by=world.licensor)
    return params


def _committee(world):
    cast(world)
    return {"id": jsc(world).pk}


def _meeting(world):
    cast(world)
    return {"id": meeting(world).pk}


def _minutes(world):
    cast(world)
    return {"id": services.minutes_write(actor=world.admin, meeting=meeting(world), text_en="Agreed the plan.").pk}


def _decision(world):
    cast(world)
    return {"id": services.decision_propose(actor=world.admin, meeting=meeting(world), area="development",
                                            motion="Start the phase 3 in the US").pk}


def _item(world):
    cast(world)
    alliance = co_development(world)
    return {"id": services.action_item_create(actor=world.admin, alliance=alliance, title="Send the CMC plan",
                                              owner_company=world.licensor,
                                              due_on=datetime.date(2027, 1, 15)).pk}


def _package(world):
    cast(world)
    return {"id": services.work_package_create(actor=world.admin, alliance=co_development(world), code="WP1",
                                               title="Phase 3 US", assigned_company=world.partner).pk}


def _budget(world):
    wp = _package(world)["id"]
    from apps.alliance.models import WorkPackage

    return {"id": services.budget_set(actor=world.admin, work_package=WorkPackage.objects.get(pk=wp), year=2026,
                                      quarter=4, currency="USD", amount="1000000.00").pk}


def _cost(world):
    wp = _package(world)["id"]
    from apps.alliance.models import WorkPackage

    return {"id": services.cost_record(actor=world.admin, work_package=WorkPackage.objects.get(pk=wp), year=2026,
                                       quarter=4, currency="USD", amount="250000.00").pk}


def _obligation(world):
    cast(world)
    return {"id": services.obligation_create(actor=world.admin, alliance=co_development(world), kind="diligence",
                                             title="Start a phase 3 in the US", owner_company=world.licensor,
                                             due_on=datetime.date(2027, 6, 30)).pk}


def _issue(world):
    cast(world)
    return {"id": services.issue_raise(actor=world.admin, alliance=co_development(world), title="CMC delay",
                                       description="Batch release slipped", severity="high").pk}


def _lists(world):
    cast(world)
    co_development(world)
    return {}


def _future():
    return (timezone.now() + datetime.timedelta(days=30)).isoformat()


BASE = "/api/v1/"
ROWS = [
    Row("GET /api/v1/alliances/", list_all(), params=_lists),
    Row("GET /api/v1/alliances/{id}/", read(), params=_alliance),
    Row("GET /api/v1/alliances/{id}/", read(staff=200), params=_shared, variant="shared with staff"),
    Row("POST /api/v1/alliances/{id}/share/", write(member=403, other_member=403), params=_alliance,
        body=lambda world, persona: {"shared": True}),
    Row("GET /api/v1/alliances/{id}/reconciliation/", read(), params=_alliance,
        query=lambda world: {"year": 2026, "quarter": 4}),

    Row("GET /api/v1/alliance-committees/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-committees/{id}/", read(), params=_committee),
    Row("POST /api/v1/alliance-committees/", write(201), params=_alliance,
        body=lambda world, persona: {
            "alliance": world.extra["alliance"].pk, "kind": "commercial", "name": "JCC", "voting_rule": "unanimous",
            "chair_rule": "fixed", "chair_company": world.partner.pk, "chair_since_year": 2026,
            "members": [{"company": world.licensor.pk, "name": "Lin"}, {"company": world.partner.pk, "name": "Nora"}]}),

    Row("GET /api/v1/alliance-meetings/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-meetings/{id}/", read(), params=_meeting),
    Row("POST /api/v1/alliance-meetings/", write(201), params=_committee,
        body=lambda world, persona: {"committee": jsc(world).pk, "starts_at": _future(),
                                     "time_zone": "America/New_York"}),
    Row("PATCH /api/v1/alliance-meetings/{id}/", write(), params=_meeting,
        body=lambda world, persona: {"agenda": "Budget 2027"}),

    Row("GET /api/v1/alliance-minutes/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-minutes/{id}/", read(), params=_minutes),
    Row("POST /api/v1/alliance-minutes/", write(201), params=_meeting,
        body=lambda world, persona: {"meeting": meeting(world).pk, "text_en": "Draft"}),
    Row("PATCH /api/v1/alliance-minutes/{id}/", write(), params=_minutes,
        body=lambda world, persona: {"text_zh": "同意计划。"}),
    # The writer's party approved by writing: Lumina's contributors are told so; Northbridge approves.
    Row("POST /api/v1/alliance-minutes/{id}/approve/", write(owner=409, admin=409, member=409), params=_minutes,
        body=lambda world, persona: {}),

    Row("GET /api/v1/alliance-decisions/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-decisions/{id}/", read(), params=_decision),
    Row("POST /api/v1/alliance-decisions/", write(201), params=_meeting,
        body=lambda world, persona: {"meeting": meeting(world).pk, "area": "budget", "motion": "Approve budget"}),
    Row("POST /api/v1/alliance-decisions/{id}/vote/", write(), params=_decision,
        body=lambda world, persona: {"vote": "for"}),

    Row("GET /api/v1/alliance-action-items/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-action-items/{id}/", read(), params=_item),
    Row("POST /api/v1/alliance-action-items/", write(201), params=_alliance,
        body=lambda world, persona: {"alliance": world.extra["alliance"].pk, "title": "Share the SAP",
                                     "owner_company": world.partner.pk, "due_on": "2027-02-01"}),
    Row("PATCH /api/v1/alliance-action-items/{id}/", write(), params=_item,
        body=lambda world, persona: {"status": "done"}),

    Row("GET /api/v1/alliance-work-packages/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-work-packages/{id}/", read(), params=_package),
    Row("POST /api/v1/alliance-work-packages/", write(201), params=_alliance,
        body=lambda world, persona: {"alliance": world.extra["alliance"].pk, "code": "WP9", "title": "CMC",
                                     "assigned_company": world.licensor.pk,
                                     "cost_sharing": [{"company": world.licensor.pk, "share": "50"},
                                                      {"company": world.partner.pk, "share": "50"}]}),

    Row("GET /api/v1/alliance-budgets/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-budgets/{id}/", read(), params=_budget),
    Row("POST /api/v1/alliance-budgets/", write(201), params=_package,
        body=lambda world, persona: {"work_package": _wp(world), "year": 2027,
                                     "quarter": 1, "currency": "EUR", "amount": "500000.00"}),

    Row("GET /api/v1/alliance-costs/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-costs/{id}/", read(), params=_cost),
    Row("POST /api/v1/alliance-costs/", write(201), params=_package,
        body=lambda world, persona: {"work_package": _wp(world), "year": 2026, "quarter": 4, "currency": "USD",
                                     "amount": "125000.50", "description": "CRO invoice"}),

    Row("GET /api/v1/alliance-obligations/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-obligations/{id}/", read(), params=_obligation),
    Row("POST /api/v1/alliance-obligations/", write(201), params=_alliance,
        body=lambda world, persona: {"alliance": world.extra["alliance"].pk, "kind": "reporting",
                                     "title": "Annual development report", "owner_company": world.partner.pk,
                                     "due_on": "2027-03-31", "recurrence": "annual"}),
    # Lumina owes it: only Lumina's contributors record its fulfilment.
    Row("POST /api/v1/alliance-obligations/{id}/fulfil/", write(other_member=403, partner_admin=403),
        params=_obligation, body=lambda world, persona: {"evidence": "First patient dosed on 2027-05-02"}),

    Row("GET /api/v1/alliance-issues/", list_all(), params=_lists),
    Row("GET /api/v1/alliance-issues/{id}/", read(), params=_issue),
    Row("POST /api/v1/alliance-issues/", write(201), params=_alliance,
        body=lambda world, persona: {"alliance": world.extra["alliance"].pk, "title": "Supply shortfall",
                                     "description": "Q1 supply 20% short", "severity": "medium"}),
    Row("POST /api/v1/alliance-issues/{id}/escalate/", write(), params=_issue,
        body=lambda world, persona: {"note": "No agreement in the JSC"}),
    Row("POST /api/v1/alliance-issues/{id}/resolve/", write(), params=_issue,
        body=lambda world, persona: {"resolution": "Second supplier qualified"}),
]


def _wp(world):
    from apps.alliance.models import WorkPackage

    return WorkPackage.objects.filter(alliance=world.extra["alliance"]).values_list("pk", flat=True).first()
