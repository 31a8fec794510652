"""Every add, change and delete made in the console is an audit event, whatever the model and whoever wrote its
ModelAdmin.

`ConsoleAdminSite.register` puts `ConsoleAuditMixin` in front of every ModelAdmin it is given (the apps' own,
third-party ones, the console's extensions), so a new app's admin is audited without doing anything. Django's
admin calls `construct_change_message` and then `log_addition` / `log_change` for every form save (add, change,
inlines, list-editable rows, password changes) and `log_deletions` before every delete; the mixin records the
event there. `ConsoleAdminSite.admin_view` runs every POST in one transaction, so the act and its event commit
(or roll back) together. The details name each changed field with its old and new value; secrets are masked.
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest

from apps.audit.services import audit_record
from apps.console import scale
from apps.console.audit_actions import OBJECT_ADDED, OBJECT_CHANGED, OBJECT_DELETED

# A field whose name says it holds a secret is recorded as changed, never with its value.
SECRET_FIELD = re.compile(r"(password|secret|token|key|hash|otp|seed)", re.IGNORECASE)
MASK = "***"
_MAX_VALUE = 500
_DETAILS_ATTR = "_console_audit_details"


def plain(value: Any) -> Any:
    """A JSON-friendly, readable form of a form or model value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value if not isinstance(value, str) else value[:_MAX_VALUE]
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)[:200]}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return [plain(item) for item in list(value)[:100]]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in list(value.items())[:100]}
    return str(value)[:_MAX_VALUE]


def _masked(name: str, value: Any) -> Any:
    return MASK if SECRET_FIELD.search(name) else value


def form_changes(form: Any, *, add: bool) -> dict[str, Any]:
    """{field: {"old": ..., "new": ...}} for every field the form changed ({"new": ...} when adding)."""
    changes: dict[str, Any] = {}
    cleaned = getattr(form, "cleaned_data", {}) or {}
    for name in form.changed_data:
        new = _masked(name, plain(cleaned.get(name)))
        if add:
            changes[name] = {"new": new}
        else:
            old = form.initial.get(name)
            if callable(old):
                old = old()
            changes[name] = {"old": _masked(name, plain(old)), "new": new}
    return changes


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's own fields as they were just before a delete (secrets masked)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        values[field.name] = _masked(field.name, plain(getattr(obj, field.attname, None)))
    return values


def formset_changes(formsets: Iterable[Any] | None) -> list[dict[str, Any]]:
    """What the inlines added, changed and deleted, each with its fields."""
    out: list[dict[str, Any]] = []
    for formset in formsets or []:
        if not isinstance(formset, BaseFormSet):
            continue
        model = getattr(formset, "model", None)
        label = model._meta.label_lower if model is not None else ""
        forms_by_instance = {id(getattr(f, "instance", None)): f for f in formset.forms}
        for obj in getattr(formset, "new_objects", []):
            form = forms_by_instance.get(id(obj))
            out.append({"inline": label, "id": obj.pk, "repr": str(obj)[:200], "change": "added",
                        "fields": form_changes(form, add=True) if form is not None else {}})
        for obj, _changed in getattr(formset, "changed_objects", []):
            form = forms_by_instance.get(id(obj))
            out.append({"inline": label, "id": obj.pk, "repr": str(obj)[:200], "change": "changed",
                        "fields": form_changes(form, add=False) if form is not None else {}})
        for obj in getattr(formset, "deleted_objects", []):
            out.append({"inline": label, "id": obj.pk, "repr": str(obj)[:200], "change": "deleted",
                        "fields": snapshot(obj)})
    return out


# Fields that decide who may see what, or whether the export gate applies: never edited in a console form once
# the object exists. They change through the services that take a reason (company moderation, the parties'
# own API), which audit and notify. Applied to ModelAdmins and to inlines alike.
LOCKED_FIELDS: dict[str, tuple[str, ...]] = {
    "companies.company": ("country", "kind"),
    "companies.membership": ("company", "user", "role"),
    "companies.invitation": ("company", "role"),
    "catalog.asset": ("owner_company",),
    "datarooms.dataroom": ("owner_company", "asset"),
    "datarooms.accessgrant": ("room", "company", "user", "level", "scope", "expires_at", "revoked_at"),
}

