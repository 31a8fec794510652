"""Partnering serializers. Related ids go through apps.core.api.fields.VisibleRelatedField: an id the caller may not
see answers exactly like an id that does not exist. Times are written in UTC and, beside them, in the reader's own
time zone."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.api.serializers import TerritoryField
from apps.catalog.models import Asset
from apps.companies.models import Company
from apps.core.api.fields import VisibleRelatedField
from apps.core.api.serializers import (
    ReasonSerializer,
    RequiredReasonSerializer,
    StrictModelSerializer,
    StrictSerializer,
)
from apps.core.validation import invalid_field
from apps.partnering.contexts import context_keys
from apps.partnering.models import (
    CallForAssets,
    DeclineReason,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    Meeting,
    MeetingSlot,
    PartneringEvent,
    Submission,
    SubmissionStatus,
)
from apps.partnering.services.meetings import MAX_SLOTS


def _reader_zone(context: Any) -> zoneinfo.ZoneInfo:
    user = getattr(context.get("request"), "user", None)
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@extend_schema_field({"type": "string", "format": "date-time", "nullable": True,
                      "description": "The same instant in the reader's time zone (User.time_zone)."})
class LocalTimeField(serializers.Field):
    def __init__(self, source: str, **kwargs: Any) -> None:
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value.astimezone(_reader_zone(self.context)).isoformat() if value else None


class CallSerializer(StrictModelSerializer):
    company: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    company_name = serializers.CharField(source="company.name_en", read_only=True)
    company_name_zh = serializers.CharField(source="company.name_zh", read_only=True)

    class Meta:
        model = CallForAssets
        fields = ["id", "public_id", "company", "company_name", "company_name_zh", "title_en", "title_zh",
                  "description_en", "description_zh", "therapeutic_areas", "modalities", "stages", "territories",
                  "deal_types", "deadline", "status", "status_reason", "published_at", "created_at", "updated_at"]
        read_only_fields = ["public_id", "status", "status_reason", "published_at", "created_at", "updated_at"]


class CallWriteSerializer(StrictSerializer):
    company = VisibleRelatedField(Company, required=False)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    therapeutic_areas = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                              max_length=20)
    modalities = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    stages = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    territories = TerritoryField(required=False)
    deal_types = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=10)
    # Required to draft a call; an edit (PATCH, partial) may leave it out.
    deadline = serializers.DateField()


class SubmissionSerializer(StrictModelSerializer):
    call_title = serializers.CharField(source="call.title_en", read_only=True)
    call_title_zh = serializers.CharField(source="call.title_zh", read_only=True)
    asset_code_name = serializers.CharField(source="asset.code_name", read_only=True)
    company_name = serializers.CharField(source="company.name_en", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decline_reason_label = serializers.CharField(source="get_decline_reason_display", read_only=True)
    # Blank until a decline: the schema must allow the empty value beside the reasons.
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "public_id", "call", "call_title", "call_title_zh", "asset", "asset_code_name", "company",
                  "company_name", "pitch", "status", "status_label", "decline_reason", "decline_reason_label",
                  "decline_note", "info_request", "access_request", "created_at", "updated_at"]
        read_only_fields = fields


class SubmissionCreateSerializer(StrictSerializer):
    call = VisibleRelatedField(CallForAssets)
    asset = VisibleRelatedField(Asset)
    pitch = serializers.CharField(max_length=4000)


class TriageSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[SubmissionStatus.UNDER_REVIEW, SubmissionStatus.MORE_INFO,
                                              SubmissionStatus.ADVANCED, SubmissionStatus.DECLINED])
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, required=False, allow_blank=True)
    decline_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    info_request = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    access_message = serializers.CharField(max_length=4000, required=False, allow_blank=True)


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "example": "clinical_data"})
class CodeField(serializers.SlugField):
    """A slug: the schema states the pattern the model's validator enforces."""


@extend_schema_field({"type": "string", "format": "decimal",
                      "pattern": r"^(100(\.00?)?|[0-9]{1,2}(\.[0-9]{1,2})?)$", "example": "0.25",
                      "description": "0 to 100, two decimals at most."})
class WeightField(serializers.DecimalField):
    """A criterion's weight, 0 to 100: the schema states the range, not only the digits."""


class CriterionSerializer(StrictModelSerializer):
    code = CodeField(max_length=EvaluationCriterion._meta.get_field("code").max_length, required=False)
    weight = WeightField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)

    class Meta:
        model = EvaluationCriterion
        fields = ["id", "company", "code", "name_en", "name_zh", "weight", "position", "active"]
        read_only_fields = ["company", "position"]
        extra_kwargs = {"name_en": {"required": False}}


class CriterionCreateSerializer(CriterionSerializer):
    """A new criterion needs its code, English name and weight (a code already in use edits that criterion)."""

    code = CodeField(max_length=EvaluationCriterion._meta.get_field("code").max_length)
    weight = WeightField(max_digits=5, decimal_places=2, min_value=0, max_value=100)

    class Meta(CriterionSerializer.Meta):
        extra_kwargs = {"name_en": {"required": True}}


class ScoreSerializer(StrictModelSerializer):
    class Meta:
        model = EvaluationScore
        fields = ["id", "criterion", "scorer", "score", "comment", "updated_at"]
        read_only_fields = fields


