"""The certificate as a legal instrument: who issued and decided it, the corners of the licence
area, its PAdES signature (checked with pyHanko's validator), and /verify/, which takes an
uploaded certificate file and says whether it is a genuine, current version."""

import html
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from accounts.models import User
from licensing.domain import grid
from licensing.domain.signing_keys import write_demo
from licensing.licences import certificate_sections, services, signing
from licensing.models import CertificateReason, Licence
from tests.licensing import factories
from tests.licensing.test_public import granted, holder, pdf_text, squash  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def licence(holder, crew, time_machine) -> Licence:  # noqa: F811
    User.objects.filter(pk=crew.approver.pk).update(first_name="Dana", last_name="Seitkali")
    crew.approver.refresh_from_db()
    (licence,) = granted(holder, [factories.rectangle(2, 3)], crew, time_machine)
    return licence


def stored(licence: Licence, version: int = 1) -> bytes:
    with licence.certificate_versions.get(version=version).file.open("rb") as f:
        return f.read()


def upload(client, content: bytes, *, name: str = "certificate.pdf", content_type: str = "application/pdf"):
    return client.post(
        reverse("licensing:verify-upload"), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


# The certificate -----------------------------------------------------------------------


def test_the_stored_certificate_is_signed_and_pyhankos_validator_accepts_it(licence) -> None:
    content = stored(licence)
    reader = PdfFileReader(io.BytesIO(content))
    (embedded,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[signing.signing_key().certificate], allow_fetching=False)
    status = validate_pdf_signature(embedded, context)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # nothing after the signature
    assert status.docmdp_ok is not False and embedded.docmdp_level is not None  # a certification signature
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert status.bottom_line


def test_the_certificate_names_the_authority_the_official_and_the_corners(licence, crew) -> None:
    _reader, text = pdf_text(stored(licence))
    flat = squash(text)
    assert "Dana Seitkali" in text
    for language in ("ru", "kk"):  # the holder's language (Russian here) and Kazakh
        with translation.override(language):
            assert squash(certificate_sections.issuing_authority()) in flat
    # The 2 × 3 rectangle's four corners, in degrees and minutes and in decimal degrees.
    assert grid.code(factories.rectangle(1, 1)[0]) == "N4910E08110"
    rows = certificate_sections.corner_rows(factories.rectangle(2, 3))
    assert len(rows) == 4
    with translation.override("en"):
        assert [r[1:] for r in rows] == [  # clockwise from the north-west corner
            ["1", "49°12′ N", "81°10′ E", "49.200000", "81.166667"],
            ["2", "49°12′ N", "81°13′ E", "49.200000", "81.216667"],
            ["3", "49°10′ N", "81°13′ E", "49.166667", "81.216667"],
            ["4", "49°10′ N", "81°10′ E", "49.166667", "81.166667"],
        ]
    assert "49°10′" in flat and "81°13′" in flat and "81,216667" in flat  # a Russian and a Kazakh part
    assert "demo signing key" in text  # no key is configured in the tests


def test_a_configured_key_signs_and_the_certificate_does_not_say_demo(licence, crew, settings, tmp_path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    write_demo(key, cert)
    settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT = str(key), str(cert)
    settings.CERTIFICATE_SIGNING_DEMO = False
    version = services.certificate_issue(
        actor=crew.registrar, licence=licence, reason=CertificateReason.EXTENSION, now=timezone.now()
    )
    with version.file.open("rb") as f:
        content = f.read()
    assert "Signed with a demo signing key" not in pdf_text(content)[1]
    check = signing.check(content)
    assert check.intact and check.whole_file and check.ours


# /verify/ ------------------------------------------------------------------------------


def test_verify_shows_each_versions_fingerprint_and_the_upload_form(client, licence, crew) -> None:
    services.certificate_issue(
        actor=crew.registrar, licence=licence, reason=CertificateReason.EXTENSION, now=timezone.now()
    )
    page = client.get(reverse("licensing:verify", args=[licence.number])).content.decode()
    for version in licence.certificate_versions.all():
        assert version.sha256 in page
    assert 'for="id_file"' in page and 'enctype="multipart/form-data"' in page
    assert signing.signing_key().fingerprint in page and "demo signing key" in page


def test_an_uploaded_current_certificate_is_genuine_and_current(client, licence) -> None:
    response = upload(client, stored(licence))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Genuine and current." in page and licence.number in page
    assert "Intact, covers the whole file, made with the register's signing key." in page


def test_an_altered_copy_is_refused(client, licence) -> None:
    content = bytearray(stored(licence))
    at = content.index(b"Dala Lithium") if b"Dala Lithium" in content else len(content) // 3
    content[at] ^= 0x01  # one bit of the signed content changed
    response = upload(client, bytes(content))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not genuine: unknown or altered." in page and "Genuine and current." not in page
    assert "Broken: the signed content was changed after signing." in page or "None that can be read." in page


def test_bytes_added_after_signing_are_refused(client, licence) -> None:
    page = upload(client, stored(licence) + b"\n% appended\n").content.decode()
    assert "Not genuine: unknown or altered." in page


def test_a_superseded_version_is_reported_as_superseded(client, licence, crew, time_machine) -> None:
    time_machine.move_to(timezone.now() + timedelta(days=30))
    services.certificate_issue(
        actor=crew.registrar, licence=licence, reason=CertificateReason.EXTENSION, now=timezone.now()
    )
    page = upload(client, stored(licence, 1)).content.decode()
    assert "Genuine, but superseded." in page and "replaced by version 2" in page
    assert "Genuine and current." in upload(client, stored(licence, 2)).content.decode()


@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b"hello, this is not a PDF", "text/plain", 415, "This is not a PDF file."),
        (b"GIF89a not a pdf at all", "application/pdf", 415, "This is not a PDF file."),
        (b"%PDF-1.4 but labelled as text", "text/plain", 415, "This is not a PDF file."),
        (b"", "application/pdf", 400, "The file is empty."),
    ],
    ids=["text", "wrong-magic", "wrong-type", "empty"],
)
def test_bad_uploads_get_a_clear_4xx(client, content, content_type, status, message) -> None:
    response = upload(client, content, content_type=content_type)
    assert response.status_code == status
    page = response.content.decode()
    assert message in page and 'role="alert"' in page and 'href="#id_file"' in page


