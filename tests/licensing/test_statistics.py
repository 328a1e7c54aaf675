"""Processing statistics computed on a known history, built through the services.

The history (the conftest starts the clock on Tuesday 24 November 2026, 10:00 Astana):

| application | investor | licence type | path                                                   |
|-------------|----------|--------------|--------------------------------------------------------|
| A           | NL       | exploration  | accepted and noticed at once; granted Fri 25 Dec 2026  |
| B           | NL       | exploration  | accepted late on Thu 3 Dec (due Tue 1 Dec); refused Wed 6 Jan 2027 |
| C           | KZ       | prospecting  | withdrawn Mon 30 Nov 2026                              |
| D           | KZ       | exploration  | accepted at once; still under review                   |

Kazakh public holidays in the span: Wed 16 Dec 2026; Fri 1, Sat 2 and (observed) Mon 4 Jan 2027.
Working days after Tue 24 Nov up to and including:
- Fri 25 Dec (A): 25-27 Nov 3, 30 Nov-4 Dec 5, 7-11 Dec 5, 14-18 Dec 4 (16th off), 21-25 Dec 5 = 22;
- Wed 6 Jan (B): 22 + 28-31 Dec 4 + 5-6 Jan 2 (1st and 4th off) = 28 (its objection period, 30
  days from 3 December, ends on a holiday and so runs to Tuesday 5 January).
Median of (22, 28) = 25; 90th percentile by nearest rank = the ceil(0.9 × 2) = 2nd value = 28.
"""

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.models import Event
from licensing.calendar import calendar_span, working_days_refresh
from licensing.drafting import services as drafting_services
from licensing.models import Application, ApplicationState, CalendarDay, LicenceType, WorkingDay
from licensing.review import services as review_services
from licensing.statistics import charts as statistics_charts
from licensing.statistics import selectors as statistics_selectors
from tests.investors import factories as investor_factories
from tests.licensing import factories, processing_history

S = ApplicationState
ASTANA = ZoneInfo("Asia/Almaty")
pytestmark = pytest.mark.django_db
STATISTICS = "/statistics/"
API = "/api/v1/statistics/"


@dataclass
class History:
    granted: Application
    refused: Application
    withdrawn: Application
    pending: Application


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=ASTANA)


def decide(application: Application, crew: factories.Officials, decision: str) -> Application:
    application = review_services.application_close_objections(actor=crew.reviewer, application=application)
    review_services.application_assess(
        actor=crew.reviewer, application=application, programme_adequate=True, financially_capable=True
    )
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation=decision, reasons="ok"
    )
    return review_services.application_decide(actor=crew.approver, application=application, decision=decision)


@pytest.fixture
def history(make_user, crew, time_machine) -> History:
    from accounts.roles import Role

    nl_owner, kz_owner = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    nl = investor_factories.verified_organisation(
        nl_owner, crew.registrar, legal_name="Polder Metals B.V.", country="NL"
    )
    kz = investor_factories.verified_organisation(
        kz_owner, crew.registrar, legal_name="Dala Minerals LLP", country="KZ"
    )
    # Tuesday 24 November 2026, 10:00: all four lodged, in office hours (received at once).
    a = factories.lodged(nl_owner, nl, factories.rectangle(1, 1))
    b = factories.lodged(nl_owner, nl, factories.rectangle(1, 1, factories.ORIGIN + 3))
    c = factories.lodged(kz_owner, kz, factories.rectangle(1, 1, factories.ORIGIN + 6), code="prospecting")
    d = factories.lodged(kz_owner, kz, factories.rectangle(1, 1, factories.ORIGIN + 9))
    review_services.application_accept(actor=crew.reviewer, application=a)
    a = review_services.application_publish_notice(actor=crew.reviewer, application=a)  # objections close 24 Dec
    review_services.application_accept(actor=crew.reviewer, application=d)
    time_machine.move_to(at(2026, 11, 30))
    c = drafting_services.application_withdraw(actor=kz_owner, application=c)
    time_machine.move_to(at(2026, 12, 3))  # B's completeness check was due on 1 December: late
    b = review_services.application_accept(actor=crew.reviewer, application=b)
    b = review_services.application_publish_notice(actor=crew.reviewer, application=b)  # objections close 2 Jan, a
    # holiday: the period runs to the next working day, 5 January
    time_machine.move_to(at(2026, 12, 25))
    a = decide(a, crew, "grant")
    time_machine.move_to(at(2027, 1, 6))
    b = decide(b, crew, "refuse")
    return History(granted=a, refused=b, withdrawn=c, pending=Application.objects.get(pk=d.pk))


