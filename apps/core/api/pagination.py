from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class StrictPageSizeMixin:
    """A page_size that is not a whole number from 1 up is an error, not silently the default; the schema
    says so (minimum 1). Sizes above the maximum are capped, as documented."""

    page_size: Any
    page_size_query_param: Any
    max_page_size: Any

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] in (self.page_size_query_param, getattr(self, "page_query_param", None)):
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        # The schema says "an integer from 1": an empty or non-numeric page is a 400, not silently page 1.
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_query_param: [_("Give a whole number from 1.")]})
        return raw


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """For feeds that grow while people read them (notifications, audit): no COUNT, stable pages."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
