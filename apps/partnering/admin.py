"""The staff console for partnering: calls for assets are moderated here like listings (publish, send back with a
reason, close) through the same services as the API, so the calling company is told, matching biotechs hear of an
opened call and the act is audited. Submissions, evaluations and meetings are not in the console: submissions are
between a partner and each biotech, evaluations are the partner's alone (staff get counts through the API)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.console import queues
from apps.console.actions import reason_action
from apps.console.admins import NoAddOrDelete, calls
from apps.partnering import services
from apps.partnering.models import CallForAssets, CallStatus


@admin.register(CallForAssets)
class CallForAssetsAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ["__str__", "company", "status", "deadline", "submitted_at", "published_at"]
    list_filter = ["status", "deadline"]
    search_fields = ["title_en", "title_zh", "public_id", "company__name_en", "company__name_zh"]
    list_select_related = ["company"]
    ordering = ["-submitted_at", "-created_at"]
    date_hierarchy = "created_at"
    # Staff read the call to moderate it; the text is the calling company's to edit (through the API, which puts an
    # edited call back in front of its readers), and every change of status goes through the actions below.
    readonly_fields = SHOWN = [
        "public_id", "company", "status", "status_reason", "submitted_at", "published_at", "title_en", "title_zh",
        "description_en", "description_zh", "therapeutic_areas", "modalities", "stages", "territories",
        "deal_types", "deadline", "created_by", "created_at", "updated_at"]
    fields = tuple(SHOWN)
    # The console's reason pages (apps/console/actions.py); each needs the change permission, which moderators
    # hold and compliance officers do not (apps/console/roles.py).
    actions = [
        reason_action(
            name="publish_calls", description=_("Publish the selected calls"),
            perform=calls(services.call_publish, "call", reason="note"),
            reason_required=False, button=_("Publish"),
            intro=_("The calling company is told, and biotechs with a matching published asset hear of the call."),
            done_message=ngettext_lazy("%(count)d call published.", "%(count)d calls published.", "count"),
        ),
        reason_action(
            name="request_call_changes", description=_("Request changes on the selected calls"),
            perform=calls(services.call_request_changes, "call"), button=_("Request changes"),
            intro=_("What must the calling company change? Its contributors receive the reason."),
            done_message=ngettext_lazy("%(count)d call sent back for changes.",
                                       "%(count)d calls sent back for changes.", "count"),
        ),
        reason_action(
            name="close_calls", description=_("Close the selected calls"), perform=calls(services.call_close, "call"),
            button=_("Close"),
            intro=_("A closed call takes no new submissions; the calling company goes on triaging the ones it has."),
            done_message=ngettext_lazy("%(count)d call closed.", "%(count)d calls closed.", "count"),
        ),
    ]


queues.register(queues.status_queue(key="partnering.submitted", label=_("Calls for assets submitted for review"),
                                    model="partnering.CallForAssets", status=CallStatus.SUBMITTED.value, order=22))