# Evidence and business records: archived (listings) or closed by their parties, never deleted from the console.
UNDELETABLE: frozenset[str] = frozenset({
    "catalog.asset", "datarooms.dataroom", "datarooms.document", "agreements.agreement",
    "agreements.agreementversion", "audit.auditevent",
})


# Creating one of these hands out rights (a role, a grant) or needs what only its service sets up (a company's
# guardian group): companies register, invite and grant through the API.
NOT_ADDABLE: frozenset[str] = frozenset({
    "companies.company", "companies.membership", "companies.invitation", "datarooms.accessgrant",
})


# Models whose locked fields may be set once, when staff create the object (a company registered by staff).
LOCKED_ON_CHANGE_ONLY: frozenset[str] = frozenset({"catalog.asset"})


def _never(*args: Any, **kwargs: Any) -> bool:
    return False


def locked_fields(model: type[models.Model]) -> tuple[str, ...]:
    return LOCKED_FIELDS.get(model._meta.label_lower, ())


class ConsoleAuditMixin:
    """Records the console's writes as audit events (see the module docstring), keeps the fields that decide
    authorization read-only on existing objects and the undeletable models undeletable, and keeps every page
    bounded at scale (apps/console/scale.py): capped or estimated counts, raw ids instead of pickers and filters
    over large tables, no facet counts on large lists."""

    paginator = scale.ConsolePaginator
    show_full_result_count = False  # "N results (M total)" would COUNT the whole table on every filtered page

    @property
    def _audited_by_service(self) -> bool:
        # An admin whose save_model/delete_model/delete_queryset call services that record their own domain event
        # (intelligence.deal_created, ...) sets `audited_by_service = True`: one act, one event, the domain's own,
        # not a second generic one beside it. Read with getattr: this mixin stands in front of the admin's class.
        return bool(getattr(self, "audited_by_service", False))

    @property
    def show_facets(self) -> Any:
        from django.contrib.admin.options import ShowFacets

        return ShowFacets.NEVER if scale.large(self.model) else ShowFacets.ALLOW  # type: ignore[attr-defined]

    def get_list_display(self, request: HttpRequest) -> Any:
        # A company column names the company in the reader's language (its Chinese name for a Chinese reader).
        return [_company_column(self.model, name) if isinstance(name, str) else name  # type: ignore[attr-defined]
                for name in super().get_list_display(request)]  # type: ignore[misc]

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        # A date hierarchy reads the distinct years and months of the whole table on every page: not on a large one
        # (the time-range filters stay). Set per instance, from the table's size, before the list is built.
        if not hasattr(self, "_console_date_hierarchy"):
            self._console_date_hierarchy = self.date_hierarchy  # type: ignore[has-type]
        self.date_hierarchy = None if scale.large(self.model) else self._console_date_hierarchy  # type: ignore[attr-defined]
        return super().get_changelist_instance(request)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Any:
        from django.contrib.admin.filters import RelatedFieldListFilter

        filters = []
        for entry in super().get_list_filter(request):  # type: ignore[misc]
            name, filter_class = (entry if isinstance(entry, list | tuple) else (entry, None))
            if isinstance(name, str) and (filter_class is None or (
                    isinstance(filter_class, type) and issubclass(filter_class, RelatedFieldListFilter))):
                target = scale.relation_target(self.model, name)  # type: ignore[attr-defined]
                if target is not None and scale.large(target):
                    field = self.model._meta.get_field(name)  # type: ignore[attr-defined]
                    filters.append(scale.relation_id_filter(name, field.verbose_name))
                    continue
            filters.append(entry)
        return filters

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if ("widget" not in kwargs and db_field.name not in self._chosen_widgets()
                and scale.large(db_field.remote_field.model)):
            from django.contrib.admin.widgets import ForeignKeyRawIdWidget

            kwargs["widget"] = ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site)  # type: ignore[attr-defined]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if ("widget" not in kwargs and db_field.name not in self._chosen_widgets()
                and scale.large(db_field.remote_field.model)):
            from django.contrib.admin.widgets import ManyToManyRawIdWidget

            kwargs["widget"] = ManyToManyRawIdWidget(db_field.remote_field, self.admin_site)  # type: ignore[attr-defined]
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _chosen_widgets(self) -> set[str]:
        return {*getattr(self, "raw_id_fields", ()), *getattr(self, "autocomplete_fields", ())}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if obj is not None:
            fields += [name for name in locked_fields(self.model) if name not in fields]  # type: ignore[attr-defined]
        return fields

    def _third_party_hidden(self, request: HttpRequest) -> bool:
        from apps.console.sites import THIRD_PARTY_APPS

        return self.model._meta.app_label in THIRD_PARTY_APPS and not request.user.is_superuser  # type: ignore[attr-defined]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return not self._third_party_hidden(request) and bool(super().has_module_permission(request))  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._third_party_hidden(request) and bool(super().has_view_permission(request, obj))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._third_party_hidden(request) and bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if self._third_party_hidden(request):
            return False
        if self.model._meta.label_lower in NOT_ADDABLE:  # type: ignore[attr-defined]
            return False
        return bool(super().has_add_permission(request, *args))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.model._meta.label_lower in UNDELETABLE or self._third_party_hidden(request):  # type: ignore[attr-defined]
            return False
        return bool(super().has_delete_permission(request, obj))  # type: ignore[misc]

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)  # type: ignore[misc]
        for inline in inlines:
            locked = locked_fields(inline.model)
            if locked:
                inline.readonly_fields = [*inline.readonly_fields, *[f for f in locked
                                                                     if f not in inline.readonly_fields]]
            label = inline.model._meta.label_lower
            if label in NOT_ADDABLE or (locked and label not in LOCKED_ON_CHANGE_ONLY):
                inline.has_add_permission = _never  # instance attribute: this request's inline only
            if label in UNDELETABLE:
                inline.can_delete = False
        return inlines

    def construct_change_message(self, request: HttpRequest, form: Any, formsets: Any, add: bool = False) -> Any:
        details: dict[str, Any] = {"fields": form_changes(form, add=add)}
        inlines = formset_changes(formsets)
        if inlines:
            details["inlines"] = inlines
        setattr(request, _DETAILS_ATTR, details)
        return super().construct_change_message(request, form, formsets, add)  # type: ignore[misc]

    def _details(self, request: HttpRequest) -> dict[str, Any]:
        details = getattr(request, _DETAILS_ATTR, None) or {"fields": {}}
        if hasattr(request, _DETAILS_ATTR):
            delattr(request, _DETAILS_ATTR)
        return details

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        details = self._details(request)
        if not self._audited_by_service:
            audit_record(action=OBJECT_ADDED, actor=request.user, target=obj, request=request,
                         details={"model": obj._meta.label_lower, **details})
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        details = self._details(request)
        if not self._audited_by_service:
            audit_record(action=OBJECT_CHANGED, actor=request.user, target=obj, request=request,
                         details={"model": obj._meta.label_lower, **details})
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objects = list(queryset)
        for obj in objects if not self._audited_by_service else ():
            audit_record(action=OBJECT_DELETED, actor=request.user, target=obj, request=request,
                         details={"model": obj._meta.label_lower, "fields": snapshot(obj)})
        return super().log_deletions(request, objects)  # type: ignore[misc]


