from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from guardian.admin import GuardedModelAdmin

from apps.companies import services
from apps.companies.models import Company, Invitation, Membership
from apps.console.actions import reason_action
from apps.console.admins import calls


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Company)
class CompanyAdmin(GuardedModelAdmin):
    """Moderation of companies: each status change goes through apps.companies.services with a reason."""

    list_display = ["name_en", "name_zh", "kind", "country", "verification_status", "verified_at", "created_at"]
    list_filter = ["verification_status", "kind", "country", "created_at"]
    search_fields = ["name_en", "name_zh", "website", "public_id"]
    readonly_fields = ["public_id", "verification_status", "status_reason", "verified_at", "group", "created_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    actions = [
        reason_action(
            name="verify_companies", description=_("Verify the selected companies"),
            perform=calls(services.company_verify, "company"),
            reason_required=False, button=_("Verify"),
            done_message=ngettext_lazy("%(count)d company verified.", "%(count)d companies verified.", "count"),
        ),
        reason_action(
            name="reject_companies", description=_("Reject the selected companies"),
            perform=calls(services.company_reject, "company"),
            button=_("Reject"), intro=_("The company's admins receive the reason."),
            done_message=ngettext_lazy("%(count)d company rejected.", "%(count)d companies rejected.", "count"),
        ),
        reason_action(
            name="suspend_companies", description=_("Suspend the selected companies"),
            perform=calls(services.company_suspend, "company"),
            button=_("Suspend"),
            intro=_("A suspended company loses the rights of a verified company at once; "
                    "its admins receive the reason."),
            done_message=ngettext_lazy("%(count)d company suspended.", "%(count)d companies suspended.", "count"),
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role", "company__verification_status", "created_at"]
    search_fields = ["user__email", "user__full_name", "company__name_en", "company__name_zh"]
    list_select_related = ["user", "company"]
    raw_id_fields = ["user", "company"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "role", "status", "invited_by", "expires_at"]
    list_filter = ["status", "role", "expires_at"]
    search_fields = ["email", "company__name_en", "company__name_zh"]
    list_select_related = ["company", "invited_by"]
    raw_id_fields = ["company", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash"]
