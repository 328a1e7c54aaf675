"""Open data in the standards others read: the licence register to EITI Requirement 2.3 (CSV
and GeoJSON), beneficial ownership in BODS 0.4, every file's licence and date, and the
`/open-data/` page that describes them."""

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely import wkt
from shapely.geometry import shape

from accounts.roles import Role
from deposits import open_data
from investors.bods import organisation_record_id
from investors.models import Organisation, OwnerKind
from licensing.domain import grid
from licensing.models import ApplicationState
from tests.deposits.factories import DepositFactory
from tests.investors import factories as investor_factories
from tests.investors.bods_validation import bods_report
from tests.licensing import factories
from tests.licensing.test_public import granted, lodge
from tests.open_data import fetch

pytestmark = pytest.mark.django_db
LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
BODS_URL = "/open-data/beneficial-ownership.json"
FILES = [
    "/open-data/deposits.csv",
    "/open-data/deposits.geojson",
    "/open-data/licences.csv",
    "/open-data/licences.geojson",
    BODS_URL,
]


def _csv(client, url: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(fetch(client, url).content.decode("utf-8-sig"))))


def _deposit_in(block: int, codes: list[str], **fields) -> None:
    longitude, latitude = grid.centre(block)
    DepositFactory(
        longitude=Decimal(f"{longitude:.5f}"), latitude=Decimal(f"{latitude:.5f}"), commodities=codes, **fields
    )


# The licence register to EITI 2.3 -------------------------------------------------------


