"""One format for dates and one for date-times, in every language and on every surface (pages,
notifications, emails, the certificate): "2 December 2026", "2 декабря 2026" (the month in the
genitive), "2026 жылғы 2 желтоқсан" (the month in lower case); times in Astana time, with the zone
stated on receipts and deadlines; never an all-numeric date such as 02/12/2026 or 12/02/2026.
Numbers carry the language's separators, amounts their currency."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from pypdf import PdfReader

from accounts.formatting import format_day, format_kzt, format_moment
from events.channels import render_message
from events.models import Event
from licensing.licences import certificates
from licensing.models import Licence, OpeningReason
from tests.licensing import factories

pytestmark = pytest.mark.django_db

DECEMBER_2 = date(2026, 12, 2)
# 09:05 UTC is 14:05 in Astana (UTC+5).
AT_1405 = datetime(2026, 12, 2, 9, 5, tzinfo=UTC)
# Day, month and year in digits, in any order, with slashes, dots or dashes between: 02/12/2026,
# 12/02/2026, 2.12.2026, 02-12-26. (ISO 8601, 2026-12-02, is only in machine-readable places:
# `<time datetime>`, which the check reads the visible text without.)
ALL_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})\b|\b\d{4}/\d{1,2}/\d{1,2}\b")

GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
KAZAKH = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
]


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "2 December 2026", "2 December 2026, 14:05"),
        ("ru", "2 декабря 2026", "2 декабря 2026, 14:05"),
        ("kk", "2026 жылғы 2 желтоқсан", "2026 жылғы 2 желтоқсан, 14:05"),
    ],
)
def test_one_date_format_and_one_date_time_format_per_language(language: str, day: str, moment: str) -> None:
    with translation.override(language):
        assert format_day(DECEMBER_2) == day
        assert format_day(AT_1405) == day  # a date-time's day, in Astana time
        assert format_day("2026-12-02") == day  # as an event payload stores it
        assert format_moment(AT_1405) == moment
        assert format_moment("2026-12-02T09:05:00+00:00") == moment
        # Django's own |date without a format, and the "short" formats, say the same.
        rendered = Template('{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}')
        assert rendered.render(Context({"d": DECEMBER_2, "t": AT_1405})) == f"{day}|{day}|{moment}"


def test_russian_months_are_genitive_and_kazakh_months_lower_case() -> None:
    for month in range(1, 13):
        with translation.override("ru"):
            assert format_day(date(2027, month, 2)) == f"2 {GENITIVE[month - 1]} 2027"
        with translation.override("kk"):
            assert format_day(date(2027, month, 2)) == f"2027 жылғы 2 {KAZAKH[month - 1]}"


def test_receipts_and_deadlines_say_the_zone_and_pages_carry_iso_in_time_elements() -> None:
    page = Template("{{ t|astana }} / {{ d|day }} / {{ t|moment }}").render(Context({"t": AT_1405, "d": DECEMBER_2}))
    assert page == (
        '<time datetime="2026-12-02T14:05:00+05:00">2 December 2026, 14:05</time> (Astana time) / '
        '<time datetime="2026-12-02">2 December 2026</time> / '
        '<time datetime="2026-12-02T14:05:00+05:00">2 December 2026, 14:05</time>'
    )
    # Plain text (emails, notifications) has the words only.
    text = Template("{{ t|astana }} / {{ d|day }}").render(Context({"t": AT_1405, "d": DECEMBER_2}, autoescape=False))
    assert text == "2 December 2026, 14:05 (Astana time) / 2 December 2026"
    assert Template("{{ nothing|day|default:'—' }}").render(Context({"nothing": None})) == "—"
    # The check the pages are read with finds the dates it forbids.
    assert all(ALL_NUMERIC_DATE.search(d) for d in ("02/12/2026", "12/02/2026", "2.12.2026", "02-12-26", "2026/12/02"))


@pytest.mark.parametrize(
    ("language", "amount"),
    [("en", "4,325,000.50 KZT"), ("ru", "4\xa0325\xa0000,50 тенге"), ("kk", "4\xa0325\xa0000,50 теңге")],
)
def test_amounts_have_the_languages_separators_and_their_currency(language: str, amount: str) -> None:
    with translation.override(language):
        assert format_kzt("4325000.5") == amount
        assert Template("{{ a|kzt }}").render(Context({"a": "4325000.5"})) == amount


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Area fee due by 1 March 2027"),
        ("ru", "1 марта 2027"),
        ("kk", "2027 жылғы 1 наурыз"),
    ],
)
def test_notifications_and_emails_show_payload_dates_in_the_readers_words(language: str, subject: str) -> None:
    event = Event(
        type="obligation.reminder_due",
        occurred_at=AT_1405,
        payload={
            "licence": "KZ-EXP-2026-900001",
            "kind": "rent",
            "licence_year": 1,
            "due_on": "2027-03-01",
            "amount_kzt": "4325000.00",
            "amount_mci": "1200.00",
            "step": "d30",
        },
    )
    message = render_message(event, language)
    assert subject in message.subject and subject.split(" due by ")[-1] in message.text
    assert "2027-03-01" not in message.text and not ALL_NUMERIC_DATE.search(message.text)
    assert "<time" not in message.text  # plain text, not HTML

    lodged = Event(type="application.lodged", occurred_at=AT_1405, payload={"received_at": AT_1405.isoformat()})
    assert "2 December 2026, 14:05 (Astana time)" in render_message(lodged, "en").text


def _page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _visible(html: str) -> str:
    return " ".join(strip_tags(html).split())


@pytest.mark.parametrize(
    ("language", "term", "received"),
    [
        ("en", "24 November 2026 – 24 November 2032", "24 November 2026, 10:00 (Astana time)"),
        ("ru", "24 ноября 2026 – 24 ноября 2032", "24 ноября 2026, 10:00"),
        ("kk", "2026 жылғы 24 қараша – 2032 жылғы 24 қараша", "2026 жылғы 24 қараша, 10:00"),
    ],
)
def test_register_pages_show_dates_in_words_and_never_an_all_numeric_date(
    client, applicant, language: str, term: str, received: str
) -> None:
    owner, org = applicant
    licence = factories.licence_scheduled(org, factories.rectangle(2, 2, factories.ORIGIN + 40))
    application = factories.lodged(owner, org, factories.rectangle(1, 1))  # received now: 24 Nov 2026, 10:00
    opening = factories.opening(
        factories.rectangle(1, 2, factories.ORIGIN + 80), opens_in=timedelta(days=5), reason=OpeningReason.EXPIRED
    )
    pages = {
        "licence": _page(client, reverse("licensing:register-licence", args=[licence.number]), language),
        "verify": _page(client, reverse("licensing:verify", args=[licence.number]), language),
        "application": _page(client, reverse("licensing:register-application", args=[application.reference]), language),
        "applications": _page(client, reverse("licensing:register-applications"), language),
        "openings": _page(client, reverse("licensing:register-openings"), language),
        "licences": _page(client, reverse("licensing:register-licences"), language),
    }
    assert term in _visible(pages["licence"])
    assert received in _visible(pages["application"])
    assert '<time datetime="2026-11-24">' in pages["licence"]  # machine-readable beside the words
    # A deadline with its zone: the window of the ground opening closes at a stated Astana time.
    if language == "en":
        assert format_moment(opening.window_closes_at, zone=True) in _visible(pages["openings"])
        assert "(Astana time)" in format_moment(opening.window_closes_at, zone=True)
    for name, html in pages.items():
        found = ALL_NUMERIC_DATE.search(_visible(html))
        assert found is None, f"{name} ({language}) shows {found.group(0)!r}"


@pytest.mark.parametrize(("language", "granted"), [("ru", "24 ноября 2026"), ("kk", "2026 жылғы 24 қараша")])
def test_the_certificate_shows_dates_in_words_in_each_language(applicant, language: str, granted: str) -> None:
    _owner, org = applicant
    licence = factories.licence_scheduled(org, factories.rectangle(1, 2))
    fresh = Licence.objects.prefetch_related("tenures", "obligations").get(pk=licence.pk)
    pdf = certificates.licence_certificate_pdf(fresh, language)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert granted in text and "2026 жылғы 24 қараша" in text  # the Kazakh part is always there
    assert not ALL_NUMERIC_DATE.search(text)
