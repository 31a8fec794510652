from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views

# Each app contributes its routes under /api/v1/; an app without routes yet has an empty urls module.
api_v1 = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.companies.api.urls")),
    path("", include("apps.notifications.api.urls")),
    path("", include("apps.catalog.api.urls")),
    path("", include("apps.datarooms.api.urls")),
    path("", include("apps.agreements.api.urls")),
    path("", include("apps.intelligence.api.urls")),
    path("", include("apps.alliance.api.urls")),
    path("", include("apps.providers.api.urls")),
    path("", include("apps.audit.api.urls")),
    path("", include("apps.partnering.api.urls")),
    path("", include("apps.financing.api.urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "apps.core.api.errors.api_not_found"
handler500 = "apps.core.api.errors.api_server_error"