def row(rows: list[statistics_selectors.OutcomeRow], key: str) -> statistics_selectors.OutcomeRow:
    return next(r for r in rows if r.key == key)


# The numbers -----------------------------------------------------------------------------


def test_outcomes_and_working_days_by_licence_type(history) -> None:
    stats = statistics_selectors.processing_statistics()
    assert [r.key for r in stats.by_licence_type] == ["exploration", "mining", "prospecting"]  # published order
    exploration = row(stats.by_licence_type, "exploration")
    assert (exploration.lodged, exploration.granted, exploration.refused, exploration.pending) == (3, 1, 1, 1)
    assert (exploration.withdrawn, exploration.lapsed, exploration.decided) == (0, 0, 2)
    assert exploration.median_days == 25  # (22 + 28) / 2
    assert exploration.p90_days == 28
    prospecting = row(stats.by_licence_type, "prospecting")
    assert (prospecting.lodged, prospecting.withdrawn, prospecting.decided) == (1, 1, 0)
    assert prospecting.median_days is None and prospecting.p90_days is None
    assert prospecting.within_target_share is None
    mining = row(stats.by_licence_type, "mining")  # no applications: a row of zeros all the same
    assert (mining.lodged, mining.decided, mining.median_days, mining.within_target_share) == (0, 0, None, None)
    assert (stats.total.lodged, stats.total.decided, stats.total.median_days, stats.total.p90_days) == (4, 2, 25, 28)


def test_outcomes_and_working_days_by_investor_country(history) -> None:
    stats = statistics_selectors.processing_statistics()
    assert [(r.key, r.label) for r in stats.by_country] == [("KZ", "Kazakhstan"), ("NL", "Netherlands")]
    nl, kz = row(stats.by_country, "NL"), row(stats.by_country, "KZ")
    assert (nl.lodged, nl.granted, nl.refused, nl.median_days, nl.p90_days) == (2, 1, 1, 25, 28)
    assert (kz.lodged, kz.withdrawn, kz.pending, kz.decided, kz.median_days) == (2, 1, 1, 0, None)


def test_within_target_counts_decisions_with_no_stage_past_its_target(history) -> None:
    # A met every target (the objection period is the public's, not a target); B's completeness
    # check was due on 1 December and done on the 3rd.
    assert Application.objects.get(pk=history.granted.pk).late_stages == 0
    assert Application.objects.get(pk=history.refused.pk).late_stages == 1
    stats = statistics_selectors.processing_statistics()
    nl, exploration = row(stats.by_country, "NL"), row(stats.by_licence_type, "exploration")
    assert (nl.within_target, nl.decided, nl.within_target_share) == (1, 2, 0.5)
    assert (exploration.within_target, exploration.within_target_percent) == (1, 50.0)
    assert row(stats.by_country, "KZ").within_target_share is None  # nothing decided


def test_backlog_by_stage_at_the_end_of_each_week(history) -> None:
    backlog = statistics_selectors.processing_statistics(until=date(2027, 1, 8), weeks=7).backlog
    assert [p.as_at for p in backlog] == [
        date(2026, 11, 27),
        date(2026, 12, 4),
        date(2026, 12, 11),
        date(2026, 12, 18),
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 1, 8),
    ]
    open_states = {p.as_at: {s: n for s, n in p.by_state.items() if n} for p in backlog}
    # 27 Nov: B and C lodged, D under review, A in its objection period.
    assert open_states[date(2026, 11, 27)] == {"lodged": 2, "under_review": 1, "objection_period": 1}
    # 4 Dec: C withdrawn (30 Nov); B noticed (3 Dec).
    assert open_states[date(2026, 12, 4)] == {"under_review": 1, "objection_period": 2}
    # 25 Dec: A granted that morning.
    assert open_states[date(2026, 12, 25)] == {"under_review": 1, "objection_period": 1}
    # 8 Jan: B refused on 6 January; D alone is open.
    assert open_states[date(2027, 1, 8)] == {"under_review": 1}
    assert [p.total for p in backlog] == [4, 3, 3, 3, 2, 2, 1]


