"""Beneficial ownership open data: which organisations are published (licensing knows who holds
or applies for a licence) and the file, written by investors' BODS builder."""

import json

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from deposits import open_data
from investors.bods import StatementWriter, bods_statements
from investors.models import BeneficialOwner, Organisation
from licensing.models import Application, ApplicationState, Licence

OPEN_DATA_MAX_AGE = 300
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
@cache_control(max_age=OPEN_DATA_MAX_AGE, public=True)
def beneficial_ownership_json(request: HttpRequest) -> HttpResponse:
    """A JSON array of BODS 0.4 statements, written statement by statement."""
    generated_at = timezone.localtime()
    writer = StatementWriter(
        published=generated_at.date(),
        publisher=open_data.PUBLISHER,
        publisher_url=request.build_absolute_uri(reverse("deposits:open-data")),
        licence_url=open_data.LICENCE_URL,
    )
    response = HttpResponse(content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="beneficial-ownership.json"'
    response.write("[")
    organisations = bods_organisations().iterator(chunk_size=CHUNK)
    for n, statement in enumerate(bods_statements(organisations, writer)):
        response.write(("," if n else "") + "\n" + json.dumps(statement, ensure_ascii=False))
    response.write("\n]\n")
    return open_data.licensed(response, generated_at)
