"""Reads of licences: the published licence types and what they would owe (fees, rent, minimum
spend at the MCI), the public register, a licence for its holder, its history."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events import routing
from events.models import Event
from investors.models import MemberRole, Membership, Organisation
from investors.selectors import organisation_ids_named
from licensing.domain import grid
from licensing.domain.obligations import Obligations, obligations_for
from licensing.ground import selectors as ground_selectors
from licensing.licences.register_selectors import status_history
from licensing.models import (
    CertificateVersion,
    Licence,
    LicenceObligation,
    LicenceStatus,
    LicenceType,
    MciValue,
    Tenure,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)
from licensing.permissions import may_see_licence

# Money ---------------------------------------------------------------------------------


def mci_table() -> dict[int, Decimal]:
    return dict(MciValue.objects.values_list("year", "value_kzt"))


def obligations(
    *, licence_type: LicenceType, blocks: list[int], start: date | None = None, years: int | None = None
) -> Obligations:
    """The fee and, for each licence year of the term, the rent and the minimum work expenditure
    for this many blocks, in MCI and in tenge (at each year's MCI, or the latest known)."""
    return obligations_for(
        licence_type=licence_type,
        blocks=blocks,
        start=start or timezone.localdate(),
        mci_table=mci_table(),
        years=years,
    )


def licence_types() -> QuerySet[LicenceType]:
    return LicenceType.objects.prefetch_related(
        "rates", "expenditure_tiers", "stage_targets", "required_documents", "relinquishments"
    )


# Reads ---------------------------------------------------------------------------------


def licences_queryset() -> QuerySet[Licence]:
    """Licences with what every public view of them shows: holder, type, application, tenures."""
    return Licence.objects.select_related("holder", "licence_type", "application").prefetch_related(
        Prefetch("tenures", queryset=Tenure.objects.order_by("block"))
    )


def held_tenures() -> QuerySet[Tenure]:
    """The tenures `held_blocks` draws: the active ones; for a licence that has ended, those
    that ended last. A licence's latest end is NULL while it still holds a block."""
    latest_end = (
        Tenure.objects.filter(licence=OuterRef("licence"))
        .order_by(F("ended_at").desc(nulls_first=True))
        .values("ended_at")[:1]
    )
    return Tenure.objects.filter(Q(is_active=True) | Q(ended_at=Subquery(latest_end)))


def held_tenures_of_page() -> QuerySet[Tenure]:
    """As `held_tenures`, for the licences of a page, each licence's tenures in one window: filter
    it by licence (the filter runs inside the window), never read it whole."""
    per_licence = {"partition_by": [F("licence_id")]}
    return Tenure.objects.annotate(
        holds=Window(Max(Cast("is_active", IntegerField())), **per_licence),
        last_end=Window(Max("ended_at"), **per_licence),
    ).filter(Q(holds=1, is_active=True) | Q(holds=0, ended_at=F("last_end")))


@dataclass(frozen=True)
class RegisterQuery:
    q: str = ""
    licence_type: str = ""
    status: str = ""
    region: str = ""
    commodity: str = ""


def register_licences(query: RegisterQuery) -> QuerySet[Licence]:
    """The public register of licences, newest grant first, narrowed by the visitor's filters.
    A licence covers a commodity when a published deposit of it lies in one of its blocks.
    Each carries `late_obligations`: how many of its obligations are late today (public: README,
    "What the register shows of a licence"); page it with `accounts.pagination.page_of`, so that
    the count and the joins run for the page's licences only."""
    licences = licences_queryset().annotate(late_obligations=_late_count()).order_by("-granted_at", "-id")
    if query.q:
        licences = licences.filter(licence_search(query.q))
    if query.licence_type:
        licences = licences.filter(licence_type__code=query.licence_type)
    if query.status:
        licences = licences.filter(status=query.status)
    if query.region:
        licences = licences.filter(application__region=query.region)
    if query.commodity:
        licences = covering_commodity(licences, query.commodity)
    return licences


def licence_search(text: str) -> Q:
    """Licences by their number, whole or its beginning (KZ-EXP-2026-0001…, any case), or by their
    holder's name, any part of it in either script. Each half is found by its own index (the
    number's pattern index, the holder's foreign key after the names' trigram indexes), so that
    a search never reads the whole register."""
    return Q(number__startswith=text.strip().upper()) | Q(holder_id__in=organisation_ids_named(text))


def _late_count() -> Coalesce:
    late = (
        LicenceObligation.objects.filter(
            licence=OuterRef("pk"), met_at__isnull=True, waived_at__isnull=True, due_on__lt=timezone.localdate()
        )
        .order_by()
        .values("licence")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(late), 0)


def covering_commodity(licences: QuerySet[Licence], code: str) -> QuerySet[Licence]:
    """The licences holding (or having held) a block on which a published deposit of the commodity lies."""
    covering = Tenure.objects.filter(block__in=sorted(ground_selectors.commodity_blocks(code))).values("licence_id")
    return licences.filter(pk__in=covering)


# The partner API -----------------------------------------------------------------------


def licences_api() -> QuerySet[Licence]:
    """Licences with everything a page of the API shows, in three queries whatever its size:
    the licences with holder, type and application; their tenures; their certificate versions."""
    return licences_queryset().prefetch_related(
        Prefetch("certificate_versions", queryset=CertificateVersion.objects.order_by("version"))
    )


def licence_api(number: str) -> Licence:
    """One licence by its number (any case, spaces around ignored), or 404."""
    licence = licences_api().filter(number=number.strip().upper()[:32]).first()
    if licence is None:
        raise Http404(_("No licence with this number."))
    return licence


def licence_history_public(licence: Licence) -> list[dict[str, object]]:
    """The licence's public events, oldest first (what the register shows): one query."""
    return [{"occurred_at": e.occurred_at, "label": e.label, "type": e.type} for e in status_history(licence)]


@dataclass(frozen=True)
class FingerprintCheck:
    sha256: str
    genuine: bool  # some version of this licence's certificate has this fingerprint
    current: bool  # and it is the current version
    version: int | None


def fingerprint_check(licence: Licence, sha256: str) -> FingerprintCheck:
    """Whether a certificate file with this SHA-256 (lower-case hex) is a version the register
    issued for this licence, and whether it is the current one. Reads the prefetched versions."""
    versions = list(licence.certificate_versions.all())
    match = next((v for v in versions if v.sha256 == sha256), None)
    current = versions[-1] if versions else None
    return FingerprintCheck(
        sha256=sha256,
        genuine=match is not None,
        current=match is not None and match == current,
        version=match.version if match else None,
    )


@dataclass(frozen=True)
class UploadedCertificate:
    """What the register says of an uploaded certificate file, by its fingerprint alone."""

    sha256: str
    version: CertificateVersion | None  # the issued version with this fingerprint, if any
    current: CertificateVersion | None  # that licence's current version

    @property
    def genuine(self) -> bool:
        return self.version is not None

    @property
    def is_current(self) -> bool:
        return self.version is not None and self.version == self.current


def certificate_by_fingerprint(sha256: str) -> UploadedCertificate:
    """The issued certificate version whose stored file has this SHA-256 (lower-case hex), with
    its licence and that licence's current version: two queries."""
    match = (
        CertificateVersion.objects.select_related("licence", "licence__holder", "licence__licence_type")
        .filter(sha256=sha256)
        .order_by("-issued_at")
        .first()
    )
    if match is None:
        return UploadedCertificate(sha256=sha256, version=None, current=None)
    current = CertificateVersion.objects.filter(licence_id=match.licence_id).order_by("-version").first()
    return UploadedCertificate(sha256=sha256, version=match, current=current)


def certificate_version(licence: Licence, version: str) -> CertificateVersion:
    """A stored version of the licence's certificate by its number (a string from the query), or 404."""
    if not (version.isascii() and version.isdigit()) or len(version) > 9:
        raise Http404(_("No such version of this certificate."))
    found = licence.certificate_versions.filter(version=int(version)).first()
    if found is None:
        raise Http404(_("No such version of this certificate."))
    return found


def licence_numbered(number: str) -> Licence | None:
    return licences_queryset().filter(number=number.strip().upper()[:32]).first()


def licence_public(number: str) -> Licence:
    licence = licence_numbered(number)
    if licence is None:
        raise Http404(_("No licence with this number."))
    return licence


def licence_for(user: User, number: str) -> Licence:
    """The licence with its obligations, for its holder's members and officials; 404 for anyone else."""
    licence = licence_numbered(number)
    if licence is None or not may_see_licence(user, licence.holder_id):
        raise Http404(_("No licence with this number."))
    return licence


def holder_language(organisation: Organisation) -> str:
    """The language of the organisation's documents: that of its first owner (the member who set
    it up), so a certificate reads the same whoever downloads it; English if it has no owner."""
    language = (
        Membership.objects.filter(organisation=organisation, role=MemberRole.OWNER)
        .order_by("joined_at", "id")
        .values_list("user__preferred_language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def licence_history(licence: Licence) -> list[dict[str, object]]:
    """The licence's events, oldest first: grant, and every later change of status or ground."""
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Licence), subject_id=str(licence.pk)
    ).order_by("id")
    return [{"occurred_at": e.occurred_at, "label": routing.label(e.type), "type": e.type} for e in events]


def is_current(licence: Licence) -> bool:
    """In force today: active and within its term."""
    today = timezone.localdate()
    return licence.status == LicenceStatus.ACTIVE and licence.starts_on <= today <= licence.expires_on


def licence_facts(licence: Licence, blocks: list[int], *, commodities: list[str] | None = None) -> dict[str, Any]:
    """What the open data says of a licence (its CSV and GeoJSON, and the OGC API): the public
    register's facts with the fields of EITI Requirement 2.3 (holder, application and award
    dates, duration, and `commodities` when the caller gives them), holder by organisation name
    only. Reads the holder, type and application the caller selected with it."""
    application = licence.application
    lodged_at = application.lodged_at if application else None
    facts = {
        "number": licence.number,
        "holder": licence.holder.legal_name_latin or licence.holder.legal_name,
        "holder_country": licence.holder.country.code,
        "holder_registration_number": licence.holder.registration_number,
        "licence_type": licence.licence_type.code,
        "status": licence.status,
        "region": application.region if application else "",
        "application_lodged_at": timezone.localtime(lodged_at).isoformat() if lodged_at else None,
        "granted_at": timezone.localtime(licence.granted_at).isoformat(),
        "starts_on": licence.starts_on.isoformat(),
        "expires_on": licence.expires_on.isoformat(),
        "term_years": licence.licence_type.term_years,
        "block_count": len(blocks),
        "area_km2": round(grid.total_area_km2(blocks), 3),
        "blocks": [grid.code(b) for b in blocks],
    }
    if commodities is not None:
        facts["commodities"] = commodities
    return facts


def incoming_transfers(organisation_id: int) -> QuerySet[TitleChange]:
    """The transfers of licences to the organisation waiting for its answer, the oldest first."""
    return (
        TitleChange.objects.select_related("licence", "holder")
        .filter(
            kind=TitleChangeKind.TRANSFER,
            transferee_id=organisation_id,
            state=TitleChangeState.AWAITING_ACCEPTANCE,
        )
        .order_by("lodged_at", "id")
    )
