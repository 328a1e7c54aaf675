"""Beneficial ownership as BODS 0.4 statements: valid for the Open Ownership validator, faithful
to the declared chains (direct, through legal persons, state bodies, politically exposed
people), deterministic, and with nothing the law keeps private."""

import json
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from investors.bods import NAMESPACE, StatementWriter, bods_statements, organisation_record_id, owner_record_id
from investors.models import BeneficialOwner, Organisation, OwnerKind
from tests.investors import factories
from tests.investors.bods_validation import bods_report

pytestmark = pytest.mark.django_db
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHED = date(2026, 11, 24)


def _writer() -> StatementWriter:
    return StatementWriter(published=PUBLISHED, publisher="AshyqKen", licence_url=LICENCE)


def _owner(org: Organisation, actor, name: str, kind: str, country: str, share: int, **fields) -> BeneficialOwner:
    return factories.owner(org, actor, name=name, kind=kind, country=country, share=Decimal(share), **fields)


def dala(make_user, registrar, registration_number: str = "201040012345") -> Organisation:
    """A Kazakh company: a politically exposed Kazakh, a state fund, and a British holding owned by
    a British person and by a Singapore company that a Singapore person owns (two levels)."""
    user = make_user(Role.INVESTOR)

    def declare(org: Organisation) -> None:
        _owner(org, user, "Aigerim Sadykova", OwnerKind.NATURAL, "KZ", 40, politically_exposed=True)
        steppe = _owner(org, user, "Steppe Holdings Ltd", OwnerKind.LEGAL, "GB", 35)
        _owner(org, user, "Samruk Fund", OwnerKind.LEGAL, "KZ", 25, state_owned=True)
        _owner(org, user, "Jane Roe", OwnerKind.NATURAL, "GB", 60, held_through=steppe)
        orient = _owner(org, user, "Orient Capital Pte", OwnerKind.LEGAL, "SG", 40, held_through=steppe)
        _owner(org, user, "Li Wei", OwnerKind.NATURAL, "SG", 100, held_through=orient)

    return factories.verified_with_owners(
        user,
        registrar,
        declare,
        legal_name="ТОО «Дала Литий»",
        legal_name_latin="Dala Lithium LLP",
        country="KZ",
        registration_number=registration_number,
        address="Abay avenue 10, Astana",
        contact_phone="+7 701 555 0101",
    )


def baotou(make_user, registrar) -> Organisation:
    """A Chinese company held by a state body and a person."""
    user = make_user(Role.INVESTOR)

    def declare(org: Organisation) -> None:
        _owner(org, user, "State Assets Commission", OwnerKind.LEGAL, "CN", 70, state_owned=True)
        _owner(org, user, "Zhang San", OwnerKind.NATURAL, "CN", 30)

    return factories.verified_with_owners(
        user,
        registrar,
        declare,
        legal_name="Baotou Rare Earth Co",
        legal_name_latin="Baotou Rare Earth Co",
        country="CN",
    )


def statements(*orgs: Organisation) -> list[dict]:
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in orgs]).prefetch_related("owners").order_by("pk")
    return list(bods_statements(queryset.iterator(chunk_size=100), _writer()))


def by_record(found: list[dict]) -> dict[str, dict]:
    return {s["recordId"]: s for s in found}


def test_statements_pass_the_bods_04_validator_with_no_errors(make_user, registrar, tmp_path) -> None:
    found = statements(dala(make_user, registrar), baotou(make_user, registrar))
    report = bods_report(found, tmp_path)
    assert report["version"] == "0.4"
    assert report["schema_errors"] == []
    assert report["additional_fields"] == {}
    assert report["additional_checks"] == []
    assert report["statistics"]["count_entity_statements"] == 2 + 3 + 1  # organisations, legal owners
    assert report["statistics"]["count_person_statements"] == 4
    # Eight holdings; Jane, Orient and Li Wei also hold Dala indirectly.
    assert report["statistics"]["count_ownership_or_control_statement"] == 8 + 3


def test_the_validator_reports_a_broken_statement(make_user, registrar, tmp_path) -> None:
    """The check above can fail: a company named as a beneficial owner, an undated statement."""
    found = statements(baotou(make_user, registrar))
    relationship = next(s for s in found if s["recordType"] == "relationship")
    relationship["recordDetails"]["interests"][0]["beneficialOwnershipOrControl"] = True
    del found[0]["statementDate"]
    report = bods_report(found, tmp_path)
    assert [e["validator"] for e in report["schema_errors"]] == ["required"]
    kinds = [c["type"] for c in report["additional_checks"]]
    assert "interest_beneficial_ownership_interested_party_not_person" in kinds


