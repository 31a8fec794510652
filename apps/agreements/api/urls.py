from rest_framework.routers import SimpleRouter

from apps.agreements.api.views import AgreementViewSet, MilestoneViewSet

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("agreement-milestones", MilestoneViewSet, basename="agreement-milestone")
urlpatterns = router.urls
