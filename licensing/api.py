"""The licensing API's viewsets, for the router in config/api.py; each lives in its part of the domain."""

from licensing.drafting.api import ApplicationViewSet
from licensing.ground.api import BlockViewSet, OpeningViewSet
from licensing.licences.api import LicenceViewSet
from licensing.licences.calendar_api import DecidingChangeViewSet, ExpiringLicenceViewSet
from licensing.licences.licence_type_api import LicenceTypeViewSet
from licensing.licences.payments_api import InvoiceViewSet, PaymentViewSet
from licensing.statistics.api import StatisticsView
from licensing.titles.api import TitleChangeViewSet

__all__ = [
    "ApplicationViewSet",
    "BlockViewSet",
    "DecidingChangeViewSet",
    "ExpiringLicenceViewSet",
    "InvoiceViewSet",
    "LicenceTypeViewSet",
    "LicenceViewSet",
    "OpeningViewSet",
    "PaymentViewSet",
    "StatisticsView",
    "TitleChangeViewSet",
]
