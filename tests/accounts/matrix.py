from rest_framework_simplejwt.tokens import RefreshToken

from tests.authz.matrix import Row, expect
from tests.factories import PASSWORD

PUBLIC_OK = dict.fromkeys(("anonymous", "outsider", "other_member", "viewer", "member", "admin", "owner", "staff"))


def _everyone(status: int) -> dict[str, int]:
    return {persona: status for persona in PUBLIC_OK}


def _own_refresh(world, persona):
    user = world.people.get(persona) or world.owner
    return {"refresh": str(RefreshToken.for_user(user))}


ROWS = [
    Row("POST /api/v1/auth/register/", _everyone(201),
        body=lambda w, p: {"email": "new.person@example.test", "full_name": "New Person", "password": PASSWORD}),
    Row("POST /api/v1/auth/token/", _everyone(200),
        body=lambda w, p: {"email": "owner@lumina.test", "password": PASSWORD}),
    Row("POST /api/v1/auth/token/refresh/", _everyone(200),
        body=lambda w, p: {"refresh": str(RefreshToken.for_user(w.owner))}),
    Row("POST /api/v1/auth/logout/", expect(204), body=_own_refresh),
    Row("GET /api/v1/me/", expect(200)),
    Row("PATCH /api/v1/me/", expect(200), body=lambda w, p: {"time_zone": "Asia/Shanghai"}),
]
