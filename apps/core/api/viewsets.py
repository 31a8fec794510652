"""The base API viewset: no handler can run against an unrestricted queryset.

* `get_queryset()` is the only way to rows: restricted once per request on first use (NetBox's pattern), so
  list, retrieve and every custom action read only what `Model.objects.for_user(user, "view")` allows.
* An object outside that queryset answers 404, whether it exists or not; the attempt is audited.
* An object the caller may see but not act on answers 403 (the action's own restricted queryset).
* Creates and updates run in a transaction and re-check the saved object is still visible to the
  caller before commit; if not, everything rolls back with 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, QuerySet
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.parsers import MAX_INT, MIN_INT
from apps.core.api.serializers import ReasonSerializer, RequiredReasonSerializer
from apps.core.authz import VIEW
from apps.core.errors import PermissionRefused

# Which restricted queryset each standard action must pass (beyond being visible).
DEFAULT_ACTION_PERMISSIONS = {
    "list": VIEW,
    "retrieve": VIEW,
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class GuardedViewSet(viewsets.GenericViewSet):
    """Subclasses set `model` and override `get_base_queryset()` for select_related and friends.

    `action_permissions` maps extra actions (custom @action names) to the permission they need on the
    object; an action that is not mapped only needs the object to be visible.
    """

    model: Any  # the guarded model class
    action_permissions: dict[str, str] = {}

    def _manager(self) -> Any:
        return self.model._default_manager

    def get_base_queryset(self) -> QuerySet:
        return self._manager().all()

    def restrict(self, queryset: QuerySet, action: str) -> QuerySet:
        return queryset.for_user(self.request.user, action)  # type: ignore[attr-defined]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self._manager().none()
        # Restricted once per request, when the handler first reads (a create never does: its rule, for some models
        # a query, is not built for nothing). `self.queryset` stays None on purpose: a handler that bypasses
        # get_queryset() fails loudly instead of reading unrestricted rows.
        restricted = getattr(self, "restricted_queryset", None)
        if restricted is None:
            restricted = self.restricted_queryset = self.restrict(self.get_base_queryset(), VIEW)
        return restricted.all()

    def required_action(self) -> str:
        mapping = {**DEFAULT_ACTION_PERMISSIONS, **self.action_permissions}
        return mapping.get(self.action or "", VIEW)

    def get_object(self) -> Any:
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup_value = self.kwargs.get(lookup_url_kwarg)
        if isinstance(lookup_value, str) and lookup_value.lstrip("-").isdigit() and not (
                MIN_INT <= int(lookup_value) <= MAX_INT):
            # No row has such an id, but a database may crash looking (SQLite: OverflowError): not found, on every
            # database, like any other id no row has.
            raise NotFound()
        queryset = self.filter_queryset(self.get_queryset()) if self.action == "retrieve" else self.get_queryset()
        try:
            obj = queryset.get(**{self.lookup_field: lookup_value})
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        except Exception as exc:  # malformed ids (e.g. not a UUID) are "not found", never a 500
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                raise NotFound() from None
            raise
        action = self.required_action()
        if action != VIEW and not self.restrict(self._manager().filter(pk=obj.pk), action).exists():
            self.refuse_action(obj, action)
        return obj

    def refuse_action(self, obj: Model, action: str) -> None:
        """`obj` is visible but outside the restricted queryset of `action`: 403. A viewset whose service can say
        why (and audit it) raises that refusal instead; this must raise."""
        raise PermissionRefused()

    def recheck_visible(self, obj: Model) -> None:
        """Inside the write's transaction: the result must still be something the caller may see."""
        if not self.restrict(self._manager().filter(pk=obj.pk), VIEW).exists():
            raise PermissionRefused()

    def write_visible(self, write: Callable[[], Any]) -> Any:
        """Run `write` (a service call) and `recheck_visible` on its result in one transaction, so that a result
        the caller may not see rolls the write back with 403. Returns the result."""
        with transaction.atomic():
            obj = write()
            self.recheck_visible(obj)
        return obj


@dataclass(frozen=True)
class ModerationServices:
    """A moderated subject's services (apps.core.moderation), each called as `service(actor=…, <subject>=the object,
    …)`: `subject` is their keyword for it ("asset", "round", "call")."""

    subject: str
    submit: Callable[..., Any]
    publish: Callable[..., Any]
    request_changes: Callable[..., Any]


class ModeratedViewSet(GuardedViewSet):
    """A viewset whose subject goes through moderation: submit, publish (an optional note in `reason`) and request
    changes (a required `reason`), wired the one way. Subclasses name their `moderation` services, answer with
    `_read(subject)`, and document each action in their own words (`extend_schema_view(submit=doc(...), ...)`)."""

    moderation: ModerationServices

    def _read(self, subject: Any) -> Response:
        raise NotImplementedError

    def _moderate(self, service: Callable[..., Any], subject: Any, **arguments: Any) -> Response:
        return self._read(service(actor=self.request.user, **{self.moderation.subject: subject}, **arguments))

    # Each action finds its subject before reading the body: one the caller may not see answers 404, whatever it says.
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._moderate(self.moderation.submit, self.get_object())

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        subject = self.get_object()
        serializer = ReasonSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        return self._moderate(self.moderation.publish, subject, note=serializer.validated_data.get("reason", ""))

    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: Any = None) -> Response:
        subject = self.get_object()
        serializer = RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._moderate(self.moderation.request_changes, subject, reason=serializer.validated_data["reason"])


class GuardedWriteMixin:
    """create/update through services, each in a transaction with the visibility re-check."""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.write_visible(  # type: ignore[attr-defined]
            lambda: self.create_object(serializer))  # type: ignore[attr-defined]

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.write_visible(  # type: ignore[attr-defined]
            lambda: self.update_object(serializer))  # type: ignore[attr-defined]

