"""Beneficial ownership as Beneficial Ownership Data Standard 0.4 statements
(https://standard.openownership.org/en/0.4.0/), for the open-data file.

What is published is what the law makes public of a subsoil user's owners: names, countries
(of incorporation, of citizenship), shares, the organisation's registration number, whether a
person is politically exposed, whether an owner is a state or a body a state controls. Never a
person's date of birth or address (we do not hold them) and never the organisation's address,
contact email or phone, which we do hold: the builder names every field it writes, nothing is
copied from the model wholesale.

Identifiers are deterministic: a record's id is a UUID 5 of a fixed namespace and the row's
primary key, so it is the same in every file; a statement's id is a UUID 5 of the record and of
what the statement says, so it changes exactly when the declaration does."""

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from investors.models import BeneficialOwner, Organisation, OrganisationStatus, OwnerKind
from investors.ownership import ownership_profile

BODS_VERSION = "0.4"
# Fixed for ever: changing it would change every published identifier.
NAMESPACE = uuid.UUID("6f1c3a52-3d0e-5b8e-9c55-61736879716b")

Statement = dict[str, Any]


def _record_id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join([kind, *map(str, parts)])))


def organisation_record_id(organisation: Organisation) -> str:
    return _record_id("organisation", organisation.pk)


def owner_record_id(owner: BeneficialOwner) -> str:
    return _record_id("owner", owner.pk)


def _country(country: Any) -> dict[str, str]:
    return {"name": str(country.name), "code": country.code}


def _share(value: Decimal) -> float:
    # Declared to three decimals; a JSON number is what BODS asks for.
    return float(value.quantize(Decimal("0.001")).normalize())


class StatementWriter:
    """Shapes statements for one publication: its date, publisher and licence are on each."""

    def __init__(self, *, published: date, publisher: str, licence_url: str, publisher_url: str = "") -> None:
        self.publication = {
            "publicationDate": published.isoformat(),
            "bodsVersion": BODS_VERSION,
            "publisher": {"name": publisher, **({"url": publisher_url} if publisher_url else {})},
            "license": licence_url,
        }

    def statement(
        self, *, record_id: str, record_type: str, details: dict[str, Any], subject: str, declared: date, source: dict
    ) -> Statement:
        said = json.dumps([record_type, details, declared.isoformat(), source], sort_keys=True)
        statement_id = str(uuid.uuid5(NAMESPACE, f"{record_id}/{hashlib.sha256(said.encode()).hexdigest()}"))
        return {
            "statementId": statement_id,
            "declarationSubject": subject,
            "statementDate": declared.isoformat(),
            "recordId": record_id,
            "recordType": record_type,
            "recordDetails": details,
            "publicationDetails": self.publication,
            "source": source,
        }


def _organisation_details(organisation: Organisation) -> dict[str, Any]:
    details: dict[str, Any] = {
        "isComponent": False,
        "entityType": {"type": "registeredEntity"},
        "name": organisation.legal_name,
        "jurisdiction": _country(organisation.country),
        "identifiers": [
            {
                "id": organisation.registration_number,
                "schemeName": f"Registration number, {organisation.country.name}",
            }
        ],
    }
    if organisation.legal_name_latin and organisation.legal_name_latin != organisation.legal_name:
        details["alternateNames"] = [organisation.legal_name_latin]
    return details


def _owner_details(owner: BeneficialOwner) -> tuple[str, dict[str, Any]]:
    if owner.kind == OwnerKind.NATURAL:
        return "person", {
            "isComponent": False,
            "personType": "knownPerson",
            "names": [{"fullName": owner.name}],
            "nationalities": [_country(owner.country)],
            "politicalExposure": {"status": "isPep" if owner.politically_exposed else "isNotPep"},
        }
    entity_type = (
        # BODS 0.4 has no "state-owned enterprise": the owner declares a state or a body a state
        # controls, which is its "stateBody".
        {"type": "stateBody", "subtype": "other", "details": "A state or a body a state controls, as declared."}
        if owner.state_owned
        else {"type": "registeredEntity"}
    )
    return "entity", {
        "isComponent": False,
        "entityType": entity_type,
        "name": owner.name,
        "jurisdiction": _country(owner.country),
    }


def _interest(owner: BeneficialOwner, *, share: Decimal, direct: bool, through: str = "") -> dict[str, Any]:
    interest: dict[str, Any] = {
        "type": "shareholding",
        "directOrIndirect": "direct" if direct else "indirect",
        # Only a natural person can be a beneficial owner; a legal person's holding is a link of the chain.
        "beneficialOwnershipOrControl": owner.kind == OwnerKind.NATURAL,
        "share": {"exact": _share(share)},
    }
    if through:
        interest["details"] = f"Held through {through}."
    return interest


def organisation_statements(organisation: Organisation, writer: StatementWriter) -> list[Statement]:
    """The organisation, each declared owner, and the relationships: each owner's declared share
    of what it holds directly (the organisation, or the legal person it is held through) and, for
    owners held through a chain, their indirect share of the organisation. Subjects and interested
    parties come before the relationships that name them, as BODS 0.4 asks.
    Reads `organisation.owners.all()`, so a prefetch serves it without a query."""
    owners = list(organisation.owners.all())
    subject = organisation_record_id(organisation)
    declared = timezone.localdate(organisation.status_changed_at or organisation.updated_at)
    source: dict[str, Any] = {
        "type": ["selfDeclaration", *(["verified"] if organisation.status == OrganisationStatus.VERIFIED else [])],
        "description": "Declared by the organisation to the licensing authority; verified: checked by its registry.",
    }

    def say(record_id: str, record_type: str, details: dict[str, Any]) -> Statement:
        return writer.statement(
            record_id=record_id,
            record_type=record_type,
            details=details,
            subject=subject,
            declared=declared,
            source=source,
        )

    statements = [say(subject, "entity", _organisation_details(organisation))]
    by_id = {owner.pk: owner for owner in owners}
    for owner in owners:
        record_type, details = _owner_details(owner)
        statements.append(say(owner_record_id(owner), record_type, details))
    effective = ownership_profile(organisation, owners).effective
    for owner in owners:
        parent = by_id.get(owner.held_through_id) if owner.held_through_id else None
        holds = owner_record_id(parent) if parent else subject
        statements.append(
            say(
                _record_id("holding", owner.pk),
                "relationship",
                {
                    "isComponent": False,
                    "subject": holds,
                    "interestedParty": owner_record_id(owner),
                    "interests": [_interest(owner, share=owner.share, direct=True)],
                },
            )
        )
        if parent and owner.pk in effective:
            statements.append(
                say(
                    _record_id("indirect-holding", owner.pk),
                    "relationship",
                    {
                        "isComponent": False,
                        "subject": subject,
                        "interestedParty": owner_record_id(owner),
                        "interests": [
                            _interest(owner, share=effective[owner.pk], direct=False, through=_chain(owner, by_id))
                        ],
                    },
                )
            )
    return statements


def _chain(owner: BeneficialOwner, by_id: dict[int, BeneficialOwner]) -> str:
    names: list[str] = []
    parent = by_id.get(owner.held_through_id or 0)
    while parent is not None and parent.name not in names:
        names.append(parent.name)
        parent = by_id.get(parent.held_through_id or 0)
    return ", then ".join(names)


def bods_statements(organisations: Iterable[Organisation], writer: StatementWriter) -> Iterator[Statement]:
    """Every organisation's statements in turn; consumes `organisations` lazily, so an iterator
    over the database keeps memory to one chunk."""
    for organisation in organisations:
        yield from organisation_statements(organisation, writer)
