import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from documents import services
from documents.models import Document, DocumentStatus
from events.models import Event
from tests.documents import files

pytestmark = pytest.mark.django_db


def _upload(user, name: str, content: bytes, kind: str) -> Document:
    return services.document_upload(actor=user, upload=files.upload(name, content), kind=kind)


def _refused(user, name: str, content: bytes, kind: str) -> str:
    with pytest.raises(ValidationError) as exc:
        _upload(user, name, content, kind)
    assert not Document.objects.exists() and not Event.objects.exists()
    return " ".join(exc.value.messages)


def test_an_empty_file_is_refused_at_once(registrar) -> None:
    assert "empty" in _refused(registrar, "report.pdf", b"", "report")


def test_a_file_over_the_limit_is_refused_at_once(registrar, settings) -> None:
    settings.DOCUMENTS_MAX_BYTES = 1000
    assert "the limit is 1000" in _refused(registrar, "report.pdf", files.pdf() + b" " * 1000, "report")


def test_a_type_not_allowed_for_the_kind_is_refused(registrar) -> None:
    assert "not one of the types allowed" in _refused(registrar, "map.png", files.image(), "report")


def test_a_name_that_lies_about_the_content_is_refused(registrar) -> None:
    assert "ends in “.png” but its content is application/pdf" in _refused(registrar, "map.png", files.pdf(), "map")
    assert "not one of the types allowed" in _refused(registrar, "report.pdf", b"MZ\x90\x00 a Windows program", "map")
    assert "not one of the types allowed" in _refused(registrar, "data.csv", b"name,grade\n\xff\xfe\xfa,1\n", "dataset")


def _checked(user, name: str, content: bytes, kind: str) -> Document:
    document = _upload(user, name, content, kind)
    services.document_check(document_id=document.pk)
    document.refresh_from_db()
    return document


@pytest.mark.parametrize(
    ("name", "content", "kind", "facts"),
    [
        ("report.pdf", files.pdf(3), "report", {"pages": 3}),
        ("map.png", files.image("PNG"), "map", {"width": 40, "height": 30}),
        ("photo.jpg", files.image("JPEG"), "map", {"width": 40, "height": 30}),
        ("data.csv", "name,grade\nБакенное,1.2\n".encode(), "dataset", {"rows": 2}),
        ("data.xlsx", files.xlsx(), "dataset", {"entries": 2}),
        ("blocks.zip", files.shapefile_zip(), "boundary", {"entries": 3}),
        ("blocks.geojson", files.geojson(files.SQUARE_IN_KAZAKHSTAN), "boundary", {"geometries": 1}),
    ],
    ids=["pdf", "png", "jpeg", "csv", "xlsx", "shapefile", "geojson"],
)
def test_good_files_of_every_kind_are_accepted(registrar, name, content, kind, facts) -> None:
    document = _checked(registrar, name, content, kind)
    assert document.status == DocumentStatus.ACCEPTED, document.reasons
    assert document.facts == facts
    assert document.original_name == name and document.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "kind", "reason"),
    [
        ("report.pdf", files.pdf(password="secret"), "report", "encrypted"),
        ("report.pdf", b"%PDF-1.7\nthis is not really a PDF", "report", "cannot be read"),
        ("map.png", files.image("PNG")[:60], "map", "cannot be decoded"),
        ("data.csv", b"name,grade\n", "dataset", "at least one row"),
        ("blocks.zip", files.zip_of({"blocks.shp": b"x", "blocks.shx": b"x"}), "boundary", ".dbf"),
        (
            "blocks.zip",
            files.zip_of({"../../etc/blocks.shp": b"x", "a.shx": b"x", "a.dbf": b"x"}),
            "boundary",
            "outside",
        ),
        ("bomb.zip", files.zip_of({"a.shp": b"\x00" * 20_000_000, "a.shx": b"", "a.dbf": b""}), "boundary", "ZIP bomb"),
        ("blocks.geojson", files.geojson(files.TASHKENT), "boundary", "outside Kazakhstan"),
        ("blocks.geojson", b"{not json", "boundary", "cannot be parsed"),
        (
            "blocks.geojson",
            files.geojson({"type": "LineString", "coordinates": [[70, 48], [71, 48]]}),
            "boundary",
            "Only points",
        ),
    ],
    # Named by file and reason, not by content: an encrypted PDF differs at each collection, and
    # pytest-xdist's workers must collect the same tests.
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_malformed_files_are_rejected_with_a_reason(registrar, name, content, kind, reason) -> None:
    document = _checked(registrar, name, content, kind)
    assert document.status == DocumentStatus.REJECTED
    assert reason in " ".join(document.reasons)