def test_no_file_and_too_large_files_get_a_clear_4xx(client, settings) -> None:
    response = client.post(reverse("licensing:verify-upload"), {})
    assert response.status_code == 400 and "Choose the certificate file to check." in response.content.decode()
    settings.CERTIFICATE_VERIFY_MAX_BYTES = 1000
    response = upload(client, b"%PDF-1.7\n" + b"0" * 2000)
    assert response.status_code == 413 and "The file is larger than" in response.content.decode()
    # Far over the limit: refused from the request's length, before the body is read.
    response = upload(client, b"%PDF-1.7\n" + b"0" * 200_000)
    assert response.status_code == 413 and "The file is larger than" in response.content.decode()


def test_the_upload_page_is_public_and_keeps_nothing(client, licence, settings, tmp_path) -> None:
    assert client.get(reverse("licensing:verify-upload")).status_code == 200
    spool = tmp_path / "uploads"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # spooled to disk, to see that nothing stays there
    files = {str(p) for p in Path(settings.MEDIA_ROOT).rglob("*")} if Path(settings.MEDIA_ROOT).exists() else set()
    assert "Genuine and current." in upload(client, stored(licence)).content.decode()
    assert list(spool.iterdir()) == []
    after = {str(p) for p in Path(settings.MEDIA_ROOT).rglob("*")} if Path(settings.MEDIA_ROOT).exists() else set()
    assert after == files


# make run ------------------------------------------------------------------------------


def test_make_run_writes_a_demo_signing_key_and_says_so(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CERTIFICATE_SIGNING"))}
    env |= {"DJANGO_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "config.var"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    key, cert = tmp_path / "var" / "signing" / "demo-key.pem", tmp_path / "var" / "signing" / "demo-cert.pem"
    assert key.exists() and cert.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    assert "demo signing key" in done.stdout and "CERTIFICATE_SIGNING_KEY" in done.stdout


def test_the_official_is_named_with_the_post_the_admin_records_in_each_language(holder, crew, time_machine) -> None:  # noqa: F811
    """The job title written for the certificate's languages (Russian and Kazakh here); with none
    written, the capacity of the official's role, translated."""
    (without,) = granted(holder, [factories.rectangle(1, 1)], crew, time_machine)
    _reader, text = pdf_text(stored(without))
    with translation.override("ru"):
        assert squash(certificate_sections._official_title(crew.approver)) in squash(text)
    User.objects.filter(pk=crew.approver.pk).update(
        job_title_ru="Руководитель отдела лицензирования", job_title_kk="Лицензиялау бөлімінің басшысы"
    )
    crew.approver.refresh_from_db()
    (licence,) = granted(holder, [factories.rectangle(1, 1, factories.ORIGIN + 3)], crew, time_machine)
    flat = squash(pdf_text(stored(licence))[1])
    assert squash("Руководитель отдела лицензирования") in flat
    assert squash("Лицензиялау бөлімінің басшысы") in flat
    with translation.override("ru"):
        assert squash(pgettext("official's title", "Approving official, subsoil use licensing")) not in flat


def test_one_address_may_check_only_so_many_certificates(client, licence, settings) -> None:
    """Each check reads a PDF and validates a signature: past the allowance, 429 with Retry-After
    and a clear message, before the file is read; another address is not held back."""
    settings.CERTIFICATE_VERIFY_RATE = "2/hour"
    content = stored(licence)
    assert [upload(client, content).status_code for _ in range(2)] == [200, 200]
    refused = upload(client, content)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many checks from your address." in refused.content.decode()
    # A forged forwarding header is no new address; a real other address is.
    forged = client.post(
        reverse("licensing:verify-upload"),
        {"file": SimpleUploadedFile("c.pdf", content, content_type="application/pdf")},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert forged.status_code == 429
    other = client.post(
        reverse("licensing:verify-upload"),
        {"file": SimpleUploadedFile("c.pdf", content, content_type="application/pdf")},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 200 and "Genuine and current." in other.content.decode()
    assert client.get(reverse("licensing:verify-upload")).status_code == 200  # reading the page is not counted
