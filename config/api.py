"""The REST API, version 1: every app's viewsets on one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deposits.api import CommodityViewSet, DepositViewSet
from events.api import EventTypeList, NotificationViewSet
from investors.api import MeView, OrganisationViewSet
from licensing.api import (
    ApplicationViewSet,
    BlockViewSet,
    DecidingChangeViewSet,
    ExpiringLicenceViewSet,
    InvoiceViewSet,
    LicenceTypeViewSet,
    LicenceViewSet,
    OpeningViewSet,
    PaymentViewSet,
    StatisticsView,
    TitleChangeViewSet,
)
from partners.api import PartnerEventFeed, WebhookEndpointViewSet

router = DefaultRouter()
router.register("deposits", DepositViewSet, basename="deposit")
router.register("commodities", CommodityViewSet, basename="commodity")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("licence-types", LicenceTypeViewSet, basename="licence-type")
router.register("blocks", BlockViewSet, basename="block")
router.register("applications", ApplicationViewSet, basename="application")
router.register("licences", LicenceViewSet, basename="licence")
# Before "openings": the release calendar's licences expiring soon and changes being decided.
router.register("openings/expiring", ExpiringLicenceViewSet, basename="opening-expiring")
router.register("openings/deciding", DecidingChangeViewSet, basename="opening-deciding")
router.register("openings", OpeningViewSet, basename="opening")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("title-changes", TitleChangeViewSet, basename="title-change")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("events", PartnerEventFeed, basename="event")

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("event-types/", EventTypeList.as_view(), name="event-type-list"),
    path("", include(router.urls)),
]
