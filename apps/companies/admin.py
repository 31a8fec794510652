from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from apps.companies import services
from apps.companies.models import Company, Invitation, Membership
from apps.core.errors import DomainError


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Company)
class CompanyAdmin(GuardedModelAdmin):
    list_display = ["name_en", "name_zh", "kind", "country", "verification_status", "created_at"]
    list_filter = ["verification_status", "kind", "country"]
    search_fields = ["name_en", "name_zh", "website"]
    readonly_fields = ["public_id", "verification_status", "status_reason", "verified_at", "group", "created_at"]
    inlines = [MembershipInline]
    actions = ["verify_companies"]

    @admin.action(description=_("Verify the selected companies"))
    def verify_companies(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        done = 0
        for company in queryset:
            try:
                services.company_verify(actor=request.user, company=company)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{company}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(count)d companies verified.") % {"count": done}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "company__name_en"]
    list_select_related = ["user", "company"]
    raw_id_fields = ["user", "company"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "company__name_en"]
    list_select_related = ["company"]
    readonly_fields = ["token_hash"]
