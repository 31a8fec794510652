"""Serializers validate and shape; they never decide access (the restricted querysets and services do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.models import User
from apps.catalog.models import Asset
from apps.companies.models import Company, Membership
from apps.core.api.fields import VisibleRelatedField
from apps.core.api.serializers import StrictSerializer
from apps.core.authz import VIEW
from apps.core.errors import ValidationFailed

from ..access import may_request_access
from ..models import (
    AccessGrant,
    AccessRequest,
    BulkImport,
    CdaAcceptance,
    CdaVersion,
    DataClassification,
    DataRoom,
    Document,
    DocumentAccess,
    DocumentVersion,
    Folder,
    GrantLevel,
    GrantScope,
    Question,
)


def _readers_ids(context: Any, key: str, rows: Callable[[Any], QuerySet]) -> set[int]:
    """The ids `rows(user)` lists for the reader, read once per response (not once per row) and kept in the
    serializer context under `key`; none for an anonymous reader."""
    if key not in context:
        request = context.get("request")
        user = getattr(request, "user", None)
        context[key] = set(rows(user)) if user is not None and user.is_authenticated else set()
    return context[key]


def _user_company_ids(context: Any) -> set[int]:
    """The reader's companies."""
    return _readers_ids(context, "_user_company_ids",
                        lambda user: Membership.objects.filter(user=user).values_list("company_id", flat=True))


def _accepted_cda_ids(context: Any) -> set[int]:
    """The CDA versions the reader accepted."""
    return _readers_ids(context, "_accepted_cda_ids",
                        lambda user: CdaAcceptance.objects.filter(user=user).values_list("cda_id", flat=True))


