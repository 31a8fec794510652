"""DATABASE_SERVER_SIDE_BINDING (config/settings/base.py, config/db.py): a statement a connection repeats is
prepared, so PostgreSQL stops planning it per request; a search never is, so it keeps a plan made for its words."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql"
                       or not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"),
                       reason="prepared statements need PostgreSQL with DATABASE_SERVER_SIDE_BINDING"),
]


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if fragment in row[0]]


def test_a_repeated_lookup_is_prepared_after_five_runs() -> None:
    users = get_user_model().objects
    for _ in range(5):
        users.filter(pk=123456789, is_staff=True).exists()
    assert _prepared('"is_staff"') == []
    users.filter(pk=123456789, is_staff=True).exists()
    assert len(_prepared('"is_staff"')) == 1


def test_a_search_is_never_prepared() -> None:
    users = get_user_model().objects
    for _ in range(8):
        users.filter(email__icontains="nobody-by-this-name").exists()
    assert _prepared("LIKE") == []