def test_a_window_counts_only_the_applications_received_in_it(history, make_user, crew, time_machine) -> None:
    owner, org = factories.applicant(make_user, crew.registrar, "Later Lithium LLP")
    factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 12))  # received 5 January 2027
    assert statistics_selectors.processing_statistics().total.lodged == 5
    window = statistics_selectors.processing_statistics(since=date(2027, 1, 1), until=date(2027, 1, 31))
    assert (window.total.lodged, window.total.pending, window.total.decided) == (1, 1, 0)
    earlier = statistics_selectors.processing_statistics(until=date(2026, 12, 31))
    assert (earlier.total.lodged, earlier.total.decided) == (4, 2)


# The page, the API, the home page ---------------------------------------------------------------


def test_the_page_shows_the_numbers_in_tables_and_charts(client, history) -> None:
    response = client.get(STATISTICS)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('<svg class="chart-svg" viewBox=') == 2
    assert 'role="img"' in text and "<title>" in text and "<desc " in text
    assert '<th scope="row">Exploration licence (solid minerals)</th><td>3</td><td>1</td><td>1</td>' in text
    assert "<td>25</td><td>28</td><td>50 % (1/2)</td>" in text
    assert '<th scope="row">Netherlands</th><td>2</td>' in text
    assert "Open applications by stage at the end of each week" in text


def test_the_page_is_translated(client, history) -> None:
    client.post("/i18n/setlang/", {"language": "ru", "next": STATISTICS})
    text = client.get(STATISTICS).content.decode()
    assert "Нидерланды" in text  # the country name, in the language of the page


def test_the_api_returns_the_same_numbers(client, history) -> None:
    response = client.get(API, {"until": "2027-01-08", "weeks": 7})
    assert response.status_code == 200
    body = response.json()
    exploration = next(r for r in body["by_licence_type"] if r["key"] == "exploration")
    assert exploration["lodged"] == 3 and exploration["granted"] == 1 and exploration["refused"] == 1
    assert exploration["median_working_days"] == 25 and exploration["p90_working_days"] == 28
    assert exploration["within_target"] == 1 and exploration["within_target_share"] == 0.5
    assert [r["key"] for r in body["by_country"]] == ["KZ", "NL"]
    assert body["total"]["lodged"] == 4
    assert body["backlog"][0] == {
        "as_at": "2026-11-27",
        "by_state": {
            "lodged": 2,
            "under_review": 1,
            "info_requested": 0,
            "objection_period": 1,
            "assessment": 0,
            "screening": 0,
            "recommended": 0,
        },
        "total": 4,
    }


@pytest.mark.parametrize("url", [STATISTICS, API])
@pytest.mark.parametrize(
    "query",
    [
        {"since": "yesterday"},
        {"since": "2027-01-02", "until": "2027-01-01"},
        {"weeks": 0},
        {"weeks": 500},
        # The backlog counted back before the year 1, or on to the day after 9999-12-31: 500 before
        # (found by schemathesis).
        {"since": "0001-01-01", "until": "0001-01-01", "weeks": 100},
        {"until": "9999-12-31"},
    ],
)
def test_a_malformed_window_is_refused(client, url, query) -> None:
    response = client.get(url, query)
    assert response.status_code == 400
    if url == API:
        assert set(response.json()["errors"]) <= {"since", "until", "weeks", "non_field_errors"}


def test_home_shows_headline_figures(client, history) -> None:
    response = client.get("/")
    figures = response.context["processing"]
    assert (figures.in_progress, figures.lodged, figures.granted, figures.decided) == (1, 4, 1, 2)
    assert figures.within_target_percent == 50
    assert 'href="/statistics/"' in response.content.decode()


def test_queries_do_not_grow_with_the_number_of_applications(client, make_user, crew, time_machine) -> None:
    owner, org = factories.applicant(make_user, crew.registrar)

    def lodge(count: int, offset: int) -> None:
        for n in range(count):
            application = factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * (offset + n)))
            if n == 0:
                drafting_services.application_withdraw(actor=owner, application=application)

    def queries() -> list[int]:
        counts = []
        for call in (
            lambda: statistics_selectors.processing_statistics(cached=False),
            lambda: client.get(STATISTICS),
            lambda: client.get(API),
            lambda: client.get("/"),
        ):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                call()
            counts.append(len(captured.captured_queries))
        return counts

    lodge(3, 0)
    queries()  # on PostgreSQL, the first count keeps the past days' backlog (BacklogSnapshot)
    at_three = queries()
    lodge(6, 3)
    assert queries() == at_three
    if connection.vendor == "postgresql":
        assert at_three[0] == 4  # outcomes, the past days' backlog, the applications open now, licence types
    else:
        assert at_three[0] == 4  # applications, calendar, events, licence types


