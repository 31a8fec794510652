from rest_framework import serializers

from apps.core.api.serializers import StrictSerializer
from apps.notifications.kinds import Delivery
from apps.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "target_type", "target_id", "is_read", "read_at",
                  "created_at"]
        read_only_fields = fields

    def get_target_type(self, obj: Notification) -> str | None:
        # "companies.company": the label, not a content-type id that means nothing outside this database.
        content_type = obj.target_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else None

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkAllReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(help_text="The kind's name in the reader's language.")
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    default_delivery = serializers.ChoiceField(choices=Delivery.choices)
    is_default = serializers.BooleanField()


class PreferenceUpdateSerializer(StrictSerializer):
    delivery = serializers.ChoiceField(choices=Delivery.choices)
