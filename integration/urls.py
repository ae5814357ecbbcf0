from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from .api import ledger, views
from .exchange.views import exchange

app_name = "integration"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("report-templates", views.ReportTemplateViewSet, basename="report-template")
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("products", views.ProductViewSet, basename="product")
router.register("price-lists", views.PriceListViewSet, basename="price-list")
router.register("prices", views.PriceViewSet, basename="price")
router.register("stock", views.StockViewSet, basename="stock")
router.register("orders", views.OrderViewSet, basename="order")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("ledger-entries", ledger.EntryViewSet, basename="ledger-entry")
router.register("balances", ledger.BalanceViewSet, basename="balance")
router.register("payments", ledger.PaymentViewSet, basename="payment")

_public = {"permission_classes": [AllowAny], "authentication_classes": []}

api = [
    path("schema/", SpectacularAPIView.as_view(**_public), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="integration:schema", **_public),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="integration:schema", **_public),
        name="redoc",
    ),
    *router.urls,
]

urlpatterns = [
    path("api/v1/", include(api)),
    path("exchange/1c/", exchange, name="exchange_1c"),
]
