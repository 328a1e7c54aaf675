"""Every licensing model, importable as `from licensing.models import X` (Django's convention);
each lives in the module of its part of the domain.

The database holds the rules it can: one priority number per lodgement, one claim per block
per application, and one active tenure per block, whatever the code above it does."""

from licensing.models.applications import (
    Application,
    ApplicationDocument,
    Assessment,
    CaseNote,
    InformationRequest,
    Objection,
    ObjectionOutcome,
    WorkProgrammeYear,
)
from licensing.models.auctions import (
    Auction,
    AuctionStatus,
    Bid,
)
from licensing.models.catalogue import (
    CalendarDay,
    ExpenditureTier,
    LicenceKind,
    LicenceType,
    MciValue,
    Rate,
    RateKind,
    RelinquishmentRule,
    RequiredDocument,
    StageTarget,
)
from licensing.models.ground import (
    Claim,
    ClaimStatus,
    GroundOpening,
    OpeningBlock,
    OpeningReason,
    PriorityCounter,
    Tenure,
)
from licensing.models.licences import (
    CertificateReason,
    CertificateVersion,
    Licence,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
)
from licensing.models.states import (
    CLOSED_STATES,
    OPEN_STATES,
    ApplicationState,
)

__all__ = [
    "CLOSED_STATES",
    "OPEN_STATES",
    "Application",
    "ApplicationDocument",
    "ApplicationState",
    "Assessment",
    "Auction",
    "AuctionStatus",
    "Bid",
    "CalendarDay",
    "CaseNote",
    "CertificateReason",
    "CertificateVersion",
    "Claim",
    "ClaimStatus",
    "ExpenditureTier",
    "GroundOpening",
    "InformationRequest",
    "Invoice",
    "InvoiceKind",
    "Licence",
    "LicenceKind",
    "LicenceObligation",
    "LicenceStatus",
    "LicenceType",
    "MciValue",
    "NoticeContact",
    "Objection",
    "ObjectionOutcome",
    "ObligationKind",
    "ObligationReminder",
    "ObligationStatus",
    "OpeningBlock",
    "OpeningReason",
    "Payment",
    "PaymentSource",
    "PriorityCounter",
    "Rate",
    "RateKind",
    "RelinquishmentRule",
    "ReminderStep",
    "RequiredDocument",
    "StageTarget",
    "Tenure",
    "WorkProgrammeYear",
]
