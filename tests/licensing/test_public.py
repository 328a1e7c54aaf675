"""The licence register, the certificate and the refusal letter, public verification and the
licence open data, on licences granted through the services."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, translation
from pypdf import PdfReader
from shapely.geometry import Point, shape

from accounts.models import User
from accounts.roles import Role
from licensing.domain import grid
from licensing.drafting import services as drafting_services
from licensing.models import Application, ApplicationState, Licence, LicenceStatus, ObligationKind
from licensing.review import services as review_services
from tests.deposits.factories import DepositFactory
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.open_data import fetch

pytestmark = pytest.mark.django_db
S = ApplicationState
HOLDER = "ТОО «Дала Литий»"
HOLDER_LATIN = "Dala Lithium LLP"


@pytest.fixture
def holder(make_user, crew):
    """A Kazakh company with a Cyrillic legal name, whose owner reads Russian."""
    owner = make_user(Role.INVESTOR)
    User.objects.filter(pk=owner.pk).update(preferred_language="ru")
    org = investor_factories.verified_organisation(
        owner, crew.registrar, legal_name=HOLDER, legal_name_latin=HOLDER_LATIN, country="KZ", registration_number="1"
    )
    return owner, org


@pytest.fixture
def other(make_user, crew):
    return factories.applicant(make_user, crew.registrar, "Altai Tungsten LLP")


def decide_all(applications: list[Application], crew, time_machine, decision: str = "grant") -> list[Application]:
    """Take lodged applications through one objection period together, and decide each."""
    for application in applications:
        review_services.application_accept(actor=crew.reviewer, application=application)
        review_services.application_publish_notice(actor=crew.reviewer, application=application)
    factories.after_objections(applications, time_machine)
    decided = []
    for application in applications:
        application = review_services.application_close_objections(actor=crew.reviewer, application=application)
        review_services.application_assess(
            actor=crew.reviewer, application=application, programme_adequate=True, financially_capable=True
        )
        if application.screening_required:
            review_services.application_refer_screening(actor=crew.reviewer, application=application)
            review_services.application_screening_result(
                actor=crew.reviewer, application=application, cleared=True, note=""
            )
        reasons = "The work programme is sound." if decision == "grant" else "The work programme is not funded."
        review_services.application_recommend(
            actor=crew.reviewer, application=application, recommendation=decision, reasons=reasons
        )
        decided.append(
            review_services.application_decide(actor=crew.approver, application=application, decision=decision)
        )
    return decided


def lodge(applicant, blocks: list[int], *, region: str = "east_kazakhstan", code: str = "exploration") -> Application:
    owner, org = applicant
    draft = drafting_services.application_create(
        actor=owner,
        organisation=org,
        licence_type=factories.licence_type(code),
        title="Kalba lithium",
        region=region,
        blocks=blocks,
    )
    return drafting_services.application_lodge(actor=owner, application=factories.complete(owner, draft))


def granted(applicant, blocks_list: list[list[int]], crew, time_machine, **kwargs: str) -> list[Licence]:
    applications = decide_all([lodge(applicant, blocks, **kwargs) for blocks in blocks_list], crew, time_machine)
    return [Licence.objects.get(application=a) for a in applications]


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """The text without line breaks and spaces: a long URL or name may wrap anywhere."""
    return "".join(text.split())


# The certificate ------------------------------------------------------------------------


def test_certificate_speaks_the_holders_language_and_kazakh(client, holder, crew, time_machine) -> None:
    blocks = factories.rectangle(2, 3)
    (licence,) = granted(holder, [blocks], crew, time_machine)
    client.force_login(holder[0])
    response = client.get(reverse("licensing:certificate", args=[licence.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{licence.number}.pdf"'
    reader, text = pdf_text(response.content)
    url = f"{settings.SITE_URL}/verify/{licence.number}/"
    assert licence.number in text and HOLDER in text and HOLDER_LATIN in text
    assert all(grid.code(b) in text for b in blocks)
    assert url in squash(text)
    # A Russian part and a Kazakh part, each headed by its language's own name and title.
    assert "Русский" in text and "Қазақ" in text
    for language in ("ru", "kk"):
        with translation.override(language):
            assert squash(translation.gettext("Subsoil use licence")) in squash(text)
    for language in ("ru", "kk"):
        with translation.override(language):
            assert squash(str(ObligationKind.RENT.label)) in squash(text)  # the obligations, in each language

    # The QR code is embedded as an image whose modules are those of the verification URL.
    image = next(img for page in reader.pages for img in page.images).image.convert("L")
    matrix = segno.make(url, error="m", micro=False).matrix
    size = len(matrix)
    assert image.size == ((size + 8) * 4, (size + 8) * 4)
    drawn = [[image.getpixel(((c + 4) * 4 + 2, (r + 4) * 4 + 2)) < 128 for c in range(size)] for r in range(size)]
    assert drawn == [[bool(m) for m in row] for row in matrix]


def test_a_kazakh_speaking_holder_gets_one_kazakh_certificate(client, holder, crew, time_machine) -> None:
    User.objects.filter(pk=holder[0].pk).update(preferred_language="kk")
    (licence,) = granted(holder, [factories.rectangle(1, 1)], crew, time_machine)
    client.force_login(crew.registrar)
    _reader, text = pdf_text(client.get(reverse("licensing:certificate", args=[licence.number])).content)
    assert "Қазақ" in text and "Русский" not in text and "English" not in text


def test_a_certificate_of_200_blocks_lists_them_all_over_several_pages(holder, crew, time_machine) -> None:
    from licensing.licences.certificates import licence_certificate_pdf

    blocks = factories.rectangle(10, 20)
    (licence,) = granted(holder, [blocks], crew, time_machine)
    reader, text = pdf_text(licence_certificate_pdf(Licence.objects.get(pk=licence.pk), "en"))
    assert len(reader.pages) >= 4  # two parts, each longer than a page
    assert all(text.count(grid.code(b)) >= 2 for b in blocks)  # in each part
    assert "200 blocks" in text


def test_only_the_holder_and_officials_download_the_certificate(client, holder, other, crew, time_machine) -> None:
    (licence,) = granted(holder, [factories.rectangle(1, 1)], crew, time_machine)
    url = reverse("licensing:certificate", args=[licence.number])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(other[0])
    assert client.get(url).status_code == 404
    assert client.get(reverse("licensing:certificate", args=["KZ-EXP-2026-999999"])).status_code == 404
    client.force_login(crew.reviewer)
    assert client.get(url).status_code == 200


# Verification ---------------------------------------------------------------------------


def test_verify_confirms_a_licence_to_anyone(client, holder, crew, time_machine) -> None:
    blocks = factories.rectangle(1, 2)
    (licence,) = granted(holder, [blocks], crew, time_machine)
    response = client.get(f"/verify/{licence.number}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert licence.number in page and HOLDER_LATIN in page and "Active" in page and "in force" in page
    assert all(grid.code(b) in page for b in blocks)
    assert client.get(f"/verify/{licence.number.lower()}/").status_code == 200


@pytest.mark.parametrize("number", ["KZ-EXP-2026-999999", "not-a-licence", "KZ-" + "9" * 200, "%3Cscript%3E"])
def test_verify_answers_404_for_numbers_the_register_does_not_hold(client, number) -> None:
    response = client.get(f"/verify/{number}/")
    assert response.status_code == 404
    assert "No licence with this number" in response.content.decode()
    assert "<script>" not in response.content.decode()


# The register ---------------------------------------------------------------------------


def test_register_runs_the_same_queries_for_2_and_8_licences(client, holder, crew, time_machine) -> None:
    def count(**params: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("licensing:register-licences"), params)
            assert response.status_code == 200
        return len(queries)

    def rows(**params: str) -> int:
        page = client.get(reverse("licensing:register-licences"), params).content.decode()
        return page.count("/register/licences/KZ-")

    # Every licence lies on a tungsten deposit, so the commodity filter keeps them all.
    pairs = [factories.rectangle(1, 2, factories.ORIGIN + 3 * n) for n in range(8)]
    for blocks in pairs:
        lon, lat = grid.centre(blocks[0])
        DepositFactory(longitude=round(lon, 5), latitude=round(lat, 5), commodities=["W"])
    granted(holder, pairs[:2], crew, time_machine)
    few = (count(), count(commodity="W"), count(q="dala", status="active"))
    assert rows() == 2
    granted(holder, pairs[2:], crew, time_machine)
    assert (count(), count(commodity="W"), count(q="dala", status="active")) == few
    assert rows() == rows(commodity="W") == 8


def test_register_filters(client, holder, other, crew, time_machine) -> None:
    (kalba,) = granted(holder, [factories.rectangle(1, 1)], crew, time_machine)
    far = factories.ORIGIN + 40
    (altai,) = granted(other, [factories.rectangle(1, 1, far)], crew, time_machine, region="abai", code="prospecting")
    lon, lat = grid.centre(far)
    DepositFactory(longitude=round(lon, 5), latitude=round(lat, 5), commodities=["W"])
    # No surrender service yet: the status is set directly to have a licence that is not active.
    Licence.objects.filter(pk=altai.pk).update(status=LicenceStatus.SURRENDERED)

    def numbers(**params: str) -> set[str]:
        response = client.get(reverse("licensing:register-licences"), params)
        assert response.status_code == 200
        return {n for n in (kalba.number, altai.number) if n in response.content.decode()}

    assert numbers() == {kalba.number, altai.number}
    assert numbers(q="dala") == {kalba.number}
    assert numbers(q="kz-pro-20") == {altai.number}  # a number from its beginning, any case
    assert numbers(licence_type="prospecting") == {altai.number}
    assert numbers(status="active") == {kalba.number}
    assert numbers(status="surrendered") == {altai.number}
    assert numbers(region="east_kazakhstan") == {kalba.number}
    assert numbers(commodity="W") == {altai.number}
    assert numbers(commodity="Li") == set()
    assert client.get(reverse("licensing:register-licences"), {"status": "nonsense"}).status_code == 400


def test_licence_page_shows_blocks_on_the_map_dates_and_history(client, holder, crew, time_machine) -> None:
    blocks = factories.rectangle(1, 2)
    (licence,) = granted(holder, [blocks], crew, time_machine)
    url = reverse("licensing:register-licence", args=[licence.number])
    certificate = reverse("licensing:certificate", args=[licence.number])
    page = client.get(url).content.decode()
    assert f'data-codes="{" ".join(grid.code(b) for b in blocks)}"' in page
    assert "Licence issued" in page and licence.application.reference in page
    assert dateformat.format(licence.expires_on, "j F Y") in page
    assert certificate not in page
    client.force_login(holder[0])
    assert certificate in client.get(url).content.decode()
    assert client.get(reverse("licensing:register-licence", args=["KZ-NOPE-1"])).status_code == 404


# Open data ------------------------------------------------------------------------------


def test_geojson_has_a_multipolygon_of_each_licences_blocks(client, holder, crew, time_machine) -> None:
    ell = [*factories.rectangle(1, 2, factories.ORIGIN + 5), factories.ORIGIN + 5 + grid.MINUTES_LON]
    shapes = [factories.rectangle(2, 2), ell]
    licences = granted(holder, shapes, crew, time_machine)
    response = fetch(client, reverse("licensing:open-data-licences-geojson"))
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    by_number = {f["properties"]["number"]: f for f in collection["features"]}
    for licence, blocks in zip(licences, shapes, strict=True):
        feature = by_number[licence.number]
        assert feature["geometry"]["type"] == "MultiPolygon"
        outline = shape(feature["geometry"])
        assert outline.is_valid
        assert outline.area == pytest.approx(len(blocks) / 3600)  # square degrees: a block is 1' × 1'
        assert all(outline.contains(Point(*grid.centre(b))) for b in blocks)
        assert feature["properties"]["holder"] == HOLDER_LATIN and feature["properties"]["status"] == "active"
        assert feature["properties"]["block_count"] == len(blocks)
    (polygon,) = by_number[licences[1].number]["geometry"]["coordinates"]
    assert len(polygon) == 1 and len(polygon[0]) == 7  # the L dissolved: six corners, no inner edges


def test_csv_has_a_header_and_a_row_per_licence(client, holder, crew, time_machine) -> None:
    licences = granted(
        holder, [factories.rectangle(1, 1), factories.rectangle(1, 3, factories.ORIGIN + 5)], crew, time_machine
    )
    response = fetch(client, reverse("licensing:open-data-licences-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["number"] for r in rows] == sorted(licence.number for licence in licences)
    assert [int(r["block_count"]) for r in rows] == [1, 3]
    assert float(rows[1]["area_km2"]) == pytest.approx(
        grid.total_area_km2(factories.rectangle(1, 3, factories.ORIGIN + 5))
    )


def test_open_data_queries_do_not_grow_with_licences(client, holder, crew, time_machine) -> None:
    granted(holder, [factories.rectangle(1, 1)], crew, time_machine)
    urls = [reverse("licensing:open-data-licences-geojson"), reverse("licensing:open-data-licences-csv")]

    def count() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                fetch(client, url)
            counts.append(len(queries))
        return counts

    few = count()
    granted(holder, [factories.rectangle(1, 1, factories.ORIGIN + 3 * n) for n in range(1, 4)], crew, time_machine)
    assert count() == few


# The refusal letter ---------------------------------------------------------------------


# A process that has drawn nothing yet: the letter is its first PDF. Unsaved objects, so the
# child needs no database.
FIRST_PDF_SCRIPT = """
import sys
import django