class EvaluationSerializer(StrictModelSerializer):
    asset_code_name = serializers.CharField(source="asset.code_name", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["id", "company", "asset", "asset_code_name", "submission", "note", "scores", "summary",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_summary(self, evaluation: Evaluation) -> dict[str, Any]:
        from apps.partnering.selectors import evaluation_summary

        summary = evaluation_summary(evaluation)
        for key in ("weighted_total", "spread"):
            summary[key] = str(summary[key]) if summary[key] is not None else None
        return summary


class EvaluationCreateSerializer(StrictSerializer):
    asset = VisibleRelatedField(Asset, required=False)
    submission = VisibleRelatedField(Submission, required=False)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Exactly one of the two: a relation between fields, stated in BUSINESS_RULES (api/documented.py).
        if bool(attrs.get("asset")) == bool(attrs.get("submission")):
            raise invalid_field("asset", _("Give an asset or a submission."), code="asset_or_submission")
        return attrs


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^(10(\.0)?|[0-9](\.[0-9])?)$",
                      "description": "0 to 10, one decimal at most."})
class ScoreField(serializers.DecimalField):
    """A score from 0 to 10 with at most one decimal; the schema states the range, which a bare decimal
    pattern (it admits "-" and "-448") does not."""


class ScoreItemSerializer(StrictSerializer):
    # An id of one of the company's active criteria, resolved by the service against exactly those (any other id,
    # hidden or missing, is `unknown_criterion`): which ids qualify depends on data, not on the schema.
    criterion = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    score = ScoreField(max_digits=3, decimal_places=1, min_value=0, max_value=10)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class ScoresSerializer(StrictSerializer):
    scores = serializers.ListField(child=ScoreItemSerializer(), min_length=1, max_length=100)


class EvaluationCountsSerializer(serializers.Serializer):
    evaluations = serializers.IntegerField()
    evaluating_companies = serializers.IntegerField()
    scores = serializers.IntegerField()


class SlotSerializer(StrictModelSerializer):
    starts_at_local = LocalTimeField(source="starts_at")
    ends_at_local = LocalTimeField(source="ends_at")

    class Meta:
        model = MeetingSlot
        fields = ["id", "starts_at", "ends_at", "starts_at_local", "ends_at_local", "proposed_by_company", "status"]
        read_only_fields = fields


class MeetingSerializer(StrictModelSerializer):
    slots = SlotSerializer(many=True, read_only=True)
    participants = serializers.SerializerMethodField()
    starts_at_local = LocalTimeField(source="starts_at")
    ends_at_local = LocalTimeField(source="ends_at")
    time_zone = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "uid", "context_type", "context_id", "requester_company", "invitee_company", "subject",
                  "status", "awaiting_company", "starts_at", "ends_at", "starts_at_local", "ends_at_local",
                  "time_zone", "location", "sequence", "decline_reason", "event", "room", "slots", "participants",
                  "created_at"]
        read_only_fields = fields

    def get_participants(self, meeting: Meeting) -> list[dict[str, Any]]:
        return [{"user": p.user_id, "name": p.user.full_name, "company": p.company_id}
                for p in meeting.participants.all()]

    def get_time_zone(self, meeting: Meeting) -> str:
        return _reader_zone(self.context).key


class AwareDateTimeField(serializers.DateTimeField):
    """A moment with its UTC offset (`2031-03-10T09:00:00-04:00`): a bare local time is ambiguous across zones."""

    def enforce_timezone(self, value: Any) -> Any:
        if timezone.is_naive(value):
            raise serializers.ValidationError(_("Give times with their UTC offset."))
        return super().enforce_timezone(value)


class SlotInputSerializer(StrictSerializer):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()




class MeetingRequestSerializer(StrictSerializer):
    context_type = serializers.ChoiceField(choices=[])
    context_id = serializers.IntegerField(min_value=1)
    subject = serializers.CharField(max_length=200)
    slots = serializers.ListField(child=SlotInputSerializer(), min_length=1, max_length=MAX_SLOTS)
    participants = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=20)
    invitee_company = VisibleRelatedField(Company, required=False)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["context_type"].choices = context_keys()  # type: ignore[attr-defined]


class AcceptSerializer(StrictSerializer):
    slot = serializers.IntegerField(min_value=1)
    participants = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=20)


class ProposeSerializer(StrictSerializer):
    slots = serializers.ListField(child=SlotInputSerializer(), min_length=1, max_length=MAX_SLOTS)


class MeetingUpdateSerializer(StrictSerializer):
    subject = serializers.CharField(max_length=200, required=False)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()
    rotated_at = serializers.DateTimeField()


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
                      "example": "09:00:00", "description": "A local wall-clock time (HH:MM or HH:MM:SS), no offset."})
class LocalClockField(serializers.TimeField):
    """A time of day in the event's own zone. OpenAPI's `format: time` is RFC 3339's, which requires a UTC
    offset: the wrong promise for a local wall-clock time."""


class EventSerializer(StrictModelSerializer):
    day_starts = LocalClockField(label=capfirst(PartneringEvent._meta.get_field("day_starts").verbose_name))
    day_ends = LocalClockField(label=capfirst(PartneringEvent._meta.get_field("day_ends").verbose_name))

    class Meta:
        model = PartneringEvent
        fields = ["id", "name", "starts_on", "ends_on", "time_zone", "day_starts", "day_ends", "slot_minutes",
                  "rooms", "created_at"]
        read_only_fields = ["created_at"]


class AvailabilitySerializer(StrictSerializer):
    windows = SlotInputSerializer(many=True)


class EventMeetingSerializer(StrictSerializer):
    invitee_company = VisibleRelatedField(Company)
    subject = serializers.CharField(max_length=200)


class EventRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    company = serializers.IntegerField(source="company_id")
    created_at = serializers.DateTimeField()


__all__ = ["ReasonSerializer", "RequiredReasonSerializer"]  # the core ones, for this app's views (one component each)