# In the database and in Python: the same numbers ------------------------------------------------


def test_the_numbers_follow_a_change_of_the_government_calendar(history) -> None:
    """The numbered working days are refreshed when the government's table changes, whoever
    changed it: B's 28 working days lose one when 31 December becomes a day off."""
    before = statistics_selectors.processing_statistics(cached=False).total
    assert (before.median_days, before.p90_days) == (25, 28)
    moved = CalendarDay.objects.create(date=date(2026, 12, 31), is_working_day=False, name="Moved day off")
    after = statistics_selectors.processing_statistics(cached=False).total
    assert (after.median_days, after.p90_days) == (24.5, 27)  # (22 + 27) / 2
    moved.delete()
    again = statistics_selectors.processing_statistics(cached=False).total
    assert (again.median_days, again.p90_days) == (25, 28)


def test_numbered_working_days_count_as_the_calendar_does() -> None:
    from config import settings as base
    from licensing import tasks

    assert base.CELERY_BEAT_SCHEDULE["licensing-working-days"]["task"] == "licensing.tasks.number_working_days"
    assert tasks.number_working_days() > 0  # daily, as beat runs it
    assert working_days_refresh() == 0  # up to date: nothing written
    numbers = dict(WorkingDay.objects.values_list("date", "number"))
    assert numbers[date(2027, 1, 5)] - numbers[date(2026, 11, 24)] == 27  # as the module docstring counts
    assert min(numbers) == date(2000, 1, 1) and max(numbers) == date(2027, 12, 31)  # to the end of next year
    CalendarDay.objects.create(date=date(2027, 1, 2), is_working_day=True, name="Worked Saturday")
    renumbered = working_days_refresh()
    assert renumbered == (date(2027, 12, 31) - date(2027, 1, 2)).days + 1  # the days before it keep their numbers
    numbers = dict(WorkingDay.objects.values_list("date", "number"))
    assert numbers[date(2027, 1, 5)] - numbers[date(2026, 11, 24)] == 28
    calendar = calendar_span(date(2025, 1, 1), date(2027, 12, 31))
    for start, end in [(date(2025, 3, 20), date(2025, 3, 24)), (date(2026, 12, 15), date(2027, 1, 8))]:
        assert numbers[end] - numbers[start] == calendar.between(start, end)


