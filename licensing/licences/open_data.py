"""Beneficial ownership open data: which organisations are published (licensing knows who holds
or applies for a licence) and the file, written by investors' BODS builder."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from deposits import open_data
from investors.models import BeneficialOwner, Organisation
from licensing.models import Application, ApplicationState, Licence

CHUNK = 500  # organisations read per query, each chunk with its owners prefetched


def bods_organisations() -> QuerySet[Organisation]:
    """Organisations that hold (or held) a licence or have lodged an application (any state but
    draft), with their owners, in a stable order. Only the fields the statements print are read."""
    holds = Licence.objects.filter(holder=OuterRef("pk"))
    lodged = Application.objects.filter(organisation=OuterRef("pk")).exclude(state=ApplicationState.DRAFT)
    owners = BeneficialOwner.objects.only(
        "organisation", "kind", "name", "country", "share", "held_through", "state_owned", "politically_exposed"
    ).order_by("held_through_id", "-share", "name", "pk")
    return (
        Organisation.objects.filter(Exists(holds) | Exists(lodged))
        .only(
            "legal_name",
            "legal_name_latin",
            "country",
            "registration_number",
            "status",
            "status_changed_at",
            "updated_at",
        )
        .prefetch_related(Prefetch("owners", queryset=owners))
        .order_by("pk")
    )


@require_safe
def beneficial_ownership_json(request: HttpRequest) -> HttpResponse:
    """A JSON array of BODS 0.4 statements, as last built (licensing.licences.publication)."""
    return open_data.stored_response(request, "beneficial-ownership.json", "application/json", "inline")
