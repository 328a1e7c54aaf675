"""The public release calendar, `/register/openings/`: published openings with their equal-ranking
month, and licences expiring in the coming weeks with when their ground would open."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.domain import grid
from licensing.licences.expiry import licences_expire_due
from licensing.models import LicenceStatus, OpeningReason
from tests.deposits.factories import DepositFactory
from tests.licensing import factories
from tests.licensing.test_licence_api import granted

pytestmark = pytest.mark.django_db

ASTANA = ZoneInfo("Asia/Almaty")
URL = "/register/openings/"
TODAY = datetime(2026, 12, 1, 10, tzinfo=ASTANA)  # a Tuesday


@pytest.fixture
def today(time_machine) -> date:
    time_machine.move_to(TODAY)
    return TODAY.date()


def page(client, **params: str) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_calendar_is_linked_from_the_registers_and_the_map(client) -> None:
    assert reverse("licensing:register-openings") == URL
    for address in ("/register/licences/", "/register/applications/", reverse("deposits:map")):
        assert f'href="{URL}"' in client.get(address).content.decode()


def test_it_shows_openings_with_their_window_and_licences_expiring_with_when_their_ground_opens(
    client, applicant, today
) -> None:
    _owner, org = applicant
    upcoming = factories.opening(factories.rectangle(1, 2), opens_in=timedelta(days=5), reason=OpeningReason.EXPIRED)
    long_ago = factories.opening(factories.rectangle(1, 1, factories.ORIGIN + 20), opens_in=timedelta(days=-120))
    soon = factories.licence_held(
        org,
        factories.rectangle(2, 2, factories.ORIGIN + 40),
        starts_on=date(2020, 12, 10),
        expires_on=date(2026, 12, 10),
    )
    later = factories.licence_held(
        org, factories.rectangle(1, 1, factories.ORIGIN + 60), starts_on=date(2021, 6, 1), expires_on=date(2027, 6, 1)
    )
    html = page(client)
    assert "Freed by an expiry" in html and grid.code(factories.ORIGIN) in html
    assert upcoming.window_closes_at.astimezone(ASTANA).strftime("%-d %B %Y") in html
    assert grid.code(factories.ORIGIN + 20) not in html  # its window closed months ago
    assert long_ago.opens_at < upcoming.opens_at
    assert soon.number in html and later.number not in html  # 12 weeks ahead unless asked
    # Expires on Thursday 10 Dec: ends Friday 11; two working days on, Tuesday 15 Dec, 09:00.
    assert (
        "15 December 2026, 09:00</time> (Astana time)" in html and "15 January 2027, 09:00</time> (Astana time)" in html
    )
    assert later.number in page(client, weeks="40")


def test_filters_by_region_and_commodity(client, applicant, crew, time_machine) -> None:
    time_machine.move_to(datetime(2020, 11, 24, 10, tzinfo=ASTANA))
    in_east = granted(applicant, factories.rectangle(1, 1), crew, time_machine)
    _owner, org = applicant
    far = factories.ORIGIN + 40
    elsewhere = factories.licence_held(org, [far], starts_on=date(2020, 12, 10), expires_on=in_east.expires_on)
    lon, lat = grid.centre(far)
    DepositFactory(longitude=round(lon, 5), latitude=round(lat, 5), commodities=["W"])
    time_machine.move_to(datetime.combine(in_east.expires_on - timedelta(days=20), datetime.min.time(), ASTANA))
    opening_east = factories.opening([factories.ORIGIN + 80], region="east_kazakhstan")
    opening_abai = factories.opening([factories.ORIGIN + 90], region="abai")

    def shown(**params: str) -> set[str]:
        html = page(client, **params)
        names = {
            in_east.number: in_east.number,
            elsewhere.number: elsewhere.number,
            "east": grid.code(factories.ORIGIN + 80),
            "abai": grid.code(factories.ORIGIN + 90),
        }
        return {key for key, text in names.items() if text in html}

    assert opening_east.region != opening_abai.region
    assert shown() == {in_east.number, elsewhere.number, "east", "abai"}
    assert shown(region="east_kazakhstan") == {in_east.number, "east"}
    assert shown(commodity="W") == {elsewhere.number}
    assert shown(commodity="Li") == set()


@pytest.mark.parametrize(
    "params",
    [
        {"region": "atlantis"},
        {"commodity": "XX"},
        {"weeks": "0"},
        {"weeks": "53"},
        {"weeks": "two"},
        {"weeks": "1\x00"},
    ],
)
def test_bad_filter_values_are_refused(client, params) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "filter value" in response.content.decode() or "NUL" in response.content.decode()


def test_an_expired_licence_leaves_the_expiring_list_and_its_opening_joins_the_calendar(
    client, applicant, today
) -> None:
    _owner, org = applicant
    licence = factories.licence_held(
        org, factories.rectangle(1, 1), starts_on=date(2020, 11, 30), expires_on=date(2026, 11, 30)
    )
    assert licences_expire_due(today=today) == [licence.number]
    html = page(client)
    assert "Freed by an expiry" in html and grid.code(factories.ORIGIN) in html
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXPIRED
    assert "No licences expire in this period." in html


def test_queries_do_not_grow_with_licences_or_openings(client, applicant, today) -> None:
    _owner, org = applicant

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            factories.licence_held(
                org,
                factories.rectangle(1, 2, factories.ORIGIN + 3 * i),
                starts_on=date(2020, 12, 2 + i % 20),
                expires_on=date(2026, 12, 2 + i % 20),
            )
            factories.opening([factories.ORIGIN + 5000 + i], opens_in=timedelta(days=1 + i))

    add(2, 0)
    few = count()
    add(30, 2)
    assert count() == few
    assert page(client).count("/register/licences/KZ-") == 25  # a page of them


# The API ---------------------------------------------------------------------------------

API = "/api/v1/openings/expiring/"


def test_the_api_lists_licences_expiring_soon_with_when_their_ground_opens(client, applicant, today) -> None:
    _owner, org = applicant
    soon = factories.licence_held(
        org, factories.rectangle(2, 2), starts_on=date(2020, 12, 10), expires_on=date(2026, 12, 10)
    )
    factories.licence_held(org, [factories.ORIGIN + 60], starts_on=date(2021, 6, 1), expires_on=date(2027, 6, 1))
    body = client.get(API).json()
    assert [row["number"] for row in body["results"]] == [soon.number]
    row = body["results"][0]
    assert row["blocks"] == 4 and row["expires_on"] == "2026-12-10"
    assert row["opens_at"].startswith("2026-12-15T09:00") and row["window_closes_at"].startswith("2027-01-15T09:00")
    assert len(client.get(API, {"weeks": "40"}).json()["results"]) == 2
    assert client.get(API, {"commodity": "W"}).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"region": "atlantis"}, "region"), ({"commodity": "XX"}, "commodity"), ({"weeks": "99"}, "weeks")],
)
def test_the_api_refuses_bad_filters_with_a_problem(client, params, field) -> None:
    response = client.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.content.decode()


def test_the_api_pages_by_cursor_in_constant_queries(client, applicant, today, django_assert_max_num_queries) -> None:
    _owner, org = applicant
    for i in range(12):
        factories.licence_held(
            org, [factories.ORIGIN + 3 * i], starts_on=date(2020, 12, 2 + i), expires_on=date(2026, 12, 2 + i)
        )
    seen, address = [], f"{API}?page_size=5"
    while address:
        with django_assert_max_num_queries(4):
            body = client.get(address).json()
        seen += [row["expires_on"] for row in body["results"]]
        address = body["next"]
    assert seen == sorted(seen) and len(seen) == 12
    assert client.get(API, {"cursor": "bogus"}).status_code == 400


def test_partners_read_it_with_register_read(client, today) -> None:
    from licensing.licences.calendar_api import ExpiringLicenceViewSet
    from tests.partners.factories import bearer, partner_client

    assert ExpiringLicenceViewSet.partner_scopes == {"list": "register:read"}
    assert client.get(API, **bearer(client, partner_client("register:read"))).status_code == 200
    assert client.post(API, {}).status_code in (403, 405)