@pytest.fixture
def varied_history(make_user, crew, time_machine) -> list[processing_history.Path]:
    """120 applications from five countries and three licence types lodged from June 2026 to
    March 2027 at any hour of any day, through the holidays (16 December; 1, 2 and 7 January;
    8 March; Nauryz), with two days the government moved; written with the ORM."""
    from accounts.roles import Role

    owner = make_user(Role.INVESTOR)
    organisations = [
        investor_factories.organisation(owner, country=country, registration_number=f"{country}-{n}")
        for n, country in enumerate(["KZ", "KZ", "NL", "CN", "AU", "CA"])
    ]
    CalendarDay.objects.create(date=date(2026, 12, 31), is_working_day=False, name="Moved day off")
    CalendarDay.objects.create(date=date(2026, 12, 19), is_working_day=True, name="Worked Saturday")
    end = datetime(2027, 3, 26, 15, 0, tzinfo=ASTANA)
    time_machine.move_to(end)
    calendar = calendar_span(date(2026, 5, 1), date(2027, 5, 1))
    paths = processing_history.paths(
        count=120, start=datetime(2026, 6, 1, tzinfo=ASTANA), end=end, calendar=calendar, seed=7
    )
    types = list(LicenceType.objects.order_by("code"))
    applications = Application.objects.bulk_create(
        Application(
            organisation=organisations[n % len(organisations)],
            licence_type=types[n % len(types)],
            title=f"Generated {n}",
            region="east_kazakhstan",
            state=path.state,
            created_by=owner,
            priority_number=1000 + n,
            lodged_at=path.lodged_at,
            received_at=path.received_at,
            decided_at=path.decided_at,
            late_stages=path.late_stages,
        )
        for n, path in enumerate(paths)
    )
    for application, path in zip(applications, paths, strict=True):
        application.updated_at = path.updated_at
    Application.objects.bulk_update(applications, ["updated_at"])
    subject_type = ContentType.objects.get_for_model(Application)
    changes = sorted(
        (when, kind, str(application.pk), payload)
        for application, path in zip(applications, paths, strict=True)
        for kind, when, payload in path.changes
    )
    Event.objects.bulk_create(
        Event(
            type=kind,
            occurred_at=when,
            subject_type=subject_type,
            subject_id=subject,
            payload=payload,
            prev_hash="",
            hash=uuid.uuid4().hex * 2,
        )
        for when, kind, subject, payload in changes
    )
    return paths


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("since", "until", "weeks"),
    [(None, date(2027, 3, 26), 52), (date(2026, 10, 1), date(2027, 1, 15), 13), (None, date(2026, 12, 31), 104)],
)
def test_the_database_counts_as_python_does(varied_history, since, until, weeks) -> None:
    decided = [p for p in varied_history if p.decided_at is not None]
    days_off = calendar_span(date(2026, 5, 1), date(2027, 5, 1))
    # The history is varied enough to tell: decisions on days off and at night (another day in
    # UTC), lodgements on days off, every outcome, applications still open in every week.
    states = {p.state for p in varied_history}
    assert len(decided) > 30 and {S.GRANTED, S.REFUSED, S.WITHDRAWN, S.LAPSED} <= states
    assert len(states & {S.LODGED, S.UNDER_REVIEW, S.OBJECTION_PERIOD, S.ASSESSMENT, S.RECOMMENDED}) >= 3
    assert any(not days_off.is_working_day(timezone.localdate(p.decided_at)) for p in decided)
    assert any(timezone.localdate(p.decided_at) != p.decided_at.astimezone(ZoneInfo("UTC")).date() for p in decided)
    assert any(not days_off.is_working_day(timezone.localdate(p.lodged_at)) for p in varied_history)

    in_database = statistics_selectors._numbers_in_database(since, until, weeks)
    in_python = statistics_selectors._numbers_in_python(since, until, weeks)
    assert in_database == in_python
    assert in_database.total.decided > 10 and in_database.total.median_days and in_database.total.p90_days
    assert max(point.total for point in in_database.backlog) > 10
    assert len({row.median_days for row in in_database.by_country}) > 2  # the countries differ


@pytest.mark.postgres
def test_the_database_counts_as_python_does_with_nothing_decided(make_user, crew) -> None:
    until = timezone.localdate()
    assert statistics_selectors._numbers_in_database(None, until, 4) == statistics_selectors._numbers_in_python(
        None, until, 4
    )


# The shared cache ----------------------------------------------------------------------------


def test_the_numbers_are_cached_until_the_next_event(history, django_assert_num_queries) -> None:
    stats = statistics_selectors.processing_statistics()
    key = statistics_selectors.statistics_cache_key(since=None, until=timezone.localdate(), weeks=26)
    assert caches["default"].get(key) == stats  # Django's default cache: Redis when REDIS_URL is set
    with django_assert_num_queries(1):  # the last event, for the key
        assert statistics_selectors.processing_statistics() == stats
    # Any change records an event: the next reader counts again, and sees it.
    drafting_services.application_withdraw(actor=history.pending.created_by, application=history.pending)
    assert statistics_selectors.processing_statistics().total.withdrawn == stats.total.withdrawn + 1


def test_each_language_has_its_own_entry(history, django_assert_num_queries) -> None:
    english = statistics_selectors.processing_statistics()
    with translation.override("ru"):
        russian = statistics_selectors.processing_statistics()
        with django_assert_num_queries(1):
            assert statistics_selectors.processing_statistics() == russian
    assert row(english.by_country, "NL").label == "Netherlands" and row(russian.by_country, "NL").label == "Нидерланды"
    assert replace_labels(english) == replace_labels(russian)


def replace_labels(stats: statistics_selectors.ProcessingStatistics) -> list[tuple[str, int, float | None]]:
    return [(r.key, r.lodged, r.median_days) for r in [stats.total, *stats.by_licence_type, *stats.by_country]]


def test_a_cached_page_and_api_answer_read_one_row(client, history) -> None:
    pages = {}
    for url in (STATISTICS, API):
        first = client.get(url).content.decode()
        with CaptureQueriesContext(connection) as captured:
            again = client.get(url)
        assert again.status_code == 200
        assert [q["sql"].split(" FROM ")[1].split()[0] for q in captured.captured_queries] == ['"events_event"']
        pages[url] = (first, again.content.decode())
    # The page keeps what it rendered with the numbers: the same tables, not drawn again.
    first, again = pages[STATISTICS]
    numbers = again[again.find('<p class="meta">') :]  # past the page's nonce and token
    assert numbers in first and "<td>25</td><td>28</td>" in numbers


