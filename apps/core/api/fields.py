"""Related ids in request bodies, looked up only among the objects the caller may see.

DRF's PrimaryKeyRelatedField looks an id up in whatever queryset it was given; given `X.objects.all()`, an
object the caller may not see is found and answers differently (a 403, a 400 about its state) from an id
that does not exist (404): an existence oracle. `VisibleRelatedField` looks the id up in the caller's
restricted queryset (`Model.objects.for_user(request.user, action)`), so a hidden object *is* a missing one:
same status, same body (the message never repeats the id), and nothing downstream ever holds it.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.authz import VIEW

# Primary keys are 64-bit at most: a larger number names no object on any database (SQLite raises
# OverflowError for it, PostgreSQL a cast error), so it is simply an id that does not exist.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"^\s*\d+\s*$")


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a `model` the caller may `action` (default "view"); any other id reads as nonexistent.

    Needs the request in the serializer context; without one it finds nothing (fail closed). Models that are
    not guarded (no `for_user`) subclass and override `restricted_queryset`.
    """

    default_error_messages = {
        # No id in the message: the body for a hidden id and for a missing one must be byte for byte the same.
        "does_not_exist": _("Not found."),
        "incorrect_type": _("Expected an id (a whole number)."),
    }

    def __init__(self, model: type[Model], action: str = VIEW, **kwargs: Any) -> None:
        self.model = model
        self.action = action
        if not kwargs.get("read_only"):
            # The queryset is only for schema generation (it names the model); lookups use get_queryset().
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def restricted_queryset(self, user: Any) -> QuerySet:
        return self.model._default_manager.for_user(user, self.action)  # type: ignore[attr-defined]

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.model._default_manager.none()
        return self.restricted_queryset(user)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str):
            if not _DIGITS.match(data):
                self.fail("incorrect_type", data_type="str")
            data = int(data)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        obj = self.get_queryset().filter(pk=data).first()
        if obj is None:
            self.fail("does_not_exist", pk_value=data)
        return obj
