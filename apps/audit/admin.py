import csv
import json
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditAction, AuditEvent
from apps.audit.services import audit_record
from apps.console.filters import InputFilter, TimeRangeFilter

# The export is itself a sensitive act: the trail records who took a copy of it, with which filters.
AUDIT_LOG_EXPORTED = "audit.log_exported"

CSV_COLUMNS = [
    "id", "created_at", "action", "actor_id", "actor_email", "actor_company_id", "actor_company",
    "target_type", "target_id", "target_repr", "ip_address", "user_agent", "details", "prev_hash", "hash",
]
_ACTION_LABELS = dict(AuditAction.choices)


class ActorFilter(InputFilter):
    title = _("actor")
    fields = (("actor_email", _("e-mail address contains"), "text"),)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.used_parameters.get("actor_email")
        return queryset.filter(actor__email__icontains=value) if value else queryset


class _Echo:
    """csv.writer wants a file; this one hands each written line straight back to the response."""

    def write(self, value: str) -> str:
        return value


def _csv_safe(value: Any) -> str:
    # Company names and user agents are user input: never let a spreadsheet run them as formulas.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everybody, superusers included: the trail is evidence. Filterable, exportable to CSV."""

    list_display = ["created_at", "action", "action_label", "actor", "actor_company", "target_type", "target_link",
                    "ip_address"]
    list_filter = [
        TimeRangeFilter,
        ActorFilter,
        ("actor_company", admin.RelatedOnlyFieldListFilter),
        "action",
        "target_type",
        "created_at",
    ]
    search_fields = ["action", "target_repr", "target_id", "actor__email", "actor_company__name_en",
                     "actor_company__name_zh"]
    list_select_related = ["actor", "actor_company"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    change_list_template = "admin/console/audit/change_list.html"
    actions = None
    show_full_result_count = False  # an exact COUNT of a long trail on every page is not worth it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("what happened"))
    def action_label(self, event: AuditEvent) -> str:
        return str(_ACTION_LABELS.get(event.action, ""))

    @admin.display(description=_("target"), ordering="target_repr")
    def target_link(self, event: AuditEvent) -> str:
        if not event.target_type or not event.target_id:
            return event.target_repr
        try:
            model = apps.get_model(event.target_type)
            url = reverse(f"{self.admin_site.name}:{model._meta.app_label}_{model._meta.model_name}_change",
                          args=[event.target_id])
        except (LookupError, ValueError, NoReverseMatch):
            return event.target_repr
        return format_html('<a href="{}">{}</a>', url, event.target_repr or event.target_id)

    def get_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return [
            path("export.csv", self.admin_site.admin_view(self.export_csv_view), name=name),
            *super().get_urls(),
        ]

    def export_csv_view(self, request: HttpRequest) -> Any:
        """The events the list shows with the same filters and search, all pages, streamed as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:audit_auditevent_changelist") + "?e=1")
        queryset = changelist.get_queryset(request).select_related("actor", "actor_company").order_by("id")
        audit_record(action=AUDIT_LOG_EXPORTED, actor=request.user, request=request,
                     details={"query": request.GET.urlencode()[:500]})
        filename = f"gpc-audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response = StreamingHttpResponse(self._csv_rows(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _csv_rows(self, queryset: QuerySet) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"  # BOM: spreadsheet programs then read the Chinese names as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for event in queryset.iterator(chunk_size=2000):
            yield writer.writerow([_csv_safe(value) for value in (
                event.pk, event.created_at.isoformat(), event.action, event.actor_id,
                event.actor.email if event.actor else "", event.actor_company_id,
                event.actor_company.name_en if event.actor_company else "",
                event.target_type, event.target_id, event.target_repr, event.ip_address, event.user_agent,
                _json(event.details), event.prev_hash, event.hash,
            )])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
