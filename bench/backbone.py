"""Benchmarks of the Celery backbone (issue: event log, notifications, document checks).

    python bench/backbone.py        (make bench runs it after bench/run.py)

1. Events delivered per second by a real Celery worker process (2 prefork children) on
   the configured broker (Redis with REDIS_URL, else the embedded filesystem broker):
   N `document.checked` events, each delivered in-app and by email (locmem backend),
   timed from the first commit to the last delivery marked sent.
2. The time to check a 50 MB, 1,000-page PDF: the cheap checks and sha256 at upload, and
   the deep check the worker runs.
Results are printed and written to var/bench-backbone.json, not asserted.
"""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from documents import checks, services  # noqa: E402
from documents.models import Document, DocumentStatus  # noqa: E402
from events.models import Delivery, DeliveryStatus  # noqa: E402
from events.services import record_event  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "500"))


def big_pdf(pages: int = 1000, size: int = 49 * 1024 * 1024) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    line = b"0.5 w 10 10 m 585 832 l S\n"
    per_page = (size // pages) // len(line) + 1
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(line * per_page)
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bench_pdf(user: User) -> dict[str, float]:
    content = big_pdf()
    upload = SimpleUploadedFile("survey-report.pdf", content)
    started = time.perf_counter()
    document = services.document_upload(actor=user, upload=upload, kind="report")
    uploaded = time.perf_counter()
    services.document_check(document_id=document.pk)
    checked = time.perf_counter()
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED, document.reasons
    from investors.stamping import stamp_pdf

    stamp_started = time.perf_counter()
    with document.file.open("rb") as handle:
        stamp_pdf(handle, "Confidential · Steppe Metals Investment B.V. · opened 2026-11-23 10:00 UTC")
    stamped = time.perf_counter()
    return {
        "pdf_mb": round(len(content) / 1024 / 1024, 1),
        "pages": document.facts["pages"],
        "upload_s": round(uploaded - started, 3),
        "deep_check_s": round(checked - uploaded, 3),
        "data_room_stamp_s": round(stamped - stamp_started, 3),
    }


def _wait(condition, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not deliver within the time allowed")
        time.sleep(0.1)


def bench_events(user: User, document: Document) -> dict[str, float]:
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "--app",
            "config",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--queues",
            "bench",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(ROOT / "var" / "bench-worker.log").open("w"),
    )
    try:
        # Warm up: one event through the whole path, so the worker's start is not measured.
        with transaction.atomic():
            warm = record_event(actor=None, type="document.checked", subject=document, status="accepted", reasons=[])
        _wait(lambda: Delivery.objects.filter(event=warm, status=DeliveryStatus.SENT).count() == 2)
        before = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        started = time.perf_counter()
        for i in range(EVENTS):
            with transaction.atomic():
                record_event(actor=None, type="document.checked", subject=document, status="accepted", reasons=[], n=i)
        recorded = time.perf_counter()
        _wait(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() >= before + 2 * EVENTS)
        done = time.perf_counter()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "events": EVENTS,
        "record_events_per_s": round(EVENTS / (recorded - started), 1),
        "delivered_events_per_s": round(EVENTS / (done - started), 1),
        "deliveries_per_s": round(2 * EVENTS / (done - started), 1),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(email="bench@example.com")
    pdf = bench_pdf(user)
    document = Document.objects.filter(uploaded_by=user).first()
    events = bench_events(user, document)
    broker = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    print(f"\nbackbone, {django.db.connection.vendor}, {broker} broker")
    print(
        f"  PDF {pdf['pdf_mb']} MB, {pdf['pages']} pages: upload (cheap checks + sha256 + store) {pdf['upload_s']} s, "
        f"deep check {pdf['deep_check_s']} s, data-room stamp on every page {pdf['data_room_stamp_s']} s"
    )
    print(
        f"  {events['events']} events, each in-app + email: recorded {events['record_events_per_s']}/s, "
        f"delivered {events['delivered_events_per_s']} events/s ({events['deliveries_per_s']} deliveries/s)"
    )
    (ROOT / "var" / "bench-backbone.json").write_text(json.dumps({"pdf": pdf, "events": events}, indent=2))


if __name__ == "__main__":
    checks  # noqa: B018 - imported so a broken checks module fails here, not mid-run
    main()