_company_columns: dict[tuple[str, str], Any] = {}


def _company_column(model: type[models.Model], name: str) -> Any:
    """`name` itself, or for a foreign key to a company a column showing the company in the reader's language."""
    key = (model._meta.label_lower, name)
    if key in _company_columns:
        return _company_columns[key]
    column: Any = name
    target = scale.relation_target(model, name)
    if target is not None and target._meta.label_lower == "companies.company" and not \
            model._meta.get_field(name).many_to_many:
        from django.contrib import admin

        from apps.console.names import company_name

        field = model._meta.get_field(name)

        def show(obj: Any) -> str:
            return company_name(getattr(obj, name)) or "-"

        show.__name__ = name  # the column's CSS class stays column-<name>
        column = admin.display(description=getattr(field, "verbose_name", name), ordering=name)(show)
    _company_columns[key] = column
    return column


def audited(admin_class: type) -> type:
    """`admin_class` with the mixin in front (the class itself if it has it already)."""
    if issubclass(admin_class, ConsoleAuditMixin):
        return admin_class
    attrs: dict[str, Any] = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    if not getattr(admin_class, "change_list_template", None):
        attrs["change_list_template"] = "admin/console/change_list.html"
    return type(admin_class.__name__, (ConsoleAuditMixin, admin_class), attrs)
