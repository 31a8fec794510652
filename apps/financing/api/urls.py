from rest_framework.routers import SimpleRouter

from apps.financing.api.views import BookEntryViewSet, InvestorProfileViewSet, RoundViewSet

router = SimpleRouter()
router.register("investor-profiles", InvestorProfileViewSet, basename="investor-profile")
router.register("rounds", RoundViewSet, basename="round")
router.register("book-entries", BookEntryViewSet, basename="book-entry")
urlpatterns = router.urls
