"""List filters the stock admin lacks: free-text inputs and a from/until time range."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class InputFilter(admin.ListFilter):
    """A filter rendered as a small GET form; subclasses list their `fields` as (parameter, label, input type)."""

    template = "admin/console/input_filter.html"
    fields: tuple[tuple[str, str | Promise, str], ...] = ()

    def __init__(self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any):
        super().__init__(request, params, model, model_admin)
        for name, _label, _type in self.fields:
            if name in params:
                value = params.pop(name)
                value = value[-1] if isinstance(value, list) else value
                if str(value).strip():
                    self.used_parameters[name] = str(value).strip()

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str | None]:
        return [name for name, _label, _type in self.fields]

    def choices(self, changelist: Any) -> Any:
        ours = set(self.expected_parameters())
        hidden = []
        for key, value in changelist.params.items():
            if key in ours or key in ("p", "e"):
                continue
            for item in value if isinstance(value, list) else [value]:
                hidden.append((key, item))
        yield {
            "fields": [
                {"name": name, "label": label, "type": kind, "value": self.used_parameters.get(name, "")}
                for name, label, kind in self.fields
            ],
            "hidden": hidden,
            "active": bool(self.used_parameters),
            "reset_url": changelist.get_query_string(remove=list(ours)),
        }


def _parse_moment(value: str, *, end: bool) -> tuple[datetime, bool]:
    """A date means the whole day (from its start, until its end); a datetime means itself. UTC if naive.

    Returns the moment and whether it is exclusive (the day after a whole-day "until").
    """
    day: date | None = parse_date(value)
    if day is not None:
        moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
        exclusive = end
    else:
        parsed = parse_datetime(value)
        if parsed is None:
            raise IncorrectLookupParameters(f"not a date: {value!r}")
        moment, exclusive = parsed, False
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment, exclusive


class TimeRangeFilter(InputFilter):
    """`field_name` from (inclusive) until (inclusive of the whole day when a date is given)."""

    title = _("time range")
    field_name = "created_at"
    fields = (("from", _("from"), "date"), ("until", _("until"), "date"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        try:
            if "from" in self.used_parameters:
                start, _exclusive = _parse_moment(str(self.used_parameters["from"]), end=False)
                queryset = queryset.filter(**{f"{self.field_name}__gte": start})
            if "until" in self.used_parameters:
                stop, exclusive = _parse_moment(str(self.used_parameters["until"]), end=True)
                queryset = queryset.filter(**{f"{self.field_name}__{'lt' if exclusive else 'lte'}": stop})
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(str(exc)) from exc
        return queryset
