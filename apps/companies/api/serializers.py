from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.companies.models import Company, Invitation, Membership, Role
from apps.core.api.serializers import StrictModelSerializer, StrictSerializer


class CompanySerializer(StrictModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Company
        fields = [
            "id", "public_id", "kind", "country", "name_en", "name_zh", "website", "description",
            "verification_status", "status_reason", "verified_at", "created_at",
        ]
        read_only_fields = ["public_id", "verification_status", "status_reason", "verified_at", "created_at"]

    def validate_country(self, value: str) -> str:
        from apps.core.countries import COUNTRY_CODES

        value = value.upper()
        if value not in COUNTRY_CODES:
            raise serializers.ValidationError(_("Unknown country code."))
        return value


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class MembershipSerializer(StrictModelSerializer):
    user = MemberSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "company", "user", "role", "created_at"]
        read_only_fields = ["company", "created_at"]


class InvitationSerializer(StrictModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "company", "email", "role", "status", "expires_at", "created_at"]
        read_only_fields = ["status", "expires_at", "created_at"]

    def validate_company(self, company: Company) -> Company:
        # Only companies the caller can see are valid targets; the rest read as "does not exist".
        request = self.context["request"]
        if not Company.objects.for_user(request.user).filter(pk=company.pk).exists():
            raise serializers.ValidationError(_("Unknown company."))
        return company


class InvitationAcceptSerializer(StrictSerializer):
    token = serializers.CharField(max_length=100)


class StatusReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


ROLE_CHOICES = Role.choices