def _is_insider(context: Any, room_id: int, owner_company_id: int) -> bool:
    """Owner-side readers (members of the owner company) and staff see identities; partners never do."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff) or owner_company_id in _user_company_ids(context)


class RoomCdaSerializer(serializers.ModelSerializer):
    class Meta:
        model = CdaVersion
        fields = ["id", "version", "text_en", "text_zh", "created_at"]
        read_only_fields = fields


class DataRoomSerializer(serializers.ModelSerializer):
    asset_code_name = serializers.CharField(source="asset.code_name", read_only=True)
    current_cda = RoomCdaSerializer(read_only=True)
    current_cda_accepted = serializers.SerializerMethodField(
        help_text=_("Whether you have accepted the room's current confidentiality agreement (null: the room has "
                    "none). Partners accept it before they see any document."))

    class Meta:
        model = DataRoom
        fields = ["id", "public_id", "asset", "asset_code_name", "owner_company", "name", "description",
                  "current_cda", "current_cda_accepted", "created_at"]
        read_only_fields = ["id", "public_id", "asset", "asset_code_name", "owner_company", "current_cda",
                            "current_cda_accepted", "created_at"]

    def get_current_cda_accepted(self, room: DataRoom) -> bool | None:
        if room.current_cda_id is None:
            return None
        return room.current_cda_id in _accepted_cda_ids(self.context)


class DataRoomCreateSerializer(StrictSerializer):
    asset = VisibleRelatedField(Asset)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DataRoomUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RoomCdaPublishSerializer(StrictSerializer):
    text_en = serializers.CharField(max_length=50_000)
    text_zh = serializers.CharField(max_length=50_000)


class RoomCdaAcceptSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1)


class RoomCdaAcceptanceSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="cda.version")
    accepted_at = serializers.DateTimeField()


class RoomFolderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Folder
        fields = ["id", "room", "parent", "name", "held_back", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance: Folder) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not _is_insider(self.context, instance.room_id, instance.room.owner_company_id):
            data.pop("held_back")  # partners do not learn what is held back from them
        return data


class RoomFolderCreateSerializer(StrictSerializer):
    room = VisibleRelatedField(DataRoom)
    parent = VisibleRelatedField(  # type: ignore[assignment]  # a field, not Field.parent
        Folder, required=False, allow_null=True)
    name = serializers.CharField(max_length=200)
    held_back = serializers.BooleanField(required=False, default=False)


class RoomFolderUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False)
    held_back = serializers.BooleanField(required=False)


class RoomVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "kind", "content_type", "size", "sha256", "pages", "created_at"]
        read_only_fields = fields


class RoomDocumentSerializer(serializers.ModelSerializer):
    classifications = serializers.ListField(child=serializers.CharField(), read_only=True)
    current_version = RoomVersionSerializer(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "public_id", "room", "folder", "name", "classifications", "current_version", "created_at",
                  "updated_at"]
        read_only_fields = fields


class RoomDocumentUploadSerializer(StrictSerializer):
    folder = VisibleRelatedField(Folder)
    # Optional in the schema: an empty part is dropped by Django's parser and answered as "empty_file".
    file = serializers.FileField(allow_empty_file=True, use_url=False, required=False)
    name = serializers.CharField(max_length=255, required=False)
    classifications = serializers.ListField(
        child=serializers.ChoiceField(choices=DataClassification.choices), required=False, allow_empty=True,
        max_length=4,
    )


class RoomDocumentUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=255, required=False)
    folder = VisibleRelatedField(Folder, required=False)
    classifications = serializers.ListField(
        child=serializers.ChoiceField(choices=DataClassification.choices), required=False, allow_empty=True,
        max_length=4,
    )


class RoomVersionUploadSerializer(StrictSerializer):
    # Optional in the schema: an empty part is dropped by Django's parser and answered as "empty_file".
    file = serializers.FileField(allow_empty_file=True, use_url=False, required=False)


class RoomBulkImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = BulkImport
        fields = ["id", "public_id", "room", "parent", "original_name", "size", "status", "total_files",
                  "processed_files", "created_documents", "error_code", "error_detail", "created_at", "finished_at"]
        read_only_fields = fields


class RoomBulkImportCreateSerializer(StrictSerializer):
    room = VisibleRelatedField(DataRoom)
    # Not nullable: multipart has no null (leave it out to import at the top of the room).
    parent = VisibleRelatedField(  # type: ignore[assignment]  # a field, not Field.parent
        Folder, required=False)
    # Optional in the schema: an empty part is dropped by Django's parser and answered as "empty_file".
    file = serializers.FileField(allow_empty_file=True, use_url=False, required=False)


class RoomAccessRequestSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name_en", read_only=True)

    class Meta:
        model = AccessRequest
        fields = ["id", "room", "company", "company_name", "requested_by", "message", "status", "reason",
                  "decided_at", "created_at"]
        read_only_fields = fields


class RequestableAssetField(VisibleRelatedField):
    """An asset whose data room the caller may ask for (access.may_request_access: the teaser rule, or an
    admission another app registers). Any other id reads exactly like one that does not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Asset, **kwargs)

    def restricted_queryset(self, user: Any) -> Any:
        return Asset.objects.all()  # narrowed per asset below: the rule is asked of one (actor, asset)

    def to_internal_value(self, data: Any) -> Any:
        asset = super().to_internal_value(data)
        if not may_request_access(self.context["request"].user, asset):
            self.fail("does_not_exist", pk_value=data)
        return asset


class RoomAccessRequestCreateSerializer(StrictSerializer):
    asset = RequestableAssetField()
    message = serializers.CharField(max_length=4000)


class ExpiryField(serializers.DateTimeField):
    """A grant's expiry. A date-time the schema allows but no clock can hold (year 1 or 9999 with an offset that
    pushes it past the calendar's ends) is refused with a code, like an expiry in the past."""

    def enforce_timezone(self, value: Any) -> Any:
        try:
            return super().enforce_timezone(value)
        except serializers.ValidationError:
            if timezone.is_aware(value) and value.year <= 1:
                raise ValidationFailed(_("The expiry must be in the future."), code="expiry_in_past",
                                       fields={self.field_name: [_("Must be in the future.")]}) from None
            if timezone.is_aware(value):
                raise ValidationFailed(_("The expiry is too far in the future."), code="expiry_out_of_range",
                                       fields={self.field_name: [_("Out of range.")]}) from None
            raise