def test_csv_gives_each_licence_the_eiti_23_columns(client, applicant, crew, time_machine) -> None:
    blocks = factories.rectangle(1, 2)
    _deposit_in(blocks[0], ["Li", "Ta"])
    _deposit_in(blocks[1], ["W"])
    _deposit_in(blocks[1], ["Sn"], is_published=False, published_at=None)  # not disclosed: not named
    (licence,) = granted(applicant, [blocks], crew, time_machine)
    response = fetch(client, reverse("licensing:open-data-licences-csv"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [f.name for f in open_data.LICENCES_FIELDS]
    (row,) = _csv(client, reverse("licensing:open-data-licences-csv"))
    org = applicant[1]
    assert row["holder"] == org.legal_name_latin and row["holder_registration_number"] == org.registration_number
    lodged_at = licence.application.lodged_at.astimezone(ZoneInfo("Asia/Almaty"))
    assert datetime.fromisoformat(row["application_lodged_at"]) == lodged_at
    assert datetime.fromisoformat(row["granted_at"]) == licence.granted_at > lodged_at
    assert row["term_years"] == "6" and row["expires_on"] == licence.expires_on.isoformat()
    assert row["commodities"] == "Li;Ta;W"
    outline = wkt.loads(row["outline_wkt"])
    assert row["outline_wkt"].startswith("MULTIPOLYGON") and outline.is_valid
    assert outline.area == pytest.approx(2 / 3600)  # two 1' × 1' blocks, in square degrees
    feature = fetch(client, reverse("licensing:open-data-licences-geojson")).json()["features"][0]
    assert outline.equals(shape(feature["geometry"]))
    assert feature["properties"]["commodities"] == ["Li", "Ta", "W"]
    assert feature["properties"]["application_lodged_at"] == row["application_lodged_at"]
    assert feature["properties"]["term_years"] == 6


def test_a_licence_without_an_application_or_deposits_has_empty_cells(client, applicant) -> None:
    factories.LicenceFactory(holder=applicant[1])
    (row,) = _csv(client, reverse("licensing:open-data-licences-csv"))
    assert row["application_lodged_at"] == "" and row["region"] == ""
    assert row["commodities"] == "" and row["outline_wkt"] == "" and row["block_count"] == "0"
    feature = fetch(client, reverse("licensing:open-data-licences-geojson")).json()["features"][0]
    assert feature["geometry"] is None and feature["properties"]["application_lodged_at"] is None


def test_geojson_carries_its_licence_date_and_field_descriptions(client, applicant, crew, time_machine) -> None:
    granted(applicant, [factories.rectangle(1, 1)], crew, time_machine)
    time_machine.move_to(datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Almaty")), tick=False)
    for url, name, fields in [
        (reverse("licensing:open-data-licences-geojson"), "licences", open_data.LICENCES_FIELDS),
        (reverse("deposits:open-data-geojson"), "deposits", open_data.DEPOSITS_FIELDS),
    ]:
        body = fetch(client, url).json()
        assert body["type"] == "FeatureCollection" and body["name"] == name
        assert body["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert body["generated_at"] == "2026-12-01T09:30:00+05:00"
        assert body["documentation"] == f"{settings.SITE_URL}/open-data/"
        assert list(body["fields"]) == [f.name for f in fields]
        assert "publisher" in body


@pytest.mark.parametrize("url", FILES)
def test_every_open_data_file_links_its_licence_and_says_its_date(client, url, time_machine) -> None:
    time_machine.move_to(datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Almaty")), tick=False)
    response = fetch(client, url)
    assert response.status_code == 200
    assert response["Link"] == LICENCE_LINK
    assert response["Last-Modified"] == "Tue, 01 Dec 2026 04:30:00 GMT"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_licence_files_run_the_same_queries_for_more_licences_and_deposits(
    client, applicant, crew, time_machine
) -> None:
    _deposit_in(factories.ORIGIN, ["Li"])
    granted(applicant, [factories.rectangle(1, 1)], crew, time_machine)
    urls = [reverse("licensing:open-data-licences-geojson"), reverse("licensing:open-data-licences-csv")]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert fetch(client, url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    more = [factories.rectangle(1, 2, factories.ORIGIN + 3 * n) for n in range(1, 5)]
    for blocks in more:
        _deposit_in(blocks[1], ["W"])
    granted(applicant, more, crew, time_machine)
    assert counts() == few


# Beneficial ownership (BODS 0.4) ---------------------------------------------------------


def _held_through_chain(make_user, registrar, name: str) -> Organisation:
    """An organisation owned by a person, a state body, and a holding that two people own."""
    user = make_user(Role.INVESTOR)

    def declare(org: Organisation) -> None:
        def add(who: str, kind: str, country: str, share: int, **fields: object):
            return investor_factories.owner(
                org, user, name=f"{name} {who}", kind=kind, country=country, share=Decimal(share), **fields
            )

        add("Founder", OwnerKind.NATURAL, "KZ", 50)
        add("State Fund", OwnerKind.LEGAL, "KZ", 20, state_owned=True)
        holding = add("Holdings", OwnerKind.LEGAL, "GB", 30)
        for who in ("Roe", "Doe"):
            add(who, OwnerKind.NATURAL, "GB", 50, held_through=holding)

    return investor_factories.verified_with_owners(
        user,
        registrar,
        declare,
        legal_name=f"{name} LLP",
        legal_name_latin=f"{name} LLP",
        contact_phone="+7 700 000 0000",
    )


@pytest.fixture
def register(make_user, crew, time_machine):
    """A holder, two applicants (one with a lodged application, one whose application was
    withdrawn), one organisation with only a draft and one with no application at all."""
    holder = _held_through_chain(make_user, crew.registrar, "Holder")
    owner = holder.memberships.get().user
    granted((owner, holder), [factories.rectangle(1, 1)], crew, time_machine)
    applicant = _held_through_chain(make_user, crew.registrar, "Applicant")
    lodge((applicant.memberships.get().user, applicant), factories.rectangle(1, 1, factories.ORIGIN + 20))
    drafting = _held_through_chain(make_user, crew.registrar, "Drafting")
    factories.draft(drafting.memberships.get().user, drafting, factories.rectangle(1, 1, factories.ORIGIN + 40))
    idle = _held_through_chain(make_user, crew.registrar, "Idle")
    return {"published": [holder, applicant], "unpublished": [drafting, idle]}


def test_beneficial_ownership_covers_holders_and_applicants_only(client, register, tmp_path) -> None:
    response = fetch(client, reverse("licensing:open-data-bods"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    statements = json.loads(response.content)
    subjects = {s["declarationSubject"] for s in statements}
    assert subjects == {organisation_record_id(org) for org in register["published"]}
    names = {s["recordDetails"].get("name") for s in statements if s["recordType"] == "entity"}
    assert names == {f"{who} {what}" for who in ("Holder", "Applicant") for what in ("LLP", "State Fund", "Holdings")}
    assert not any("Drafting" in json.dumps(s) or "Idle" in json.dumps(s) for s in statements)
    report = bods_report(statements, tmp_path)
    assert report["version"] == "0.4"
    assert report["schema_errors"] == [] and report["additional_fields"] == {} and report["additional_checks"] == []
    assert {s["publicationDetails"]["license"] for s in statements} == {open_data.LICENCE_URL}
    assert {s["publicationDetails"]["publisher"]["name"] for s in statements} == {open_data.PUBLISHER}


def test_an_applicant_whose_application_ended_stays_published(client, register) -> None:
    applicant = register["published"][1]
    applicant.applications.update(state=ApplicationState.WITHDRAWN)  # the register keeps what was lodged
    statements = fetch(client, reverse("licensing:open-data-bods")).json()
    assert organisation_record_id(applicant) in {s["declarationSubject"] for s in statements}


def test_beneficial_ownership_publishes_no_contact_details_dates_of_birth_or_addresses(client, register) -> None:
    text = fetch(client, reverse("licensing:open-data-bods")).content.decode()
    for key in ("birthDate", "placeOfBirth", "addresses", "email", "phone", "address"):
        assert f'"{key}"' not in text
    for org in register["published"]:
        assert org.contact_email not in text and org.address not in text and org.contact_phone not in text


def test_beneficial_ownership_runs_the_same_queries_for_more_organisations(client, register, make_user, crew) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fetch(client, reverse("licensing:open-data-bods")).status_code == 200
        return len(queries)

    few = count()
    for n in range(4):
        org = _held_through_chain(make_user, crew.registrar, f"More{n}")
        lodge((org.memberships.get().user, org), factories.rectangle(1, 1, factories.ORIGIN + 60 + 3 * n))
    assert count() == few
    assert len({s["declarationSubject"] for s in fetch(client, BODS_URL).json()}) == 6


# The page that lists them ----------------------------------------------------------------


def test_open_data_page_lists_every_file_with_its_fields_licence_and_date(client, time_machine) -> None:
    time_machine.move_to(datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Almaty")), tick=False)
    page = client.get(reverse("deposits:open-data")).content.decode()
    for url in [*FILES, "/ogc/"]:
        assert f'href="{url}"' in page
    assert page.count('href="https://creativecommons.org/licenses/by/4.0/" rel="license"') >= 6
    assert "2026-12-01" in page
    assert page.count("<caption") == 1 + 3  # the files, then deposits', licences' and BODS's fields
    for field in [*open_data.DEPOSITS_FIELDS, *open_data.LICENCES_FIELDS, *open_data.BODS_FIELDS]:
        assert f"<code>{field.name}</code>" in page
