"""CSV/XLSX import of deal records through django-import-export (a maintained import library).

Rows are matched on `reference`, and unchanged rows are skipped, so re-importing the same file changes nothing.
Only public records are imported: the kind column does not exist and platform records are never touched.
Every row is validated with the model's own rules (full_clean) before anything is written.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources, widgets

from apps.intelligence.models import DealRecord, DealSource

IMPORT_COLUMNS = [
    "reference", "announced_on", "licensor_name_en", "licensor_name_zh", "licensor_country", "licensee_name_en",
    "licensee_name_zh", "licensee_country", "asset_name", "modality", "therapeutic_area", "stage", "deal_type",
    "territory", "currency", "upfront", "equity", "near_term", "milestones_total", "total_value",
    "royalty_description", "royalty_low", "royalty_high", "source_url", "source_read_on", "notes",
]
AMOUNT_COLUMNS = ("upfront", "equity", "near_term", "milestones_total", "total_value", "royalty_low", "royalty_high")


class StrictDecimalWidget(widgets.DecimalWidget):
    """Empty cells stay empty (not disclosed); anything else must be a plain decimal number."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):  # XLSX numbers arrive as floats: go through their shortest text form
            value = repr(value)
        return super().clean(str(value).replace(",", "").strip(), row, **kwargs)


class DealRecordResource(resources.ModelResource):
    announced_on = fields.Field(attribute="announced_on", column_name="announced_on",
                                widget=widgets.DateWidget(format="%Y-%m-%d"))
    source_read_on = fields.Field(attribute="source_read_on", column_name="source_read_on",
                                  widget=widgets.DateWidget(format="%Y-%m-%d"))

    class Meta:
        model = DealRecord
        fields = IMPORT_COLUMNS
        import_id_fields = ["reference"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        widgets: dict[str, dict[str, Any]] = {name: {} for name in AMOUNT_COLUMNS}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name in AMOUNT_COLUMNS:
            self.fields[name].widget = StrictDecimalWidget()

    def get_queryset(self) -> Any:
        return DealRecord.objects.filter(source_kind=DealSource.PUBLIC)

    def skip_row(self, instance: DealRecord, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        instance.derive()  # compare what would be stored, not the row as typed (a blank total is derived)
        return bool(super().skip_row(instance, original, row, import_validation_errors=import_validation_errors))

    def before_save_instance(self, instance: DealRecord, row: Any, **kwargs: Any) -> None:
        instance.source_kind = DealSource.PUBLIC
        user = kwargs.get("user")
        if instance.pk is None and user is not None:
            instance.created_by = user
