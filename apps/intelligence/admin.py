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


class WrittenByServicesAdmin(admin.ModelAdmin):
    """Adding, changing and deleting (one by one or "delete selected") all go through the subclass's services,
    given the form's `fields`; the services audit each write (apps/console/auditing.py)."""

    audited_by_service = True
    formfield_overrides = URL_FIELDS

    def create(self, actor: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, actor: Any, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def remove(self, actor: Any, obj: Any) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {name: value for name, value in form.cleaned_data.items() if name in (self.fields or ())}
        # Changes apply to the stored record, not to the form's copy of it.
        saved = (self.update(request.user, self.model.objects.get(pk=obj.pk), data) if change
                 else self.create(request.user, data))
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.remove(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # "Delete selected" too goes through the service, one audited deletion per record.
        for obj in queryset:
            self.remove(request.user, obj)


@admin.register(DealRecord)
class DealRecordAdmin(WrittenByServicesAdmin):
    list_display = ["announced_on", "licensor_name_en", "licensee_name_en", "asset_name", "modality",
                    "therapeutic_area", "upfront_usd", "total_value_usd"]
    list_filter = ["modality", "therapeutic_area", "stage", "territory", "licensor_country"]
    search_fields = ["reference", "licensor_name_en", "licensee_name_en", "asset_name"]
    fields = tuple(EDITABLE)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Staff are no party to a platform deal: the console lists public records only.
        return super().get_queryset(request).filter(source_kind=DealSource.PUBLIC)

    def create(self, actor: Any, data: dict[str, Any]) -> DealRecord:
        return services.deal_create(actor=actor, data=data)

    def update(self, actor: Any, obj: DealRecord, data: dict[str, Any]) -> DealRecord:
        return services.deal_update(actor=actor, deal=obj, data=data)

    def remove(self, actor: Any, obj: DealRecord) -> None:
        services.deal_delete(actor=actor, deal=obj)


@admin.register(MarketFigure)
class MarketFigureAdmin(WrittenByServicesAdmin):
    list_display = ["metric", "period_label", "value", "currency", "source_name", "as_of"]
    fields = tuple(FIGURE_FIELDS)

    def create(self, actor: Any, data: dict[str, Any]) -> MarketFigure:
        return services.market_figure_create(actor=actor, data=data)

    def update(self, actor: Any, obj: MarketFigure, data: dict[str, Any]) -> MarketFigure:
        return services.market_figure_update(actor=actor, figure=obj, data=data)

    def remove(self, actor: Any, obj: MarketFigure) -> None:
        services.market_figure_delete(actor=actor, figure=obj)


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