def test_the_same_file_again_is_flagged_as_a_duplicate(registrar) -> None:
    first = _checked(registrar, "report.pdf", files.pdf(), "report")
    second = _checked(registrar, "copy.pdf", files.pdf(), "report")
    assert second.status == DocumentStatus.ACCEPTED and second.duplicate_of == first
    assert Event.objects.filter(type="document.checked").last().payload["duplicate_of"] == str(first.uuid)


def test_the_file_is_stored_under_a_random_name_outside_the_web_root(registrar, settings) -> None:
    document = _upload(registrar, "../../Секретный отчёт.pdf", files.pdf(), "report")
    assert document.original_name == "Секретный отчёт.pdf"
    assert document.uuid.hex in document.file.name and "отчёт" not in document.file.name
    assert str(settings.DOCUMENTS_ROOT) in document.file.path
    assert not document.file.path.startswith(str(settings.STATIC_ROOT))


def test_a_file_left_by_a_rolled_back_transaction_is_removed_by_the_orphan_sweep(registrar) -> None:
    kept = _upload(registrar, "kept.pdf", files.pdf(1), "report")
    with pytest.raises(RuntimeError), transaction.atomic():
        orphan = _upload(registrar, "report.pdf", files.pdf(), "report").file.path
        raise RuntimeError("the caller's transaction fails after the upload")
    assert not Document.objects.exclude(pk=kept.pk).exists()
    assert services.document_files_remove_orphans(older_than_seconds=0) == 1
    assert not os.path.exists(orphan) and os.path.exists(kept.file.path)


def test_a_kind_that_flags_active_content_accepts_the_pdf_and_says_what_it_holds(registrar, monkeypatch) -> None:
    import dataclasses

    from documents import kinds
    from tests.documents import corpus

    flagging = dataclasses.replace(kinds.KINDS["report"], active_content=kinds.ActiveContent.FLAG)
    monkeypatch.setitem(kinds.KINDS, "report", flagging)
    document = _checked(registrar, "report.pdf", corpus.active_pdf(), "report")
    assert document.status == DocumentStatus.ACCEPTED
    assert document.facts == {"pages": 1, "active_content": ["JavaScript", "an action run when it is opened"]}


def test_a_pdf_that_opens_at_its_first_page_is_not_active(registrar) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.open_destination = writer.pages[0]  # /OpenAction [page /Fit], as LaTeX writes
    out = io.BytesIO()
    writer.write(out)
    assert _checked(registrar, "report.pdf", out.getvalue(), "report").status == DocumentStatus.ACCEPTED


def test_a_zip_member_read_stops_at_its_limit() -> None:
    import zipfile

    from documents.checks import CheckFailed, zip_read
    from tests.documents import corpus

    with zipfile.ZipFile(io.BytesIO(corpus.zip_bomb(2))) as archive, pytest.raises(CheckFailed, match="larger than"):
        zip_read(archive, archive.infolist()[0], limit=1024 * 1024)


class _WorkerKilled(BaseException):
    """What the check sees of a worker killed under it (out of memory, hard time limit): nothing
    after this line runs, not even an `except Exception`."""


def test_a_file_that_kills_the_checker_every_time_is_rejected_after_three_runs(registrar, monkeypatch) -> None:
    from documents import checks

    def killed(path: str) -> dict[str, object]:
        raise _WorkerKilled

    monkeypatch.setattr(checks, "check_pdf", lambda path, **kwargs: killed(path))
    document = services.document_upload(actor=registrar, upload=files.upload("report.pdf", files.pdf(1)), kind="report")
    for _ in range(services.MAX_CHECK_ATTEMPTS):
        with pytest.raises(_WorkerKilled):
            services.document_check(document_id=document.pk)
        assert Document.objects.get(pk=document.pk).status == DocumentStatus.PENDING  # retried by the sweeper
    assert services.document_check(document_id=document.pk) == DocumentStatus.REJECTED
    document.refresh_from_db()
    assert document.reasons == ["The file could not be checked: checking it stopped the checker every time."]
    assert document.facts == {"check_error": "stopped"} and document.check_attempts == 4
    assert services.documents_pending(older_than_seconds=0) == []
    assert Event.objects.filter(type="document.checked", subject_id=str(document.pk)).count() == 1