@pytest.mark.redis
def test_another_process_is_served_from_the_same_cache(history) -> None:
    assert isinstance(caches["default"], RedisCache)
    stats = statistics_selectors.processing_statistics()
    key = statistics_selectors.statistics_cache_key(since=None, until=timezone.localdate(), weeks=26)
    # A process of its own, as another gunicorn worker: it reads the entry this one stored.
    program = (
        "import sys, django; django.setup(); from django.core.cache import cache; "
        "stats = cache.get(sys.argv[1]); print(stats.total.lodged, stats.total.median_days)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program, key],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert ran.stdout.split() == [str(stats.total.lodged), str(stats.total.median_days)]


# Helpers -----------------------------------------------------------------------------------


def test_median_and_nearest_rank_percentile() -> None:
    assert statistics_selectors.median([]) is None and statistics_selectors.nearest_rank([], 90) is None
    assert statistics_selectors.median([5, 1, 3]) == 3 and statistics_selectors.median([1, 2, 3, 10]) == 2.5
    values = list(range(1, 11))  # 1 … 10: 90 % of them are 9 or less
    assert statistics_selectors.nearest_rank(values, 90) == 9
    assert statistics_selectors.nearest_rank([4], 90) == 4
    assert statistics_selectors.nearest_rank(list(range(1, 12)), 90) == 10  # ceil(9.9) = 10th


def test_charts_scale_to_the_largest_value() -> None:
    assert [statistics_charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 60, 101)] == [1, 1, 5, 10, 20, 100, 200]
    point = statistics_selectors.BacklogPoint(as_at=date(2026, 11, 27), by_state={"lodged": 3, "assessment": 2})
    chart = statistics_charts.backlog_chart([point])
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4, 5]
    heights = [s.height for s in chart.columns[0].segments]
    assert heights[0] == pytest.approx(heights[1] * 3 / 2)
    assert chart.columns[0].segments[-1].y == pytest.approx(chart.top)  # 5 of 5 reaches the top


@pytest.mark.postgres
def test_the_backlog_of_days_over_is_kept_and_agrees_with_counting_afresh(history, time_machine) -> None:
    """A past day's backlog never changes: counted once, kept (BacklogSnapshot), read after; the
    day not yet over is the applications open now. Both agree with counting from the events."""
    from licensing.models import BacklogSnapshot
    from licensing.statistics import in_database

    today = timezone.localdate()
    counted = in_database.backlog(until=today, weeks=7)
    assert BacklogSnapshot.objects.count() == 6  # the six weeks' days over; today is not
    with CaptureQueriesContext(connection) as captured:
        kept = in_database.backlog(until=today, weeks=7)
    assert kept == counted and len(captured.captured_queries) == 2  # the snapshots, the open applications
    assert "events_event" not in " ".join(q["sql"] for q in captured.captured_queries)
    # The next day: today is over and kept with what happened today; the new day counts afresh.
    factories.lodged(history.granted.organisation.memberships.first().user, history.granted.organisation,
                     factories.rectangle(1, 1, factories.ORIGIN + 30))  # fmt: skip
    time_machine.move_to(timezone.now() + timedelta(days=7))
    later = timezone.localdate()
    fresh = in_database._backlog_counted(*in_database.backlog_moments(later, 8))
    assert in_database.backlog(until=later, weeks=8) == fresh  # fills the missing day(s)
    assert in_database.backlog(until=later, weeks=8) == fresh  # read from the snapshots
    assert fresh[-1].by_state["lodged"] == counted[-1].by_state["lodged"] + 1


@pytest.mark.postgres
def test_the_beat_keeps_the_days_window_before_its_first_reader(history) -> None:
    from config import settings as base
    from licensing import tasks
    from licensing.models import BacklogSnapshot

    assert base.CELERY_BEAT_SCHEDULE["licensing-backlog"]["task"] == "licensing.tasks.keep_backlog"
    assert tasks.keep_backlog() == 104
    assert BacklogSnapshot.objects.count() == 103  # every day of the window but today
    with CaptureQueriesContext(connection) as captured:
        statistics_selectors.processing_statistics(cached=False)  # 26 weeks: a part of that window
    assert "events_event" not in " ".join(q["sql"] for q in captured.captured_queries)
