"""The one statement behind apps/datarooms/access.py `room_scope`: a person's grants, memberships and delegated
rooms in one round trip. Only SQL lives here; what the rows mean (and every rule built on them) is decided in
access.py. Table names come from the models (looked up through the app registry: this module imports no model
module), the database's own clock is rendered by Django's Now() for the connection's vendor."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Now
from django.db.models.sql import Query

from apps.companies.models import Company, Membership, VerificationStatus


def _model(name: str) -> Any:
    return apps.get_model("datarooms", name)


_BY_VENDOR: dict[str, str] = {}  # the statement, built once per database vendor


def room_scope_sql(connection: Any, *, manage_codename: str) -> str:
    """room_scope's query: three kinds of rows in one column layout (portable SQL; table names from the models,
    the database's own clock rendered by Django's Now() for the connection's vendor). The grant rows come
    first: their typed columns give the union its column types (the NULLs of the others have none).

        kind       | 2         | 3        | 4       | 5      | 6     | 7            | 8       | 9
        grant      | grant     | room     | company | folder | scope | level        | cleared | created
        member     | company   | its room |         |        | role  | verification |         |
        delegated  | room      |          |         |        |       |              |         |
    """
    if connection.vendor in _BY_VENDOR:
        return _BY_VENDOR[connection.vendor]
    room_model, grant_model = _model("DataRoom"), _model("AccessGrant")
    compiler = connection.ops.compiler("SQLCompiler")(Query(room_model), connection, connection.alias)
    now, _params = compiler.compile(Now())
    table = {
        "membership": Membership._meta.db_table, "company": Company._meta.db_table,
        "room": room_model._meta.db_table, "grant": grant_model._meta.db_table,
        "grant_folders": grant_model.folders.through._meta.db_table,
        "acceptance": _model("CdaAcceptance")._meta.db_table,
        "user_perm": _model("DataRoomUserObjectPermission")._meta.db_table,
        "group_perm": _model("DataRoomGroupObjectPermission")._meta.db_table,
        "user_groups": get_user_model().groups.through._meta.db_table,
        "permission": Permission._meta.db_table, "content_type": ContentType._meta.db_table,
    }
    manage = (f"(SELECT p.id FROM {table['permission']} p JOIN {table['content_type']} ct "  # noqa: S608
              f"ON ct.id = p.content_type_id WHERE p.codename = '{manage_codename}' "
              f"AND ct.app_label = '{room_model._meta.app_label}')")
    sql = _BY_VENDOR[connection.vendor] = f"""
        SELECT 'grant', g.id, g.room_id, g.company_id, gf.folder_id, g.scope, g.level,
               CASE WHEN r.current_cda_id IS NULL OR EXISTS (
                   SELECT 1 FROM {table['acceptance']} a WHERE a.cda_id = r.current_cda_id AND a.user_id = %(user)s
               ) THEN 1 ELSE 0 END,
               g.created_at
          FROM {table['grant']} g
          JOIN {table['room']} r ON r.id = g.room_id
          LEFT JOIN {table['grant_folders']} gf ON gf.accessgrant_id = g.id
         WHERE g.company_id IN (
                   SELECT m.company_id FROM {table['membership']} m JOIN {table['company']} c ON c.id = m.company_id
                    WHERE m.user_id = %(user)s AND c.verification_status = '{VerificationStatus.VERIFIED}')
           AND g.revoked_at IS NULL
           AND g.expires_at > {now}
           AND (g.user_id IS NULL OR g.user_id = %(user)s)
        UNION ALL
        SELECT 'member', m.company_id, r.id, NULL, NULL, m.role, c.verification_status, NULL, NULL
          FROM {table['membership']} m
          JOIN {table['company']} c ON c.id = m.company_id
          LEFT JOIN {table['room']} r ON r.owner_company_id = m.company_id
         WHERE m.user_id = %(user)s
        UNION ALL
        SELECT 'delegated', up.content_object_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {table['user_perm']} up
         WHERE up.user_id = %(user)s AND up.permission_id IN {manage}
        UNION ALL
        SELECT 'delegated', gp.content_object_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {table['group_perm']} gp
          JOIN {table['user_groups']} ug ON ug.group_id = gp.group_id
         WHERE ug.user_id = %(user)s AND gp.permission_id IN {manage}
         ORDER BY 1, 9, 2
    """  # noqa: S608
    return sql
