"""Every model registered in the console, present and future: an add, a change or a delete made through it leaves an
audit event naming what changed; fields that decide authorization cannot be edited; evidence cannot be deleted.

The walk signs in as a superuser (who gets every page a model admin offers) over the demo data, and for each
registered model submits the add form (filled generically), the change form of an existing object with one field
altered, and the delete confirmation. Whatever the database then holds differently must come with an audit event
of the console for that very object. A model whose pages write nothing (read-only admins) passes by writing
nothing; the walk must still have written through at least ten models and through add, change and delete.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.console.audit_actions import OBJECT_ADDED, OBJECT_CHANGED, OBJECT_DELETED
from apps.console.auditing import LOCKED_FIELDS, UNDELETABLE, ConsoleAuditMixin

pytestmark = pytest.mark.django_db


def _registry() -> list[tuple[type[models.Model], admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label_lower)


def test_every_registered_model_admin_carries_the_audit_mixin():
    missing = [model._meta.label for model, model_admin in _registry()
               if not isinstance(model_admin, ConsoleAuditMixin)]
    assert not missing


def _value_for(field: forms.Field, name: str) -> Any:
    """Something a form field accepts, for a generic add."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return first.pk if first is not None else ""
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        choices = [value for value, _label in field.choices if value not in ("", None)]
        return choices[0] if choices else ""
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(field, forms.EmailField):
        return f"walk-{name}@gpc.test"
    if isinstance(field, forms.URLField):
        return "https://walk.example"
    if isinstance(field, forms.SplitDateTimeField):
        return None
    if isinstance(field, forms.DateTimeField):
        return "2030-01-02 03:04:05"
    if isinstance(field, forms.DateField):
        return "2030-01-02"
    if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
        return "1"
    if isinstance(field, forms.JSONField):
        return "{}"
    if isinstance(field, forms.DurationField):
        return "00:01:00"
    return f"walk {name}"[: getattr(field, "max_length", None) or 40]


def _form_data(response: Any, *, fill: bool) -> dict[str, Any]:
    """The page's own form as the browser would submit it (and, for an add, required fields filled)."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if fill and field.required and value in (None, "", []):
            value = _value_for(field, name)
        if isinstance(field, forms.SplitDateTimeField):
            moment = value if isinstance(value, datetime.datetime) else datetime.datetime(2030, 1, 2, 3, 4, 5)
            if value in (None, "") and not field.required:
                data[f"{name}_0"], data[f"{name}_1"] = "", ""
            else:
                data[f"{name}_0"], data[f"{name}_1"] = moment.date().isoformat(), moment.time().isoformat()
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, dict | list):
            import json

            data[name] = json.dumps(value)
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") and not isinstance(
                value, str) else value
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, bound_value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = bound_value
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if isinstance(inline_form.fields[name], forms.BooleanField):
                    if value:
                        data[inline_form.add_prefix(name)] = "on"
                    continue
                data[inline_form.add_prefix(name)] = "" if value is None else (
                    [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
                    if not isinstance(value, models.Model) else value.pk)
    return data


_NOT_FREE_TEXT = (forms.EmailField, forms.URLField, forms.SlugField, forms.UUIDField, forms.RegexField, forms.JSONField,
                  forms.GenericIPAddressField, forms.TypedChoiceField)


def _alter(form: forms.Form, data: dict[str, Any]) -> str | None:
    """Change one harmless free-text field, so the save is a real change."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field, _NOT_FREE_TEXT) or name not in data:
            continue
        if getattr(field.widget, "input_type", "") == "password" or "choices" in vars(field):
            continue
        current = str(data[name] or "")
        max_length = field.max_length or 200
        data[name] = (current + " (walk)")[-max_length:] if len(current) + 7 > max_length else current + " (walk)"
        return name
    return None


def _state(model: type[models.Model]) -> list[tuple]:
    return sorted(model._default_manager.order_by().values_list(*[f.attname for f in model._meta.concrete_fields]),
                  key=repr)


