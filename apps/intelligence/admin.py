"""Staff curate public deal records and market figures in the console; every save goes through the services, so
it is validated and audited like an API write. Platform deals are read-only here (their parties' agreement is the
source), and their figures are not shown one by one."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from apps.console.admins import NoAddOrDelete
from apps.intelligence import services
from apps.intelligence.models import DealImport, DealRecord, DealSource, MarketFigure, PhaseTransition
from apps.intelligence.resources import IMPORT_COLUMNS

EDITABLE: list[str] = list(IMPORT_COLUMNS)
FIGURE_FIELDS = ["metric", "period_label", "period_start", "period_end", "scope_en", "scope_zh", "value", "currency",
                 "source_name", "source_url", "as_of"]
# Sources are web pages: a bare domain typed by staff means https (Django 6's default).
URL_FIELDS: dict[Any, dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}
IMPORT_FIELDS = ["file_name", "file_format", "sha256", "status", "preview", "result", "created_at", "imported_at"]


@admin.register(DealRecord)
class DealRecordAdmin(admin.ModelAdmin):
    audited_by_service = True  # the services record deal/figure events (apps/console/auditing.py)
    list_display = ["announced_on", "licensor_name_en", "licensee_name_en", "asset_name", "modality",
                    "therapeutic_area", "upfront_usd", "total_value_usd"]
    list_filter = ["modality", "therapeutic_area", "stage", "territory", "licensor_country"]
    search_fields = ["reference", "licensor_name_en", "licensee_name_en", "asset_name"]
    formfield_overrides = URL_FIELDS
    fields = tuple(EDITABLE)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Staff are no party to a platform deal: the console lists public records only.
        return super().get_queryset(request).filter(source_kind=DealSource.PUBLIC)

    def save_model(self, request: HttpRequest, obj: DealRecord, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in EDITABLE if name in form.cleaned_data}
        if change:
            original = DealRecord.objects.get(pk=obj.pk)
            saved = services.deal_update(actor=request.user, deal=original, data=data)
        else:
            saved = services.deal_create(actor=request.user, data=data)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DealRecord) -> None:
        services.deal_delete(actor=request.user, deal=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # "Delete selected" too goes through the service, one audited deletion per record.
        for deal in queryset:
            services.deal_delete(actor=request.user, deal=deal)


@admin.register(MarketFigure)
class MarketFigureAdmin(admin.ModelAdmin):
    audited_by_service = True  # the services record deal/figure events (apps/console/auditing.py)
    list_display = ["metric", "period_label", "value", "currency", "source_name", "as_of"]
    formfield_overrides = URL_FIELDS
    fields = tuple(FIGURE_FIELDS)

    def save_model(self, request: HttpRequest, obj: MarketFigure, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in FIGURE_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.market_figure_update(actor=request.user, figure=MarketFigure.objects.get(pk=obj.pk),
                                                  data=data)
        else:
            saved = services.market_figure_create(actor=request.user, data=data)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: MarketFigure) -> None:
        services.market_figure_delete(actor=request.user, figure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for figure in queryset:
            services.market_figure_delete(actor=request.user, figure=figure)


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(NoAddOrDelete, admin.ModelAdmin):
    # One default per phase and area: staff change its value, never add or remove one.
    audited_by_service = True  # the services record deal/figure events (apps/console/auditing.py)
    list_display = ["phase", "therapeutic_area", "probability", "source"]
    fields = ["phase", "therapeutic_area", "probability", "source"]
    readonly_fields = ["phase", "therapeutic_area"]

    def save_model(self, request: HttpRequest, obj: PhaseTransition, form: Any, change: bool) -> None:
        services.phase_transition_update(actor=request.user, transition=PhaseTransition.objects.get(pk=obj.pk),
                                         probability=form.cleaned_data["probability"],
                                         source=form.cleaned_data["source"])


@admin.register(DealImport)
class DealImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_at", "imported_at"]
    fields = tuple(IMPORT_FIELDS)
    readonly_fields = tuple(IMPORT_FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
