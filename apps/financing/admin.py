"""The staff console for financing: rounds are moderated here (publish, or send back with a reason) through the
same services as the API, so the biotech is told, matching investors hear of it and the act is audited. The book
is not in the console: amounts are private between the biotech and each investor."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.console import queues
from apps.console.actions import reason_action
from apps.console.admins import NoAddOrDelete, ReadOnlyAdmin, calls
from apps.financing import services
from apps.financing.models import InvestorProfile, Round, RoundStatus


@admin.register(Round)
class RoundAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ["name_en", "company", "stage", "instrument", "target_amount", "currency", "status",
                    "submitted_at", "published_at"]
    list_filter = ["status", "stage", "instrument", "currency", "resubmission"]
    search_fields = ["name_en", "name_zh", "public_id", "company__name_en", "company__name_zh"]
    list_select_related = ["company"]
    ordering = ["-submitted_at", "-created_at"]
    date_hierarchy = "created_at"
    # Staff read the teaser and the core to moderate; every change of status goes through the actions.
    readonly_fields = SHOWN = [
              "public_id", "company", "status", "status_reason", "resubmission", "submitted_at", "published_at",
              "name_en", "name_zh", "stage", "instrument", "target_amount", "currency", "closing_date",
              "summary_en", "summary_zh", "use_of_proceeds_en", "use_of_proceeds_zh", "therapeutic_areas",
              "modalities", "lead_investor", "pre_money_valuation", "cap_table_summary", "financial_statements",
              "assets", "created_by", "created_at", "updated_at"]
    fields = tuple(SHOWN)
    actions = [
        reason_action(
            name="publish_rounds", description=_("Publish the selected rounds"),
            perform=calls(services.round_publish, "round", reason="note"),
            reason_required=False, button=_("Publish"),
            intro=_("The biotech is told, and investors whose thesis matches hear of the round."),
            done_message=ngettext_lazy("%(count)d round published.", "%(count)d rounds published.", "count"),
        ),
        reason_action(
            name="request_round_changes", description=_("Request changes on the selected rounds"),
            perform=calls(services.round_request_changes, "round"), button=_("Send back"),
            intro=_("The biotech's contributors receive the reason."),
            done_message=ngettext_lazy("%(count)d round sent back.", "%(count)d rounds sent back.", "count"),
        ),
    ]


@admin.register(InvestorProfile)
class InvestorProfileAdmin(ReadOnlyAdmin):
    list_display = ["company", "ticket_min", "ticket_max", "ticket_currency", "updated_at"]
    search_fields = ["company__name_en", "company__name_zh"]
    list_select_related = ["company"]


queues.register(queues.status_queue(key="financing.submitted", label=_("Financing rounds submitted for review"),
                                    model="financing.Round", status=RoundStatus.SUBMITTED.value, order=25))
