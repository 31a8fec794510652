"""Staff's view of alliances: counts only. What the parties write (minutes, votes, costs, issues) is theirs; staff
read it through the API only while a party shares the alliance with them."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.alliance.models import Alliance, ObligationStatus
from apps.console.admins import ReadOnlyAdmin


def _subcount(model: Any, **where: Any) -> Coalesce:
    """A correlated COUNT per alliance (no join fan-out between the counted tables)."""
    rows = (model.objects.filter(alliance=OuterRef("pk"), **where).order_by().values("alliance")
            .annotate(n=models.Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "committees", "meetings", "decisions", "open_issues", "overdue_obligations",
                    "shared_with_staff_by", "created_at"]
    list_select_related = ["agreement", "shared_with_staff_by"]
    search_fields = ["agreement__title"]
    fields = ["agreement", "shared_with_staff_by", "created_at"]
    readonly_fields = ["agreement", "shared_with_staff_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One grouped query per page: counts, never the rows behind them.
        from apps.alliance import models as m

        qs = super().get_queryset(request)
        return qs.annotate(
            n_committees=_subcount(m.Committee),
            n_meetings=_subcount(m.CommitteeMeeting),
            n_decisions=_subcount(m.Decision),
            n_open_issues=_subcount(m.AllianceIssue, resolved_at__isnull=True),
            n_overdue=_subcount(m.Obligation, status=ObligationStatus.OVERDUE),
        )

    @admin.display(description=_("committees"), ordering="n_committees")
    def committees(self, obj: Any) -> int:
        return obj.n_committees

    @admin.display(description=_("committee meetings"), ordering="n_meetings")
    def meetings(self, obj: Any) -> int:
        return obj.n_meetings

    @admin.display(description=_("decisions"), ordering="n_decisions")
    def decisions(self, obj: Any) -> int:
        return obj.n_decisions

    @admin.display(description=_("open issues"), ordering="n_open_issues")
    def open_issues(self, obj: Any) -> int:
        return obj.n_open_issues

    @admin.display(description=_("overdue obligations"), ordering="n_overdue")
    def overdue_obligations(self, obj: Any) -> int:
        return obj.n_overdue
