from rest_framework.routers import SimpleRouter

from apps.partnering.api.views import (
    CalendarFeedViewSet,
    CallViewSet,
    CriterionViewSet,
    EvaluationViewSet,
    EventViewSet,
    MeetingViewSet,
    SubmissionViewSet,
)

router = SimpleRouter()
router.register("calls", CallViewSet, basename="call")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("evaluation-criteria", CriterionViewSet, basename="evaluation-criterion")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("calendar-feed", CalendarFeedViewSet, basename="calendar-feed")
router.register("events", EventViewSet, basename="partnering-event")
urlpatterns = router.urls