class CompanyPersonField(VisibleRelatedField):
    """A person the caller may name in a grant: a member of a company the caller can see. Anyone else reads as
    nonexistent (people are not guarded objects, so the restriction is spelled here, through Company's rule)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(User, **kwargs)

    def restricted_queryset(self, user: Any) -> Any:
        visible = Company.objects.for_user(user, VIEW).values("pk")
        return User.objects.filter(is_active=True, memberships__company__in=visible).distinct()


class RoomGrantTermsSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=GrantLevel.choices)
    scope = serializers.ChoiceField(choices=GrantScope.choices, default=GrantScope.ROOM)
    folders = VisibleRelatedField(Folder, many=True, required=False)
    expires_at = ExpiryField()
    user = CompanyPersonField(required=False, allow_null=True,
                                              help_text=_("Grant to this person only (a member of the company)."))


class RoomGrantCreateSerializer(RoomGrantTermsSerializer):
    room = VisibleRelatedField(DataRoom)
    company = VisibleRelatedField(Company)


class RoomDenySerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class RoomGrantSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name_en", read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = AccessGrant
        fields = ["id", "room", "company", "company_name", "user", "level", "scope", "folders", "expires_at",
                  "revoked_at", "is_active", "created_at"]
        read_only_fields = fields

    def get_is_active(self, grant: AccessGrant) -> bool:
        return grant.revoked_at is None and grant.expires_at > timezone.now()


class RoomGrantUpdateSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=GrantLevel.choices, required=False)
    expires_at = ExpiryField(required=False)


class RoomReleaseFoldersSerializer(StrictSerializer):
    """Folders of the grant's room (`context["room_id"]`): a folder of another room is, for this grant, a
    folder that does not exist (404), like an unknown id."""

    folders = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)

    def validate_folders(self, value: list[int]) -> list[Folder]:
        ids = list(dict.fromkeys(value))
        folders = {f.pk: f for f in Folder.objects.filter(pk__in=ids, room_id=self.context["room_id"])}
        missing = [pk for pk in ids if pk not in folders]
        if missing:
            raise serializers.ValidationError(
                _("Unknown folder: %(ids)s.") % {"ids": missing}, code="does_not_exist")
        return [folders[pk] for pk in ids]


class RoomQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "room", "document", "company", "asked_by", "text", "answer", "answered_at", "is_faq",
                  "created_at"]
        read_only_fields = fields

    def to_representation(self, instance: Question) -> dict[str, Any]:
        data = super().to_representation(instance)
        own_company = instance.company_id in _user_company_ids(self.context)
        insider = _is_insider(self.context, instance.room_id, instance.room.owner_company_id)
        if not (insider or own_company):
            # A FAQ entry read by another partner: never who asked it.
            data["company"] = None
            data["asked_by"] = None
        return data


class RoomQuestionCreateSerializer(StrictSerializer):
    room = VisibleRelatedField(DataRoom)
    document = VisibleRelatedField(Document, required=False, allow_null=True)
    text = serializers.CharField(max_length=8000)


class RoomAnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=20_000)


class RoomPublishSerializer(StrictSerializer):
    publish = serializers.BooleanField(default=True)


class RoomDownloadTraceSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    company_name = serializers.CharField(source="company.name_en", read_only=True, default="")
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = DocumentAccess
        fields = ["download_id", "document", "version", "kind", "user", "person", "email", "company", "company_name",
                  "ip_address", "created_at"]
        read_only_fields = fields


class RoomEngagementRowSerializer(serializers.Serializer):
    company_id = serializers.IntegerField()
    company = serializers.CharField()
    document_id = serializers.IntegerField()
    document = serializers.CharField()
    views = serializers.IntegerField()
    downloads = serializers.IntegerField()
    last_activity = serializers.DateTimeField(allow_null=True)
