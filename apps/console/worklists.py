"""What every console worklist page shares: who may open it (staff who may view its model in the console), the
admin page around it (site context, breadcrumbs to the model's list) and one template, templates/admin/console/
worklist.html, that each page's template extends with its intro, table and empty-list sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def worklist_response(request: HttpRequest, site: Any, *, model: type[Model], template: str,
                      page: Callable[[ModelAdmin], dict[str, Any]]) -> HttpResponse:
    """The worklist page `template` for staff who may view `model` in the console (PermissionDenied for anyone
    else, before any row is read); `page(model_admin)` gives its title, rows and what else it shows."""
    model_admin = site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {**site.each_context(request), **page(model_admin), "opts": model._meta, "site_name": site.name}
    request.current_app = site.name
    return TemplateResponse(request, template, context)
