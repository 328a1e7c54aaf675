"""The demo's partner systems: a screening agency, a bank and the transparency initiative, each
a client with published credentials (like the demo password), so a newcomer can call the API."""

from partners.models import PartnerClient, PartnerKind, PartnerOrganisation
from partners.services import partner_client_create

DEMO_PARTNER_SECRET = "ashyqken-demo-partner-secret"  # noqa: S105 - public demo credentials, in the README
DEMO_PARTNERS = [
    (
        "demo-screening-agency",
        "Screening agency (demo)",
        "Foreign-investment screening agency",
        PartnerKind.SCREENING_AGENCY,
        ["register:read", "screening:write", "title-review:write", "events:read", "webhooks:manage"],
    ),
    ("demo-bank", "Lending bank (demo)", "Lending bank", PartnerKind.BANK, ["register:read", "payments:write"]),
    (
        "demo-eiti",
        "EITI Kazakhstan (demo)",
        "Transparency initiative (EITI)",
        PartnerKind.TRANSPARENCY,
        ["register:read", "events:read", "webhooks:manage"],
    ),
]


def partner_clients_ready() -> None:
    """Create each demo client once (idempotent: an existing client keeps its secret)."""
    for client_id, name, organisation_name, kind, scopes in DEMO_PARTNERS:
        if PartnerClient.objects.filter(client_id=client_id).exists():
            continue
        organisation, _created = PartnerOrganisation.objects.get_or_create(
            name=organisation_name, defaults={"kind": kind}
        )
        partner_client_create(
            actor=None,
            name=name,
            scopes=scopes,
            organisation=organisation,
            client_id=client_id,
            secret=DEMO_PARTNER_SECRET,
        )
