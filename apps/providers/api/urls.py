from rest_framework.routers import SimpleRouter

from apps.providers.api import views

router = SimpleRouter()
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")
router.register("request-attachments", views.AttachmentViewSet, basename="request-attachment")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("request-questions", views.QuestionViewSet, basename="request-question")
router.register("engagements", views.EngagementViewSet, basename="engagement")
router.register("engagement-milestones", views.MilestoneViewSet, basename="engagement-milestone")
router.register("provider-reviews", views.ReviewViewSet, basename="provider-review")
urlpatterns = router.urls