django.setup()
from investors.models import Organisation
from licensing.licences.letters import refusal_letter_pdf
from licensing.models import Application, LicenceType

applicant = Organisation(legal_name="ТОО «Дала Литий»", legal_name_latin="Dala Lithium LLP", country="KZ")
licence_type = LicenceType(code="exploration", name_en="Exploration licence")
application = Application(
    pk=1, priority_number=7, organisation=applicant, licence_type=licence_type, title="Дала",
    region="east_kazakhstan", blocks=[1, 2], reasons="The work programme is not funded.",
)
sys.stdout.buffer.write(refusal_letter_pdf(application, "ru"))
"""


def test_a_fresh_process_draws_a_refusal_letter_before_any_certificate() -> None:
    root = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [sys.executable, "-c", FIRST_PDF_SCRIPT], cwd=root, capture_output=True, timeout=120, check=False
    )
    assert child.returncode == 0, child.stderr.decode()
    _reader, text = pdf_text(child.stdout)
    assert "The work programme is not funded." in text and "A-000007" in text and "Қазақ" in text


@pytest.fixture
def fonts_unregistered(monkeypatch):
    """reportlab as a fresh process has it: no faces and no families of our own registered."""
    from reportlab.lib import fonts
    from reportlab.pdfbase import pdfmetrics

    from licensing.licences import certificates

    ours = (certificates.FONT.lower(), certificates.FONT_BOLD.lower())
    monkeypatch.setattr(pdfmetrics, "_fonts", {k: v for k, v in pdfmetrics._fonts.items() if k.lower() not in ours})
    monkeypatch.setattr(
        pdfmetrics, "_dynFaceNames", {k: v for k, v in pdfmetrics._dynFaceNames.items() if k.lower() not in ours}
    )
    monkeypatch.setattr(fonts, "_ps2tt_map", {k: v for k, v in fonts._ps2tt_map.items() if k not in ours})
    monkeypatch.setattr(fonts, "_tt2ps_map", {k: v for k, v in fonts._tt2ps_map.items() if k[0] not in ours})
    monkeypatch.setattr(certificates, "_fonts_registered", False)


def test_refusal_letter_gives_the_reasons_to_the_applicant_only(
    client, holder, other, crew, time_machine, fonts_unregistered
) -> None:
    (refused,) = decide_all([lodge(holder, factories.rectangle(1, 1))], crew, time_machine, decision="refuse")
    assert refused.state == S.REFUSED
    url = reverse("licensing:refusal-letter", args=[refused.pk])
    client.force_login(holder[0])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _reader, text = pdf_text(response.content)
    assert "The work programme is not funded." in text and refused.reference in text and "Қазақ" in text
    # When it was received, to the minute, in a stated zone (the letter is in Russian and Kazakh).
    assert "(время Астаны)" in text or "(Астана уақыты)" in text
    client.force_login(other[0])
    assert client.get(url).status_code == 404
    (licence,) = granted(holder, [factories.rectangle(1, 1, factories.ORIGIN + 9)], crew, time_machine)
    client.force_login(holder[0])
    assert client.get(reverse("licensing:refusal-letter", args=[licence.application_id])).status_code == 404