def _audited(since_id: int, model: type[models.Model], model_admin: Any, code: str, pk: Any = None) -> bool:
    """Whether the act left its event: the console's `code`, or for an admin whose services audit each act
    (audited_by_service), the service's own domain event on the row, and then only that one."""
    events = AuditEvent.objects.filter(pk__gt=since_id, target_type=model._meta.label_lower)
    if pk is not None:
        events = events.filter(target_id=str(pk))
    if getattr(model_admin, "audited_by_service", False):
        return events.count() == 1 and not events.filter(action__startswith="console.").exists()
    return events.filter(action=code).exists()


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_no_model_can_be_added_changed_or_deleted_in_the_console_without_an_audit_event(console, superuser, demo):
    client = console(superuser)
    unaudited: list[str] = []
    exercised: dict[str, set[str]] = {}
    for model, model_admin in _registry():
        label = model._meta.label_lower
        info = (model._meta.app_label, model._meta.model_name)
        done = exercised.setdefault(label, set())
        request = client.get(reverse("admin:index")).wsgi_request
        request.user = superuser

        # --- add -----------------------------------------------------------------------------------------
        if model_admin.has_add_permission(request):
            page = client.get(reverse("admin:{}_{}_add".format(*info)))
            if page.status_code == 200 and "adminform" in (page.context or {}):
                before, mark = _state(model), _last_event_id()
                client.post(reverse("admin:{}_{}_add".format(*info)), _form_data(page, fill=True))
                if _state(model) != before:
                    done.add("add")
                    if not _audited(mark, model, model_admin, OBJECT_ADDED):
                        unaudited.append(f"{label}: added without an audit event")

        # --- change --------------------------------------------------------------------------------------
        obj = model_admin.get_queryset(request).order_by("-pk").first()
        if obj is not None and model_admin.has_change_permission(request, obj):
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            page = client.get(url)
            if page.status_code == 200 and "adminform" in (page.context or {}):
                data = _form_data(page, fill=False)
                _alter(page.context["adminform"].form, data)
                data["_save"] = "Save"
                before, mark = _state(model), _last_event_id()
                client.post(url, data)
                if _state(model) != before:
                    done.add("change")
                    if not _audited(mark, model, model_admin, OBJECT_CHANGED, obj.pk):
                        unaudited.append(f"{label}: changed without an audit event")

        # --- delete --------------------------------------------------------------------------------------
        obj = model_admin.get_queryset(request).order_by("-pk").first()
        if obj is not None and model_admin.has_delete_permission(request, obj):
            before, mark = _state(model), _last_event_id()
            client.post(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]), {"post": "yes"})
            if _state(model) != before:
                done.add("delete")
                if not _audited(mark, model, model_admin, OBJECT_DELETED, obj.pk):
                    unaudited.append(f"{label}: deleted without an audit event")
    assert not unaudited, "\n".join(unaudited)
    # The walk must have really written through the console, for a good share of the models.
    assert sum(1 for ops in exercised.values() if ops) >= 10, exercised
    assert {"add", "change", "delete"} <= set().union(*exercised.values())


def test_a_change_names_each_field_with_its_old_and_new_value(console, superuser, world):
    client = console(superuser)
    company = world.partner
    url = reverse("admin:companies_company_change", args=[company.pk])
    page = client.get(url)
    data = _form_data(page, fill=False)
    data["website"] = "https://new-northbridge.example"
    data["_save"] = "Save"
    old_website = company.website
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action=OBJECT_CHANGED, target_id=str(company.pk))
    assert event.actor == superuser
    assert event.details["fields"]["website"] == {"old": old_website, "new": "https://new-northbridge.example"}
    assert set(event.details["fields"]) == {"website"}


def test_the_authorization_fields_cannot_be_changed_in_the_console(console, superuser, world):
    client = console(superuser)
    company = world.partner
    url = reverse("admin:companies_company_change", args=[company.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert "country" not in form.fields and "kind" not in form.fields
    original = (company.country, company.kind)
    assert original[0] != "CN"
    data = _form_data(page, fill=False)
    data.update({"country": "CN", "kind": "licensor", "_save": "Save"})
    client.post(url, data)
    company.refresh_from_db()
    assert (company.country, company.kind) == original  # the US partner stays behind the export gate
    for label, fields in LOCKED_FIELDS.items():
        model = next((m for m, _a in _registry() if m._meta.label_lower == label), None)
        if model is None:
            continue
        obj = model._default_manager.first()
        if obj is None:
            continue
        page = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]))
        if "adminform" in (page.context or {}):
            editable = set(page.context["adminform"].form.fields)
            assert not editable & set(fields), f"{label}: {editable & set(fields)} editable"


def test_a_password_change_is_audited_without_the_password(console, superuser, world):
    client = console(superuser)
    url = reverse("admin:auth_user_password_change", args=[world.member.pk])
    response = client.post(url, {"password1": "N3w-secret-pass!", "password2": "N3w-secret-pass!",
                                 "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=OBJECT_CHANGED, target_id=str(world.member.pk))
    assert "N3w-secret-pass!" not in str(event.details)
    assert event.details["fields"]["password"] == {"old": "***", "new": "***"}


def test_listings_rooms_documents_agreements_and_audit_rows_cannot_be_deleted(console, superuser, demo):
    client = console(superuser)
    for model, model_admin in _registry():
        if model._meta.label_lower not in UNDELETABLE:
            continue
        request = client.get(reverse("admin:index")).wsgi_request
        request.user = superuser
        assert not model_admin.has_delete_permission(request), model._meta.label
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        obj = model._default_manager.first()
        assert obj is not None, f"the demo has no {model._meta.label}"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=obj.pk).exists()


def test_a_bulk_delete_records_one_event_per_object(console, superuser, world):
    from apps.agreements.models import ExchangeRate

    rates = [ExchangeRate.objects.create(currency=c, usd_per_unit="0.14", valid_on="2026-01-01", source="walk")
             for c in ("CNY", "EUR")]
    response = console(superuser).post(reverse("admin:agreements_exchangerate_changelist"), {
        "action": "delete_selected", "_selected_action": [r.pk for r in rates], "post": "yes"})
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action=OBJECT_DELETED, target_type="agreements.exchangerate")
    assert sorted(e.target_id for e in events) == sorted(str(r.pk) for r in rates)
    assert all(e.details["fields"]["source"] == "walk" for e in events)
