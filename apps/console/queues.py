"""The dashboard's queues: work that waits for a member of staff.

A queue is a small provider: a bilingual label, a callable count, and the URL of the admin list filtered to
exactly the rows counted. Providers name their model as "app_label.ModelName"; a queue whose model does not
exist yet (its app has not landed) or is not in the admin, or that the staff member may not view, simply does
not appear. Providers for other apps live here, not in those apps: the console owns the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

# Access requests older than this are overdue (the dashboard's "waiting longer than N days").
ACCESS_REQUEST_OVERDUE_DAYS = 3


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    model: str  # "app_label.ModelName"
    count: Callable[[Any], int]  # receives the model class
    # Changelist query parameters selecting the same rows `count` counts.
    params: Callable[[], dict[str, str]] = field(default=dict)
    order: int = 100
    # A worklist page of the console (a URL name on the admin site) instead of the model's changelist.
    url_name: str = ""

    def resolve_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def url(self, model: type[models.Model], site: admin.AdminSite) -> str | None:
        name = f"{site.name}:{self.url_name or f'{model._meta.app_label}_{model._meta.model_name}_changelist'}"
        try:
            base = reverse(name)
        except NoReverseMatch:
            return None
        params = self.params()
        return f"{base}?{urlencode(params)}" if params else base


@dataclass(frozen=True)
class QueueRow:
    key: str
    label: str | Promise
    count: int
    url: str


_registry: dict[str, Queue] = {}


def register(queue: Queue) -> Queue:
    """Add (or replace) a queue provider. Safe to call at import time: nothing is queried here."""
    _registry[queue.key] = queue
    return queue


def status_queue(*, key: str, label: str | Promise, model: str, status: str, order: int,
                 field: str = "status") -> Queue:
    """The rows of `model` whose `field` is `status` (e.g. submitted for review), and the list filtered to them."""
    return Queue(key=key, label=label, model=model, order=order,
                 count=lambda model_class: model_class.objects.filter(**{field: status}).count(),
                 params=lambda: {f"{field}__exact": status})


def unregister(key: str) -> None:
    _registry.pop(key, None)


def registered() -> list[Queue]:
    return sorted(_registry.values(), key=lambda q: (q.order, q.key))


def queues_for(request: HttpRequest, site: admin.AdminSite | None = None) -> list[QueueRow]:
    """The queues this staff member may see, each counted now. One COUNT query per visible queue."""
    site = site or admin.site
    rows = []
    for queue in registered():
        model = queue.resolve_model()
        if model is None or model not in site._registry:
            continue
        model_admin = site._registry[model]
        if not model_admin.has_view_or_change_permission(request):
            continue
        url = queue.url(model, site)
        if url is None:
            continue
        rows.append(QueueRow(key=queue.key, label=queue.label, count=queue.count(model), url=url))
    return rows


def _interpolate(message: Promise, **values: Any) -> Any:
    """`message % values`, translated when rendered (in the staff member's language), not at import."""
    return lazy(lambda: str(message) % values, str)()


def _overdue_cutoff() -> Any:
    return timezone.now() - timedelta(days=ACCESS_REQUEST_OVERDUE_DAYS)


def register_builtin_queues() -> None:
    """The foundation's queue, plus the ones for apps the console knows about (skipped until they land)."""
    register(status_queue(key="companies.pending", label=_("Companies pending verification"),
                          model="companies.Company", field="verification_status", status="pending", order=10))
    register(status_queue(key="catalog.submitted", label=_("Assets submitted for review"), model="catalog.Asset",
                          status="submitted", order=20))
    # Counted through the outbox's partial index on undelivered events; failed e-mails per recipient are not a
    # queue (the notification table is the big one) but a filter on the notifications list.
    register(status_queue(key="notifications.failed", label=_("Failed notifications"),
                          model="notifications.OutboxEvent", status="failed", order=50))
    register(Queue(
        key="datarooms.overdue_requests",
        label=_interpolate(_("Access requests waiting longer than %(days)d days"), days=ACCESS_REQUEST_OVERDUE_DAYS),
        model="datarooms.AccessRequest",
        count=lambda model: model.objects.filter(status="pending", created_at__lt=_overdue_cutoff()).count(),
        params=lambda: {"status__exact": "pending", "created_at__lt": _overdue_cutoff().isoformat()},
        order=30,
    ))
    register(Queue(
        key="datarooms.export_clearances_requested",
        label=_("Export clearances waiting (partners held at the export gate)"),
        model="datarooms.ExportClearance",
        count=lambda model: _waiting_clearances(),
        url_name="console_export_clearances",
        order=40,
    ))
    register(Queue(  # issue 18
        key="datarooms.scan_disagreements",
        label=_("Documents whose scan and declaration disagree"),
        model="datarooms.Document",
        count=lambda model: _scan_disagreements(),
        url_name="console_scan_disagreements",
        order=45,
    ))


def _scan_disagreements() -> int:
    from apps.console.scans import disagreement_count

    return disagreement_count()


def _waiting_clearances() -> int:
    from apps.console.clearances import waiting_count

    return waiting_count()
