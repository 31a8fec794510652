import json
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.audit import registry
from apps.audit.audit_actions import AUDIT_LOG_EXPORTED
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.console.admins import ReadOnlyAdmin
from apps.console.filters import InputFilter, TimeRangeFilter
from apps.console.names import company_name
from apps.core.csvsafe import csv_writer

CSV_COLUMNS = [
    "id", "created_at", "action", "actor_id", "actor_email", "actor_company_id", "actor_company",
    "target_type", "target_id", "target_repr", "ip_address", "user_agent", "details", "prev_hash", "hash",
]


class ActorFilter(InputFilter):
    title = _("actor")
    fields = (("actor_email", _("e-mail address contains"), "text"),)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.used_parameters.get("actor_email")
        if not value:
            return queryset
        # The people first (a small indexed lookup), then the trail by its (actor, created_at) index.
        people = get_user_model().objects.filter(email__icontains=str(value)).values("pk")
        return queryset.filter(actor__in=people)


class ActorCompanyFilter(InputFilter):
    """A company by name (English or Chinese) or by id: never a list of every company (10,000 at scale)."""

    title = _("actor's company")
    fields = (("actor_company_name", _("name contains"), "text"),
              ("actor_company__id__exact", _("or company id"), "number"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        from apps.companies.models import Company

        name = self.used_parameters.get("actor_company_name")
        if name:
            companies = Company.objects.filter(Q(name_en__icontains=name) | Q(name_zh__icontains=name)).values("pk")
            queryset = queryset.filter(actor_company__in=companies)
        company_id = str(self.used_parameters.get("actor_company__id__exact") or "")
        if company_id:
            if not company_id.isdigit():
                raise IncorrectLookupParameters(f"not a company id: {company_id!r}")
            queryset = queryset.filter(actor_company_id=int(company_id))
        return queryset


class ActionFilter(admin.SimpleListFilter):
    """The registered codes by their label in the reader's language: no DISTINCT scan over the trail."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return registry.choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


class TargetTypeFilter(admin.SimpleListFilter):
    """The platform's own models by name in the reader's language (a fixed list, not read from the trail)."""

    title = _("target type")
    parameter_name = "target_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        models = [model for model in apps.get_models() if model.__module__.startswith("apps.")
                  or model._meta.label_lower == "auth.group"]
        return sorted(((model._meta.label_lower, str(capfirst(model._meta.verbose_name))) for model in models),
                      key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(target_type=self.value()) if self.value() else queryset


class _Echo:
    """csv.writer wants a file; this one hands each written line straight back to the response."""

    def write(self, value: str) -> str:
        return value


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only for everybody, superusers included: the trail is evidence. Filterable, exportable to CSV."""

    list_display = ["created_at", "action_label", "actor_display", "company_display", "target_link", "ip_address"]
    list_filter = [TimeRangeFilter, ActorFilter, ActorCompanyFilter, ActionFilter, TargetTypeFilter]
    # Searched by get_search_results below, each part by an index (never a scan of the trail).
    search_fields = ["target_repr"]
    search_help_text = _("The target (its name or id), the actor's e-mail address, or what happened.")
    list_select_related = ["actor", "actor_company"]
    # No date_hierarchy: it reads the distinct years of the whole trail on every page (TimeRangeFilter instead).
    # The action by its label and a console edit's changes as "field: old → new"; the raw record stays below.
    readonly_fields = ["created_at", "action_label", "action", "actor", "actor_company", "target_type", "target_id",
                       "target_repr", "changes", "details", "ip_address", "user_agent", "prev_hash", "hash"]
    fields = list(readonly_fields)  # type: ignore[assignment]
    change_list_template = "admin/console/audit/change_list.html"
    actions = None
    show_full_result_count = False  # an exact COUNT of a long trail on every page is not worth it


    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """One term, matched against the target's name (trigram index), the target id (b-tree), the actor's
        e-mail address (people first, then the (actor, created_at) index) and the labels of the actions in the
        reader's language (the action index). OR-ed index conditions: PostgreSQL combines them as a bitmap."""
        term = search_term.strip()[:200]
        if not term:
            return queryset, False
        condition = Q(target_repr__icontains=term) | Q(target_id=term[:64])
        if "@" in term or "." in term:
            actors = list(get_user_model().objects.filter(email__icontains=term).values_list("pk", flat=True)[:200])
            if actors:
                condition |= Q(actor_id__in=actors)
        lowered = term.lower()
        actions = [code for code, label in registry.choices() if lowered in label.lower() or lowered in code]
        if actions:
            condition |= Q(action__in=actions)
        return queryset.filter(condition), False

    @admin.display(description=_("what happened"), ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return format_html('<span title="{}">{}</span>', event.action, registry.label_for(event.action))

    @admin.display(description=_("changes"))
    def changes(self, event: AuditEvent) -> str:
        details = event.details if isinstance(event.details, dict) else {}
        fields = details.get("fields")
        if not isinstance(fields, dict) or not fields:
            return "-"
        rows = []
        for name, change in sorted(fields.items()):
            change = change if isinstance(change, dict) else {"new": change}
            old = _json(change["old"]) if "old" in change else ""
            rows.append((name, old, _json(change.get("new"))))
        return format_html('<table class="console-changes"><tbody>{}</tbody></table>', format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>&rarr;</td><td>{}</td></tr>", rows))

    @admin.display(description=_("actor"), ordering="actor")
    def actor_display(self, event: AuditEvent) -> str:
        if event.actor is None:
            return "-"
        return format_html('<span title="{}">{}</span>', event.actor.email, event.actor.full_name or event.actor.email)

    @admin.display(description=_("actor's company"), ordering="actor_company")
    def company_display(self, event: AuditEvent) -> str:
        return company_name(event.actor_company) if event.actor_company else "-"

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
        writer = csv_writer(_Echo())  # names and user agents are user input
        yield "\ufeff"  # BOM: spreadsheet programs then read the Chinese names as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for event in queryset.iterator(chunk_size=2000):
            yield writer.writerow([
                event.pk, event.created_at.isoformat(), event.action, event.actor_id,
                event.actor.email if event.actor else "", event.actor_company_id,
                event.actor_company.name_en if event.actor_company else "",
                event.target_type, event.target_id, event.target_repr, event.ip_address, event.user_agent,
                _json(event.details), event.prev_hash, event.hash,
            ])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