def test_each_owner_holds_its_declared_share_directly_and_through_chains_indirectly(make_user, registrar) -> None:
    org = dala(make_user, registrar)
    owners = {o.name: o for o in org.owners.all()}
    records = by_record(statements(org))
    subject = organisation_record_id(org)

    def holding(name: str, kind: str = "holding") -> dict:
        record_id = str(uuid.uuid5(NAMESPACE, f"{kind}/{owners[name].pk}"))
        details = records[record_id]["recordDetails"]
        assert details["interestedParty"] == owner_record_id(owners[name])
        return details

    direct = holding("Aigerim Sadykova")
    assert direct["subject"] == subject
    assert direct["interests"] == [
        {
            "type": "shareholding",
            "directOrIndirect": "direct",
            "beneficialOwnershipOrControl": True,
            "share": {"exact": 40},
        }
    ]
    steppe = holding("Steppe Holdings Ltd")
    assert steppe["subject"] == subject and steppe["interests"][0]["beneficialOwnershipOrControl"] is False
    jane = holding("Jane Roe")
    assert jane["subject"] == owner_record_id(owners["Steppe Holdings Ltd"])
    assert jane["interests"][0]["share"] == {"exact": 60} and jane["interests"][0]["directOrIndirect"] == "direct"
    jane_in_dala = holding("Jane Roe", "indirect-holding")["interests"][0]
    assert holding("Jane Roe", "indirect-holding")["subject"] == subject
    assert jane_in_dala["directOrIndirect"] == "indirect" and jane_in_dala["share"] == {"exact": 21}  # 60 % of 35 %
    li = holding("Li Wei", "indirect-holding")["interests"][0]
    assert li["share"] == {"exact": 14}  # 100 % of 40 % of 35 %
    assert li["details"] == "Held through Orient Capital Pte, then Steppe Holdings Ltd."
    assert str(uuid.uuid5(NAMESPACE, f"indirect-holding/{owners['Aigerim Sadykova'].pk}")) not in records


def test_people_entities_and_state_bodies_say_what_was_declared(make_user, registrar) -> None:
    org = dala(make_user, registrar)
    owners = {o.name: o for o in org.owners.all()}
    records = by_record(statements(org))
    company = records[organisation_record_id(org)]["recordDetails"]
    assert company["entityType"] == {"type": "registeredEntity"}
    assert company["name"] == "ТОО «Дала Литий»" and company["alternateNames"] == ["Dala Lithium LLP"]
    assert company["jurisdiction"] == {"name": "Kazakhstan", "code": "KZ"}
    assert company["identifiers"][0]["id"] == "201040012345"
    aigerim = records[owner_record_id(owners["Aigerim Sadykova"])]
    assert aigerim["recordType"] == "person"
    assert aigerim["recordDetails"]["names"] == [{"fullName": "Aigerim Sadykova"}]
    assert aigerim["recordDetails"]["nationalities"] == [{"name": "Kazakhstan", "code": "KZ"}]
    assert aigerim["recordDetails"]["politicalExposure"] == {"status": "isPep"}
    assert records[owner_record_id(owners["Jane Roe"])]["recordDetails"]["politicalExposure"]["status"] == "isNotPep"
    fund = records[owner_record_id(owners["Samruk Fund"])]["recordDetails"]
    assert fund["entityType"]["type"] == "stateBody"
    assert records[owner_record_id(owners["Orient Capital Pte"])]["recordDetails"]["entityType"]["type"] == (
        "registeredEntity"
    )
    for statement in records.values():
        assert statement["declarationSubject"] == organisation_record_id(org)
        assert statement["source"]["type"] == ["selfDeclaration", "verified"]
        assert statement["publicationDetails"] == {
            "publicationDate": "2026-11-24",
            "bodsVersion": "0.4",
            "publisher": {"name": "AshyqKen"},
            "license": LICENCE,
        }


PRIVATE_KEYS = {"birthDate", "placeOfBirth", "addresses", "address", "email", "contact_email", "phone", "telephone"}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_date_of_birth_address_email_or_phone_is_published(make_user, registrar) -> None:
    org = dala(make_user, registrar)
    found = statements(org, baotou(make_user, registrar))
    assert not _keys(found) & PRIVATE_KEYS
    text = json.dumps(found, ensure_ascii=False)
    for organisation in Organisation.objects.all():
        assert organisation.contact_email not in text
        assert organisation.address not in text
    assert "+7 701 555 0101" not in text and "@" not in text


def test_identifiers_are_stable_and_a_statement_changes_with_what_it_says(make_user, registrar) -> None:
    org = dala(make_user, registrar)
    first, again = statements(org), statements(org)
    assert first == again
    ids = [s["statementId"] for s in first]
    assert len(set(ids)) == len(ids) and all(32 <= len(i) <= 64 for i in ids)
    assert first[0]["recordId"] == str(uuid.uuid5(NAMESPACE, f"organisation/{org.pk}"))
    jane = org.owners.get(name="Jane Roe")
    BeneficialOwner.objects.filter(pk=jane.pk).update(share=Decimal(55))  # a new declaration of the share
    changed = {s["recordId"]: s["statementId"] for s in statements(org)}
    before = {s["recordId"]: s["statementId"] for s in first}
    assert set(changed) == set(before)  # the same records
    moved = {record for record in before if before[record] != changed[record]}
    assert moved == {
        str(uuid.uuid5(NAMESPACE, f"holding/{jane.pk}")),
        str(uuid.uuid5(NAMESPACE, f"indirect-holding/{jane.pk}")),
    }


def test_building_runs_the_same_queries_for_more_organisations(make_user, registrar) -> None:
    few_orgs = [dala(make_user, registrar)]

    def count(orgs: list[Organisation]) -> int:
        with CaptureQueriesContext(connection) as captured:
            statements(*orgs)
        return len(captured)

    few = count(few_orgs)
    many_orgs = [*few_orgs, dala(make_user, registrar, "2"), baotou(make_user, registrar), baotou(make_user, registrar)]
    assert count(many_orgs) == few
