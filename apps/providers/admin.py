"""The staff console for the marketplace: provider verification and hiding abusive reviews, each with a reason,
through the services (audited, the people concerned told). Requests, proposals and engagements are read-only here:
staff watch, the companies act."""


from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.console.actions import reason_action
from apps.console.admins import NoAddOrDelete, ReadOnly, ReadOnlyAdmin, calls

from . import services
from .models import Engagement, ProviderProfile, ProviderRecord, Review, ServiceRequest


class RecordInline(ReadOnly, admin.TabularInline):
    model = ProviderRecord
    extra = 0
    can_delete = False


@admin.display(description=_("verification status"), ordering="company__verification_status")
def _verification(profile: ProviderProfile) -> str:
    return str(profile.company.get_verification_status_display())


@admin.register(ProviderProfile)
class ProviderProfileAdmin(NoAddOrDelete, admin.ModelAdmin):
    """Verify or suspend a provider (its company) with a reason; the profile itself is the provider's to edit."""

    list_display = ["__str__", "headline_en", _verification, "rating_count", "updated_at"]
    list_filter = ["company__verification_status", "created_at"]
    search_fields = ["company__name_en", "company__name_zh", "headline_en", "headline_zh"]
    list_select_related = ["company"]
    readonly_fields = ["company", "headline_en", "headline_zh", "description_en", "description_zh", "categories",
                       "jurisdictions", "agencies", "therapeutic_areas", "modalities", "languages", "price_min",
                       "price_max", "price_currency", "rating_count", "created_at", "updated_at"]
    inlines = [RecordInline]
    actions = [
        reason_action(
            name="verify_providers", description=_("Verify the selected providers"),
            perform=calls(services.provider_verify, "profile"),
            reason_required=False, button=_("Verify"),
            done_message=ngettext_lazy("%(count)d provider verified.", "%(count)d providers verified.", "count"),
        ),
        reason_action(
            name="suspend_providers", description=_("Suspend the selected providers"),
            perform=calls(services.provider_suspend, "profile"),
            button=_("Suspend"),
            intro=_("A suspended provider disappears from search and requests at once; its admins receive the "
                    "reason."),
            done_message=ngettext_lazy("%(count)d provider suspended.", "%(count)d providers suspended.", "count"),
        ),
    ]


@admin.register(Review)
class ReviewAdmin(NoAddOrDelete, admin.ModelAdmin):
    """Hide an abusive review with a reason (audited; its author is told; the provider's average recomputed)."""

    list_display = ["__str__", "author_company", "subject_company", "rating", "hidden", "created_at"]
    list_filter = ["hidden", "rating", "created_at"]
    search_fields = ["text", "author_company__name_en", "subject_company__name_en"]
    list_select_related = ["author_company", "subject_company"]
    readonly_fields = ["engagement", "author_company", "author", "subject_company", "rating", "text", "hidden",
                       "hidden_reason", "hidden_by", "hidden_at", "created_at"]
    actions = [
        reason_action(
            name="hide_reviews", description=_("Hide the selected reviews"),
            perform=calls(services.review_hide, "review"),
            button=_("Hide"), intro=_("The review's author receives the reason."),
            done_message=ngettext_lazy("%(count)d review hidden.", "%(count)d reviews hidden.", "count"),
        ),
    ]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "company", "category", "visibility", "status", "deadline", "created_at"]
    list_filter = ["status", "visibility", "category"]
    search_fields = ["title", "company__name_en"]
    list_select_related = ["company"]


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "requester", "provider", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "currency"]
    list_select_related = ["requester", "provider"]
