from rest_framework.routers import SimpleRouter

from apps.companies.api.views import CompanyViewSet, InvitationViewSet, MembershipViewSet

router = SimpleRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")
urlpatterns = router.urls
