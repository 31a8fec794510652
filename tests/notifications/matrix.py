from tests.authz.matrix import Row, expect
from tests.notifications.factories import deliver_role_change


def _members_notification(world):
    """A notification addressed to the licensor's member: only they may read it."""
    return {"id": deliver_role_change(world.member, world.licensor).pk}


EVERYONE = expect(200)

ROWS = [
    Row("GET /api/v1/notifications/", EVERYONE),
    Row("GET /api/v1/notifications/{id}/", expect(404, member=200), params=_members_notification),
    Row("POST /api/v1/notifications/{id}/read/", expect(404, member=200), params=_members_notification),
    Row("GET /api/v1/notifications/unread-count/", EVERYONE),
    Row("POST /api/v1/notifications/read-all/", EVERYONE),
    Row("GET /api/v1/notification-preferences/", EVERYONE),
    Row("PUT /api/v1/notification-preferences/{kind}/", EVERYONE,
        params=lambda world: {"kind": "company.verified"}, body=lambda world, persona: {"delivery": "digest"}),
    Row("PUT /api/v1/notification-preferences/{kind}/", expect(404),
        params=lambda world: {"kind": "asset.teleported"}, body=lambda world, persona: {"delivery": "digest"},
        variant="unknown kind"),
]
