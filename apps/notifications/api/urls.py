from rest_framework.routers import SimpleRouter

from apps.notifications.api.views import NotificationPreferenceViewSet, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-preferences", NotificationPreferenceViewSet, basename="notification-preference")
urlpatterns = router.urls
