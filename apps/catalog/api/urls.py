from rest_framework.routers import SimpleRouter

from apps.catalog.api.views import AssetViewSet
from apps.catalog.api.views_interest import InterestProfileViewSet, InterestViewSet, WatchlistViewSet
from apps.catalog.api.views_records import PatentViewSet, RegionViewSet, RegulatoryEventViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("regions", RegionViewSet, basename="region")
router.register("regulatory-events", RegulatoryEventViewSet, basename="regulatory-event")
router.register("patents", PatentViewSet, basename="patent")
router.register("watchlist", WatchlistViewSet, basename="watchlist-entry")
router.register("interests", InterestViewSet, basename="interest")
router.register("interest-profiles", InterestProfileViewSet, basename="interest-profile")
urlpatterns = router.urls
