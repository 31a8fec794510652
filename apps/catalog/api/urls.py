from rest_framework.routers import SimpleRouter

from apps.catalog.api.views import (
    AssetViewSet,
    InterestProfileViewSet,
    InterestViewSet,
    PatentViewSet,
    RegionViewSet,
    RegulatoryEventViewSet,
    WatchlistViewSet,
)

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("regions", RegionViewSet, basename="region")
router.register("regulatory-events", RegulatoryEventViewSet, basename="regulatory-event")
router.register("patents", PatentViewSet, basename="patent")
router.register("watchlist", WatchlistViewSet, basename="watchlist-entry")
router.register("interests", InterestViewSet, basename="interest")
router.register("interest-profiles", InterestProfileViewSet, basename="interest-profile")
urlpatterns = router.urls
