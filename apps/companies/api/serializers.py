from rest_framework import serializers

from apps.companies.models import Company, Invitation, Membership
from apps.core.api.serializers import CountryField, StrictModelSerializer, StrictSerializer


class CompanySerializer(StrictModelSerializer):
    id = serializers.IntegerField(read_only=True)
    country = CountryField()

    class Meta:
        model = Company
        fields = [
            "id", "public_id", "kind", "country", "name_en", "name_zh", "website", "description",
            "verification_status", "status_reason", "verified_at", "created_at",
        ]
        read_only_fields = ["public_id", "verification_status", "status_reason", "verified_at", "created_at"]


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
            # Word for word what a company id that does not exist gets: nobody can probe which ids exist.
            message = self.fields["company"].error_messages["does_not_exist"].format(pk_value=company.pk)
            raise serializers.ValidationError(message, code="does_not_exist")
        return company


class InvitationAcceptSerializer(StrictSerializer):
    token = serializers.CharField(max_length=100)


class InvitationPreviewSerializer(serializers.ModelSerializer):
    company_name_en = serializers.CharField(source="company.name_en")
    company_name_zh = serializers.CharField(source="company.name_zh")

    class Meta:
        model = Invitation
        fields = ["company", "company_name_en", "company_name_zh", "role", "status", "expires_at"]


class StatusReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")

