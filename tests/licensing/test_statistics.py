"""Processing statistics computed on a known history, built through the services.

The history (the conftest starts the clock on Tuesday 24 November 2026, 10:00 Astana):

| application | investor | licence type | path                                                   |
|-------------|----------|--------------|--------------------------------------------------------|
| A           | NL       | exploration  | accepted and noticed at once; granted Fri 25 Dec 2026  |
| B           | NL       | exploration  | accepted late on Thu 3 Dec (due Tue 1 Dec); refused Tue 5 Jan 2027 |
| C           | KZ       | prospecting  | withdrawn Mon 30 Nov 2026                              |
| D           | KZ       | exploration  | accepted at once; still under review                   |

Kazakh public holidays in the span: Wed 16 Dec 2026; Fri 1, Sat 2 and (observed) Mon 4 Jan 2027.
Working days after Tue 24 Nov up to and including:
- Fri 25 Dec (A): 25-27 Nov 3, 30 Nov-4 Dec 5, 7-11 Dec 5, 14-18 Dec 4 (16th off), 21-25 Dec 5 = 22;
- Tue 5 Jan (B): 22 + 28-31 Dec 4 + 5 Jan 1 (1st and 4th off) = 27.
Median of (22, 27) = 24.5; 90th percentile by nearest rank = the ceil(0.9 × 2) = 2nd value = 27.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.drafting import services as drafting_services
from licensing.models import Application, ApplicationState
from licensing.review import services as review_services
from licensing.statistics import charts as statistics_charts
from licensing.statistics import selectors as statistics_selectors
from tests.investors import factories as investor_factories
from tests.licensing import factories

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
    b = review_services.application_publish_notice(actor=crew.reviewer, application=b)  # objections close 2 Jan
    time_machine.move_to(at(2026, 12, 25))
    a = decide(a, crew, "grant")
    time_machine.move_to(at(2027, 1, 5))
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
    assert exploration.median_days == 24.5  # (22 + 27) / 2
    assert exploration.p90_days == 27
    prospecting = row(stats.by_licence_type, "prospecting")
    assert (prospecting.lodged, prospecting.withdrawn, prospecting.decided) == (1, 1, 0)
    assert prospecting.median_days is None and prospecting.p90_days is None
    assert prospecting.within_target_share is None
    mining = row(stats.by_licence_type, "mining")  # no applications: a row of zeros all the same
    assert (mining.lodged, mining.decided, mining.median_days, mining.within_target_share) == (0, 0, None, None)
    assert (stats.total.lodged, stats.total.decided, stats.total.median_days, stats.total.p90_days) == (4, 2, 24.5, 27)


def test_outcomes_and_working_days_by_investor_country(history) -> None:
    stats = statistics_selectors.processing_statistics()
    assert [(r.key, r.label) for r in stats.by_country] == [("KZ", "Kazakhstan"), ("NL", "Netherlands")]
    nl, kz = row(stats.by_country, "NL"), row(stats.by_country, "KZ")
    assert (nl.lodged, nl.granted, nl.refused, nl.median_days, nl.p90_days) == (2, 1, 1, 24.5, 27)
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
    # 8 Jan: B refused on 5 January; D alone is open.
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
    assert "<td>24.5</td><td>27</td><td>50 % (1/2)</td>" in text
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
    assert exploration["median_working_days"] == 24.5 and exploration["p90_working_days"] == 27
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
    "query", [{"since": "yesterday"}, {"since": "2027-01-02", "until": "2027-01-01"}, {"weeks": 0}, {"weeks": 500}]
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
    at_three = queries()
    lodge(6, 3)
    assert queries() == at_three
    assert at_three[0] == 4  # applications, calendar, events, licence types


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
