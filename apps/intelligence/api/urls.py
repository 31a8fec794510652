from django.urls import re_path
from rest_framework.routers import SimpleRouter

from apps.intelligence.api import views

router = SimpleRouter()
router.register("intelligence/deals", views.DealRecordViewSet, basename="deal-record")
router.register("intelligence/deal-imports", views.DealImportViewSet, basename="deal-import")
router.register("intelligence/market-figures", views.MarketFigureViewSet, basename="market-figure")
router.register("intelligence/phase-transitions", views.PhaseTransitionViewSet, basename="phase-transition")
router.register("intelligence/asset-comparables", views.AssetComparablesViewSet, basename="asset-comparables")
router.register("intelligence/agreements", views.AgreementIntelligenceViewSet, basename="agreement-intelligence")

urlpatterns = [
    re_path(r"^intelligence/analytics/$", views.DealAnalyticsView.as_view(), name="deal-analytics"),
    re_path(r"^intelligence/analytics/china-out-licensing/$", views.ChinaOutLicensingView.as_view(),
            name="deal-analytics-china"),
    re_path(r"^intelligence/charts/(?P<name>[a-z-]+)\.(?P<fmt>png|svg)$", views.ChartView.as_view(),
            name="deal-chart"),
    # Routed by hand: the router would add a slash after the file suffix.
    re_path(r"^intelligence/agreements/(?P<pk>[^/.]+)/comparables-chart\.(?P<fmt>png|svg)$",
            views.AgreementIntelligenceViewSet.as_view({"get": "comparables_chart"}),
            name="agreement-comparables-chart"),
    *router.urls,
]
