"""What the scan endpoints answer and accept (issue 18)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.serializers import StrictSerializer
from apps.datarooms.choices import DETECTABLE
from apps.datarooms.scan.detectors import DETECTORS
from apps.datarooms.scan.models import DocumentScan

SCANNABLE = [(str(code), code.label) for code in DETECTABLE]


class RoomScanSampleSerializer(serializers.Serializer):
    masked = serializers.CharField(help_text=_("The hit with its middle masked: never the full identifier."))
    location = serializers.CharField(help_text=_("Where in the document: a page, a sheet and row, a line."))


class RoomScanFindingSerializer(serializers.Serializer):
    detector = serializers.ChoiceField(choices=[d.name for d in DETECTORS])
    count = serializers.IntegerField(min_value=0)
    samples = RoomScanSampleSerializer(many=True)


class RoomDocumentScanSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    findings = serializers.SerializerMethodField()
    proposed = serializers.ListField(child=serializers.ChoiceField(choices=SCANNABLE), read_only=True)
    declared = serializers.ListField(child=serializers.CharField(), source="document.classifications", read_only=True,
                                     help_text=_("The document's classifications as declared now."))
    classifications = serializers.ListField(child=serializers.ChoiceField(choices=SCANNABLE), read_only=True)
    formats = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = DocumentScan
        fields = ["id", "document", "version", "status", "units_done", "units_total", "findings", "formats",
                  "proposed", "declared", "decision", "classifications", "reason", "decided_at", "error_code",
                  "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    @extend_schema_field(RoomScanFindingSerializer(many=True))
    def get_findings(self, scan: DocumentScan) -> list[dict[str, Any]]:
        return [{"detector": name, "count": finding.get("count", 0), "samples": finding.get("samples", [])}
                for name, finding in sorted(scan.findings.items())]


class RoomScanOverrideSerializer(StrictSerializer):
    classifications = serializers.ListField(child=serializers.ChoiceField(choices=SCANNABLE), allow_empty=True,
                                            max_length=len(SCANNABLE))
    # Blank passes here so that the service answers "reason_required", as everywhere else.
    reason = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)
