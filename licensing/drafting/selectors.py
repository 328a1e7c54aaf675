"""What stops a draft from being lodged, as sentences."""

from datetime import datetime

from django.utils.translation import gettext as _

from deposits import selectors as deposit_selectors
from documents.models import DocumentStatus
from investors.models import OrganisationStatus
from licensing.domain import grid
from licensing.domain.obligations import Obligations
from licensing.ground.selectors import BlockCheck, blocks_check
from licensing.licences.selectors import obligations
from licensing.models import Application, LicenceKind, LicenceStatus


def programme_problems(application: Application, *, duty: Obligations | None = None, missing: bool = True) -> list[str]:
    """Years of the term with no plan (unless `missing=False`), and years planning less than the
    minimum expenditure, against `duty`, the application's obligations, when the caller has them."""
    if not application.blocks:
        return []
    duty = duty or obligations(licence_type=application.licence_type, blocks=application.blocks)
    minimum = {y.year: y.expenditure_kzt for y in duty.years}
    planned = {row.year: row.expenditure_kzt for row in application.programme.all()}
    problems = []
    missing_years = [str(y) for y in minimum if y not in planned]
    if missing and missing_years:
        problems.append(
            _("The work programme has no plan for year(s) %(years)s.") % {"years": ", ".join(missing_years)}
        )
    for year, spend in sorted(planned.items()):
        if year in minimum and spend < minimum[year]:
            problems.append(
                _("Year %(year)s plans %(spend)s KZT, less than the minimum of %(minimum)s KZT.")
                % {"year": year, "spend": f"{spend:,.2f}", "minimum": f"{minimum[year]:,.2f}"}
            )
    return problems


def conversion_problems(application: Application) -> list[str]:
    """What stops a conversion: the application must be for a mining licence, by the holder of the
    active exploration licence it converts (its blocks are checked with the others')."""
    licence = application.converts
    if licence is None:
        return []
    problems = []
    if application.licence_type.kind != LicenceKind.MINING:
        problems.append(_("A conversion is an application for a mining licence; choose a mining licence type."))
    if licence.licence_type.kind != LicenceKind.EXPLORATION or licence.status != LicenceStatus.ACTIVE:
        problems.append(
            _("Only an active exploration licence can be converted; %(number)s is not one.")
            % {"number": licence.number}
        )
    if licence.holder_id != application.organisation_id:
        problems.append(_("Only the holder of licence %(number)s may convert it.") % {"number": licence.number})
    return problems


def block_problems(application: Application) -> list[str]:
    """What the draft's blocks alone meet before it can be lodged (said as soon as they are saved)."""
    return blocks_check(
        licence_type=application.licence_type,
        blocks=list(application.blocks),
        exclude_application=application.pk,
        converts=application.converts_id,
    ).errors


def region_problems(application: Application) -> list[str]:
    """The region must be where the blocks lie. With the regions' boundaries loaded the service
    derives it from the blocks; without them, it is checked against the deposits the blocks hold."""
    blocks = set(application.blocks)
    if not blocks or deposit_selectors.region_boundaries_loaded():
        return []
    wests, souths = zip(*(grid.south_west(b) for b in blocks), strict=True)
    box = {"west": min(wests), "south": min(souths), "east": max(wests) + 1 / 60, "north": max(souths) + 1 / 60}
    problems = []
    for deposit in deposit_selectors.deposits_within(**box):
        at = grid.block_at(longitude=float(deposit.longitude), latitude=float(deposit.latitude))
        if at in blocks and deposit.region != application.region:
            problems.append(
                _(
                    "The blocks hold the deposit %(deposit)s, which lies in %(deposit_region)s, "
                    "but the application names %(region)s: correct the region."
                )
                % {
                    "deposit": deposit.name,
                    "deposit_region": deposit.get_region_display(),
                    "region": application.get_region_display(),
                }
            )
    return problems


def application_problems(
    application: Application, *, at: datetime | None = None, duty: Obligations | None = None
) -> tuple[list[str], BlockCheck]:
    """What stops the draft from being lodged, as sentences, and what its blocks meet."""
    licence_type = application.licence_type
    problems: list[str] = []
    if application.organisation.status != OrganisationStatus.VERIFIED:
        problems.append(_("The organisation is not verified."))
    check = blocks_check(
        licence_type=licence_type,
        blocks=list(application.blocks),
        at=at,
        exclude_application=application.pk,
        converts=application.converts_id,
    )
    problems += conversion_problems(application)
    problems += check.errors
    problems += region_problems(application)
    problems += programme_problems(application, duty=duty)
    if application.kazakh_staff_percent is None or application.local_goods_percent is None:
        problems.append(_("State the local-content commitments: Kazakh staff and local goods and services."))
    if application.training_spend_kzt is None:
        problems.append(_("State the yearly training spend (0 if none)."))
    if application.in_country_processing and not application.processing_plan.strip():
        problems.append(_("Describe the processing plan in Kazakhstan."))
    attached = {d.requirement_id: d.document for d in application.documents.select_related("document")}
    for requirement in licence_type.required_documents.all():
        document = attached.get(requirement.pk)
        if document is None:
            problems.append(_("Attach: %(label)s.") % {"label": requirement.label})
        elif document.status == DocumentStatus.REJECTED:
            problems.append(
                _("%(label)s was refused by the file check; attach another.") % {"label": requirement.label}
            )
    if application.declared_at is None:
        problems.append(_("Make the declaration."))
    return problems, check
