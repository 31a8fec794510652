from rest_framework.routers import SimpleRouter

from apps.alliance.api import views

router = SimpleRouter()
router.register("alliances", views.AllianceViewSet, basename="alliance")
router.register("alliance-committees", views.CommitteeViewSet, basename="alliance-committee")
router.register("alliance-meetings", views.MeetingViewSet, basename="alliance-meeting")
router.register("alliance-minutes", views.MinutesViewSet, basename="alliance-minutes")
router.register("alliance-decisions", views.DecisionViewSet, basename="alliance-decision")
router.register("alliance-action-items", views.ActionItemViewSet, basename="alliance-action-item")
router.register("alliance-work-packages", views.WorkPackageViewSet, basename="alliance-work-package")
router.register("alliance-budgets", views.BudgetViewSet, basename="alliance-budget")
router.register("alliance-costs", views.CostEntryViewSet, basename="alliance-cost")
router.register("alliance-obligations", views.ObligationViewSet, basename="alliance-obligation")
router.register("alliance-issues", views.IssueViewSet, basename="alliance-issue")
urlpatterns = router.urls
