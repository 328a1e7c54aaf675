"""`/api/v1/licences/` (the register for partners: filters, cursor paging, `changed_since`, a
licence in full, the bank's check) and the certificate versions kept as issued, whose
fingerprints that check compares."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from licensing.domain import grid
from licensing.licences import certificates
from licensing.models import Application, CertificateVersion, Licence, LicenceStatus
from licensing.review import services as review_services
from tests.deposits.factories import DepositFactory
from tests.licensing import factories

pytestmark = pytest.mark.django_db

LICENCES = "/api/v1/licences/"


def detail(number: str, action: str = "") -> str:
    return f"{LICENCES}{number}/" + (f"{action}/" if action else "")


def granted(applicant, blocks: list[int], crew, time_machine, **kwargs: str) -> Licence:
    owner, org = applicant
    application = factories.to_assessment(factories.lodged(owner, org, blocks, **kwargs), crew.reviewer, time_machine)
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound programme."
    )
    review_services.application_decide(actor=crew.approver, application=application, decision="grant")
    return Licence.objects.get(application=application)


def every_page(client: Client, address: str) -> list[dict]:
    """Follow `next` from the first page to the last; the rows in the order served."""
    rows = []
    while address:
        response = client.get(address)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        address = body["next"]
    return rows


# Certificates ---------------------------------------------------------------------------


def test_a_grant_issues_version_1_whose_fingerprint_is_the_pdf_served(client, first, crew, time_machine) -> None:
    licence = granted(first, factories.rectangle(1, 2), crew, time_machine)
    (version,) = CertificateVersion.objects.filter(licence=licence)
    assert (version.version, version.reason, version.languages) == (1, "grant", ["en", "kk"])
    # Kept outside the web root, beside the uploaded documents.
    assert version.file.path.startswith(str(settings.DOCUMENTS_ROOT / "certificates"))

    event = Event.objects.get(type="licence.certificate_issued")
    assert event.payload == {"version": 1, "sha256": version.sha256}

    # The holder downloads it: the bytes are the ones fingerprinted, and the same again later.
    client.force_login(first[0])
    downloaded = client.get(reverse("licensing:certificate", args=[licence.number])).content
    assert hashlib.sha256(downloaded).hexdigest() == version.sha256
    assert client.get(reverse("licensing:certificate", args=[licence.number])).content == downloaded

    body = Client().get(detail(licence.number)).json()
    assert body["certificate"] == {
        "version": 1,
        "issued_at": body["certificate_versions"][0]["issued_at"],
        "sha256": version.sha256,
    }
    (listed,) = body["certificate_versions"]
    assert listed["sha256"] == version.sha256 and listed["reason"] == "grant"
    link = urlsplit(listed["download_url"])
    assert link.query == "version=1"
    assert client.get(f"{link.path}?{link.query}").content == downloaded
    assert client.get(f"{link.path}?version=2").status_code == 404
    assert client.get(f"{link.path}?version=x").status_code == 404


def test_the_certificate_renders_to_the_same_bytes_twice(first, crew, time_machine) -> None:
    licence = granted(first, factories.rectangle(1, 1), crew, time_machine)
    fresh = Licence.objects.prefetch_related("tenures", "obligations").get(pk=licence.pk)
    one = certificates.licence_certificate_pdf(fresh, "en")
    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert certificates.licence_certificate_pdf(fresh, "en") == one
    # The stored file is that render with the registry's signature appended (an incremental
    # update), and its fingerprint is the stored file's.
    version = CertificateVersion.objects.get(licence=licence)
    with version.file.open("rb") as f:
        stored = f.read()
    assert stored.startswith(one) and len(stored) > len(one)
    assert hashlib.sha256(stored).hexdigest() == version.sha256


def test_a_grant_that_fails_leaves_no_licence_and_no_certificate_version(first, crew, time_machine) -> None:
    owner, org = first
    application = factories.to_assessment(
        factories.lodged(owner, org, factories.rectangle(1, 1)), crew.reviewer, time_machine
    )
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound programme."
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        review_services.application_decide(actor=crew.approver, application=application, decision="grant")
        assert CertificateVersion.objects.count() == 1
        raise RuntimeError("the transaction fails after the certificate was issued")
    assert not Licence.objects.exists() and not CertificateVersion.objects.exists()
    assert not Event.objects.filter(type="licence.certificate_issued").exists()


def test_a_licence_granted_before_certificates_were_kept_gets_version_1_on_first_download(
    client, first, time_machine
) -> None:
    licence = factories.licence_held(first[1], factories.rectangle(1, 1))
    assert Client().get(detail(licence.number)).json()["certificate"] is None
    before = licence.updated_at
    time_machine.move_to(timezone.now() + timedelta(minutes=5))

    client.force_login(first[0])
    one = client.get(reverse("licensing:certificate", args=[licence.number])).content
    two = client.get(reverse("licensing:certificate", args=[licence.number])).content
    (version,) = CertificateVersion.objects.filter(licence=licence)
    assert one == two and hashlib.sha256(one).hexdigest() == version.sha256
    assert version.issued_at == licence.granted_at  # as of its grant
    licence.refresh_from_db()
    assert licence.updated_at > before  # partners syncing by changed_since see the new fingerprint
    assert Client().get(detail(licence.number)).json()["certificate"]["sha256"] == version.sha256


# The list: filters, paging, changed_since ------------------------------------------------------


def test_the_list_filters_by_holder_type_status_region_and_commodity(first, second, crew, time_machine) -> None:
    client = Client()
    kalba = granted(first, factories.rectangle(1, 1), crew, time_machine)
    far = factories.ORIGIN + 40
    altai = granted(second, factories.rectangle(1, 1, far), crew, time_machine, code="prospecting")
    Application.objects.filter(licence=altai).update(region="abai")
    lon, lat = grid.centre(far)
    DepositFactory(longitude=round(lon, 5), latitude=round(lat, 5), commodities=["W"])
    Licence.objects.filter(pk=altai.pk).update(status=LicenceStatus.SURRENDERED)

    def numbers(**params: object) -> set[str]:
        response = client.get(LICENCES, params)
        assert response.status_code == 200, response.json()
        return {row["number"] for row in response.json()["results"]}

    assert numbers() == {kalba.number, altai.number}
    assert numbers(holder=first[1].pk) == {kalba.number}
    assert numbers(holder=999_999) == set()
    assert numbers(holder_name="second lith") == {altai.number}
    assert numbers(licence_type="prospecting") == {altai.number}
    assert numbers(status="active") == {kalba.number}
    assert numbers(status="surrendered") == {altai.number}
    assert numbers(region="east_kazakhstan") == {kalba.number}
    assert numbers(region="abai") == {altai.number}
    assert numbers(commodity="W") == numbers(commodity="w") == {altai.number}
    assert numbers(commodity="Li") == set()
    assert numbers(status="active", holder_name="second") == set()


def test_a_list_row_says_what_the_register_holds(first, crew, time_machine) -> None:
    blocks = factories.rectangle(2, 2)
    licence = granted(first, blocks, crew, time_machine)
    (row,) = Client().get(LICENCES).json()["results"]
    assert row["number"] == licence.number
    assert row["url"] == f"http://testserver{detail(licence.number)}"
    assert row["holder"] == {"id": first[1].pk, "name": "First Lithium LLP", "name_latin": "First Lithium LLP"} | {
        "country": first[1].country.code
    }
    assert row["licence_type"] == "exploration" and row["status"] == "active" and row["is_current"] is True
    assert row["region"] == "east_kazakhstan"
    assert row["blocks"] == [grid.code(b) for b in sorted(blocks)] and row["block_count"] == 4
    assert row["area_km2"] == round(grid.total_area_km2(blocks), 3)
    assert row["term_years"] == 6 and row["starts_on"] == licence.starts_on.isoformat()


def test_cursor_paging_reads_every_licence_once_in_order_of_change(first) -> None:
    org = first[1]
    made = [factories.licence_held(org, [factories.ORIGIN + n]) for n in range(23)]
    rows = every_page(Client(), f"{LICENCES}?page_size=5")
    assert [r["number"] for r in rows] == [m.number for m in made]  # oldest change first
    assert Client().get(f"{LICENCES}?page_size=5").json()["previous"] is None
    assert len(Client().get(LICENCES).json()["results"]) == 23  # 50 a page unless asked


def test_a_page_never_exceeds_500_rows(first) -> None:
    org = first[1]
    for _ in range(501):
        factories.LicenceFactory(holder=org)
    assert len(Client().get(f"{LICENCES}?page_size=500").json()["results"]) == 500
    refused = Client().get(f"{LICENCES}?page_size=100000")
    assert refused.status_code == 400 and "page_size" in refused.json()["errors"]


def test_changed_since_gives_only_what_changed_at_or_after_it(client, first, time_machine) -> None:
    old = [factories.licence_held(first[1], [factories.ORIGIN + n]) for n in range(3)]
    time_machine.move_to(timezone.now() + timedelta(days=1))
    mark = timezone.now()
    client.force_login(first[0])
    # The first download issues the certificate: a change partners must see.
    client.get(reverse("licensing:certificate", args=[old[1].number]))
    new = factories.licence_held(first[1], [factories.ORIGIN + 10])

    rows = every_page(Client(), f"{LICENCES}?changed_since={mark.isoformat().replace('+', '%2B')}")
    assert [r["number"] for r in rows] == [old[1].number, new.number]
    # A naive date-time is Astana time.
    local = timezone.localtime(mark).replace(tzinfo=None).isoformat()
    assert len(every_page(Client(), f"{LICENCES}?changed_since={local}")) == 2
    # The largest updated_at read is the next changed_since: the last row comes again, nothing is lost.
    last = rows[-1]["updated_at"].replace("+", "%2B")
    assert [r["number"] for r in every_page(Client(), f"{LICENCES}?changed_since={last}")] == [new.number]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("changed_since=yesterday", "changed_since"),
        ("changed_since=2026-02-30T10:00:00", "changed_since"),
        ("changed_since=", "changed_since"),  # a mistake to point out, not a request for everything
        ("holder=abc", "holder"),
        ("holder=99999999999999999999999", "holder"),
        ("holder=1.5", "holder"),
        ("status=pending", "status"),
        ("licence_type=nonsense", "licence_type"),
        ("region=mars", "region"),
        ("commodity=Xx", "commodity"),
        ("holder_name=" + "a" * 101, "holder_name"),
    ],
)
def test_a_malformed_filter_is_refused_naming_it(query: str, parameter: str | None) -> None:
    response = Client().get(f"{LICENCES}?{query}")
    if parameter is None:  # an empty filter is no filter
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [parameter]


def test_a_forged_cursor_or_a_nul_is_refused() -> None:
    forged = Client().get(f"{LICENCES}?cursor=forged")
    assert forged.status_code == 400 and "cursor" in forged.json()["errors"]
    assert Client().get(f"{LICENCES}?cursor=%00").status_code == 400
    assert Client().get(f"{LICENCES}?holder_name=a%00b").status_code == 400
    assert Client().get(detail("KZ%00")).status_code == 400


def test_the_list_runs_the_same_queries_for_3_and_30_licences(first, django_assert_max_num_queries) -> None:
    org = first[1]

    def add(count: int) -> None:
        for _ in range(count):
            licence = factories.licence_held(
                org, factories.rectangle(1, 2, factories.ORIGIN + 3 * Licence.objects.count())
            )
            factories.CertificateVersionFactory(licence=licence)
            factories.CertificateVersionFactory(licence=licence, version=2)

    add(3)
    client = Client()
    with django_assert_max_num_queries(4):  # licences (with holder, type, application), tenures, versions
        assert len(client.get(LICENCES).json()["results"]) == 3
    add(27)
    with django_assert_max_num_queries(4):
        body = client.get(LICENCES).json()
    assert len(body["results"]) == 30 and all(r["certificate"]["version"] == 2 for r in body["results"])
    with django_assert_max_num_queries(5):  # and the commodity's blocks
        assert client.get(LICENCES, {"commodity": "W", "licence_type": "exploration"}).status_code == 200


# One licence, and the bank's check ------------------------------------------------------


def test_a_licence_in_full(first, crew, time_machine, django_assert_max_num_queries) -> None:
    blocks = factories.rectangle(1, 3)
    licence = granted(first, blocks, crew, time_machine)
    with django_assert_max_num_queries(6):  # its changes of title and obligations: one query each
        body = Client().get(detail(licence.number.lower())).json()
    assert body["number"] == licence.number
    assert body["blocks"] == [grid.code(b) for b in blocks]
    assert body["expires_on"] == licence.expires_on.isoformat() and body["term_years"] == 6
    assert [h["type"] for h in body["history"]] == ["licence.granted", "licence.certificate_issued"]
    assert body["history"][0]["label"] == "Licence issued"
    assert [v["version"] for v in body["certificate_versions"]] == [1]


@pytest.mark.parametrize("number", ["KZ-EXP-2026-999999", "no-such-thing", "%2E%2E", "x" * 300])
def test_an_unknown_number_is_a_404_problem(number: str) -> None:
    for address in (detail(number), detail(number, "verify")):
        response = Client().get(address)
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == "No licence with this number."


def test_verify_says_whether_a_licence_is_in_force_and_its_certificate_current(first, crew, time_machine) -> None:
    licence = granted(first, factories.rectangle(1, 1), crew, time_machine)
    one = CertificateVersion.objects.get(licence=licence)
    body = Client().get(detail(licence.number, "verify")).json()
    assert body["is_current"] is True and body["status"] == "active"
    assert body["holder"]["id"] == first[1].pk and body["expires_on"] == licence.expires_on.isoformat()
    assert body["certificate"]["sha256"] == one.sha256 and body["certificate"]["version"] == 1
    assert body["fingerprint"] is None

    def fingerprint(sha256: str) -> dict:
        response = Client().get(detail(licence.number, "verify"), {"sha256": sha256})
        assert response.status_code == 200
        return response.json()["fingerprint"]

    assert fingerprint(one.sha256.upper()) == {"sha256": one.sha256, "genuine": True, "current": True, "version": 1}
    assert fingerprint("0" * 64) == {"sha256": "0" * 64, "genuine": False, "current": False, "version": None}
    # A later version (a change of title) makes the first genuine but no longer current.
    two = factories.CertificateVersionFactory(licence=licence, version=2)
    assert fingerprint(one.sha256) == {"sha256": one.sha256, "genuine": True, "current": False, "version": 1}
    assert fingerprint(two.sha256)["current"] is True


def test_verify_says_an_expired_or_surrendered_licence_is_not_current(first, time_machine) -> None:
    licence = factories.licence_held(first[1], [factories.ORIGIN])
    time_machine.move_to(timezone.now() + timedelta(days=6 * 366 + 1))
    body = Client().get(detail(licence.number, "verify")).json()
    assert body["is_current"] is False and body["status"] == "active" and body["certificate"] is None
    Licence.objects.filter(pk=licence.pk).update(
        status=LicenceStatus.SURRENDERED, expires_on=timezone.localdate() + timedelta(days=400)
    )
    body = Client().get(detail(licence.number, "verify")).json()
    assert body["is_current"] is False and body["status"] == "surrendered"


@pytest.mark.parametrize("sha256", ["", "abc", "g" * 64, "0" * 65])
def test_verify_refuses_a_malformed_fingerprint_naming_it(first, sha256: str) -> None:
    licence = factories.licence_held(first[1], [factories.ORIGIN])
    response = Client().get(detail(licence.number, "verify"), {"sha256": sha256})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["sha256"]


def test_the_api_is_read_only_and_declares_the_partner_scope(first) -> None:
    from licensing.ground.api import OpeningViewSet
    from licensing.licences.api import LicenceViewSet

    licence = factories.licence_held(first[1], [factories.ORIGIN])
    for address in (LICENCES, detail(licence.number), detail(licence.number, "verify")):
        assert Client().post(address, {}).status_code in (403, 405)
    assert LicenceViewSet.partner_scopes == dict.fromkeys(["list", "retrieve", "verify"], "register:read")
    assert OpeningViewSet.partner_scopes == {"list": "register:read"}
    assert Licence.objects.count() == 1


@pytest.mark.parametrize("position", ["garbage", "2026-13-45T99:00:00", "1' OR '1'='1"])
def test_a_well_formed_cursor_with_a_forged_position_is_refused(position) -> None:
    import base64
    from urllib.parse import urlencode

    cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()
    answer = Client().get(LICENCES, {"cursor": cursor})
    assert answer.status_code == 400 and "cursor" in answer.json()["errors"]
