"""Staff's view of agreements: read-mostly. Terms change only through the parties' versions and approvals, so
versions are read-only here; exchange rates are what staff maintain."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementVersion,
    ExchangeRate,
    Milestone,
    RoyaltyTier,
)
from apps.console.admins import NoAddOrDelete, ReadOnly, ReadOnlyAdmin


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(name) for name in (self.fields or [])]


class PartyInline(ReadOnlyInline):
    model = AgreementParty
    fields = ["company", "role"]


class VersionInline(ReadOnlyInline):
    model = AgreementVersion
    fields = ["number", "currency", "is_amendment", "proposed_by", "proposed_by_company", "created_at",
              "executed_at", "terms_hash"]
    show_change_link = True


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["key", "kind", "description", "amount", "currency", "due_on", "status"]
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(NoAddOrDelete, admin.ModelAdmin):  # agreements are created by the parties, through the API
    list_display = ["title", "deal_type", "licensor", "status", "exclusive", "effective_on", "expires_on",
                    "updated_at"]
    list_filter = ["status", "deal_type", "exclusive"]
    search_fields = ["title", "licensor__name_en", "licensor__name_zh", "parties__company__name_en",
                     "assets__code_name"]
    list_select_related = ["licensor", "current_version", "executed_version"]
    date_hierarchy = "created_at"
    # Read-only: every change of an agreement goes through the parties' audited services.
    readonly_fields = ["public_id", "title", "deal_type", "licensor", "status", "data_room_id", "created_by",
                       "created_by_company",
                       "current_version", "executed_version", "exclusive", "field_of_use", "territory_countries",
                       "effective_on", "expires_on", "next_jsc_meeting_on", "executed_at", "terminated_at",
                       "termination_reason", "created_at", "updated_at"]
    inlines = [PartyInline, VersionInline, MilestoneInline]


class RoyaltyTierInline(ReadOnlyInline):
    model = RoyaltyTier
    fields = ["position", "lower", "upper", "rate"]


class ApprovalInline(ReadOnlyInline):
    model = AgreementApproval
    fields = ["company", "approved_by", "terms_hash", "created_at", "invalidated_at"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    # A version is what a party proposed: nobody edits it afterwards, staff included.
    list_display = ["agreement", "number", "currency", "is_amendment", "proposed_by_company", "created_at",
                    "executed_at"]
    list_filter = ["is_amendment", "currency"]
    search_fields = ["agreement__title", "terms_hash", "proposed_by__email"]
    list_select_related = ["agreement", "proposed_by_company"]
    inlines = [RoyaltyTierInline, ApprovalInline]


@admin.register(Milestone)
class MilestoneAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ["description", "agreement", "kind", "amount", "currency", "due_on", "status", "updated_at"]
    list_filter = ["status", "kind", "currency"]
    search_fields = ["description", "key", "agreement__title", "invoice_reference", "payment_reference"]
    list_select_related = ["agreement"]
    date_hierarchy = "due_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # State moves only through the parties' steps (audited services); staff look, they do not edit.
        return [field.name for field in self.model._meta.fields]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "usd_per_unit", "valid_on", "source", "created_at"]
    list_filter = ["currency"]
    search_fields = ["source"]
    date_hierarchy = "valid_on"
    ordering = ["currency", "-valid_on"]
    fieldsets = [(None, {"fields": ["currency", "usd_per_unit", "valid_on", "source"],
                         "description": _("How many US dollars one unit of the currency was worth on that day. "
                                          "Agreements convert with the latest rate on or before the day asked.")})]
