"""Lists that grow with the register: the workbench's queues and the investor's lists say how many
rows they hold and page through them (filters kept in the links, a page's queries the same
whatever the count), and the public registers find licences by number and holder by index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from licensing.domain import grid
from licensing.drafting import views as drafting_views
from licensing.ground import selectors as ground_selectors
from licensing.licences import ledger_views
from licensing.licences.selectors import RegisterQuery, register_licences
from licensing.models import Application, ApplicationState, Objection, TitleChange, TitleChangeKind, TitleChangeState
from licensing.review import views as review_views
from licensing.titles import views as title_views
from tests.deposits.factories import DepositFactory
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db
S = ApplicationState


def queued(owner, organisation, count: int, state: str = S.UNDER_REVIEW) -> list[Application]:
    """Open applications written straight to the table, as lodgement and acceptance leave them
    (without claims): the stage of the first falls due tomorrow, of each next one a day later."""
    start = (Application.objects.order_by("-priority_number").values_list("priority_number", flat=True).first()) or 0
    now, today = timezone.now(), timezone.localdate()
    rows = [
        Application(
            organisation=organisation,
            licence_type=factories.licence_type(),
            title=f"Queued {start + n + 1}",
            region="east_kazakhstan",
            state=state,
            created_by=owner,
            priority_number=start + n + 1,
            lodged_at=now,
            received_at=now,
            stage_due_on=today + timedelta(days=start + n + 1),
        )
        for n in range(count)
    ]
    Application.objects.bulk_create(rows)
    return list(Application.objects.filter(priority_number__gt=start).order_by("priority_number"))


def case_links(page: str) -> int:
    return page.count('href="/workbench/applications/')


# The workbench ---------------------------------------------------------------------------


def test_the_queue_says_how_many_wait_and_pages_through_them(client, applicant, crew, monkeypatch) -> None:
    monkeypatch.setattr(review_views, "QUEUE_PAGE_SIZE", 3)
    owner, org = applicant
    waiting = queued(owner, org, 7)
    client.force_login(crew.reviewer)
    first = client.get(reverse("licensing:workbench")).content.decode()
    assert "Showing 1 to 3 of 7" in first and "Page 1 of 3" in first
    assert [a.reference in first for a in waiting] == [True] * 3 + [False] * 4  # most urgent first
    assert case_links(first) == 3
    assert 'href="?page=2" rel="next"' in first
    second = client.get(reverse("licensing:workbench"), {"page": 2}).content.decode()
    assert "Showing 4 to 6 of 7" in second
    assert [a.reference in second for a in waiting] == [False] * 3 + [True] * 3 + [False]
    last = client.get(reverse("licensing:workbench"), {"page": 3}).content.decode()
    assert waiting[6].reference in last and case_links(last) == 1 and 'rel="next"' not in last
    beyond = client.get(reverse("licensing:workbench"), {"page": 99}).content.decode()
    assert waiting[6].reference in beyond  # a page past the end shows the last one


def test_a_queue_filter_survives_paging(client, applicant, crew, monkeypatch) -> None:
    monkeypatch.setattr(review_views, "QUEUE_PAGE_SIZE", 3)
    owner, org = applicant
    reviewing = queued(owner, org, 4)
    assessing = queued(owner, org, 4, state=S.ASSESSMENT)
    client.force_login(crew.reviewer)
    first = client.get(reverse("licensing:workbench"), {"stage": S.ASSESSMENT}).content.decode()
    assert "Showing 1 to 3 of 4" in first
    assert 'href="?stage=assessment&amp;page=2" rel="next"' in first
    second = client.get(reverse("licensing:workbench"), {"stage": S.ASSESSMENT, "page": 2}).content.decode()
    assert assessing[3].reference in second and case_links(second) == 1
    assert not any(a.reference in first + second for a in reviewing)
    assert "Open: 8" in second  # the queues' counts stay whole


def test_a_queue_page_runs_the_same_queries_for_3_and_60_cases(client, applicant, crew) -> None:
    owner, org = applicant
    client.force_login(crew.reviewer)

    def page(number: int = 1) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("licensing:workbench"), {"page": number})
            assert response.status_code == 200
        return len(queries), case_links(response.content.decode())

    queued(owner, org, 3)
    page()  # warm the per-process caches (content types, the session)
    few, shown = page()
    assert shown == 3
    queued(owner, org, 57)
    assert page() == (few, review_views.QUEUE_PAGE_SIZE)
    assert page(3) == (few, 60 - 2 * review_views.QUEUE_PAGE_SIZE)


def test_every_change_of_title_is_paged_with_the_choice_kept(client, applicant, crew, monkeypatch) -> None:
    monkeypatch.setattr(title_views, "PAGE_SIZE", 2)
    owner, org = applicant
    for n in range(3):
        licence = factories.licence_held(org, [factories.ORIGIN + 3 * n])
        TitleChange.objects.create(
            number=f"TC-2026-{n + 1:06d}",
            licence=licence,
            kind=TitleChangeKind.SURRENDER,
            state=TitleChangeState.APPROVED,
            holder=org,
            lodged_by=owner,
            lodged_at=timezone.now() - timedelta(days=n),
        )
    client.force_login(crew.reviewer)
    url = reverse("licensing:workbench-title-changes")
    assert "Nothing waits here." in client.get(url).content.decode()  # decided: not open
    first = client.get(url, {"all": "on"}).content.decode()
    assert "Showing 1 to 2 of 3" in first and 'href="?all=on&amp;page=2" rel="next"' in first
    second = client.get(url, {"all": "on", "page": 2}).content.decode()
    assert "Showing 3 to 3 of 3" in second and second.count('href="/workbench/title-changes/TC-') == 1


def test_the_openings_are_paged_and_counted(client, crew, monkeypatch) -> None:
    monkeypatch.setattr(review_views, "QUEUE_PAGE_SIZE", 2)
    for n in range(3):
        factories.opening([factories.ORIGIN + 3 * n, factories.ORIGIN + 3 * n + 1], opens_in=timedelta(days=n + 1))
    client.force_login(crew.reviewer)
    first = client.get(reverse("licensing:workbench-openings")).content.decode()
    assert "Showing 1 to 2 of 3" in first
    second = client.get(reverse("licensing:workbench-openings"), {"page": 2}).content.decode()
    assert "Showing 3 to 3 of 3" in second and ">2</td>" in second  # its two blocks, counted


# The investor's lists ------------------------------------------------------------------


def test_the_investors_applications_are_paged(client, applicant, monkeypatch) -> None:
    monkeypatch.setattr(drafting_views, "PAGE_SIZE", 2)
    owner, org = applicant
    mine = queued(owner, org, 3)
    client.force_login(owner)
    first = client.get(reverse("licensing:application-list")).content.decode()
    assert "Showing 1 to 2 of 3" in first and "Start an application" in first
    second = client.get(reverse("licensing:application-list"), {"page": 2}).content.decode()
    shown = [a.reference for a in mine if a.reference in second]
    assert len(shown) == 1 and shown[0] not in first


def test_the_investors_licences_are_paged_with_the_same_queries(client, applicant, monkeypatch) -> None:
    monkeypatch.setattr(ledger_views, "PAGE_SIZE", 2)
    owner, org = applicant
    client.force_login(owner)

    def page(number: int = 1) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("licensing:holder-licences"), {"page": number})
            assert response.status_code == 200
        return len(queries), response.content.decode()

    for n in range(2):
        factories.licence_scheduled(org, [factories.ORIGIN + 3 * n])
    page()
    few, first = page()
    assert "Showing 1 to 2 of 2" in first
    for n in range(2, 7):
        factories.licence_scheduled(org, [factories.ORIGIN + 3 * n])
    count, first = page()
    assert count == few and "Showing 1 to 2 of 7" in first and "Page 1 of 4" in first
    assert page(4)[0] == few and "Showing 7 to 7 of 7" in page(4)[1]


# The public registers --------------------------------------------------------------------


def test_the_register_finds_a_licence_by_its_number_whole_or_its_beginning(client, applicant, crew) -> None:
    owner, org = applicant
    other = investor_factories.verified_organisation(
        owner, crew.registrar, legal_name="ТОО «Дала Вольфрам»", legal_name_latin="Dala Tungsten LLP"
    )
    held = [factories.licence_held(org, [factories.ORIGIN + 3 * n]) for n in range(3)]
    dala = factories.licence_held(other, [factories.ORIGIN + 30])

    def numbers(q: str) -> set[str]:
        response = client.get(reverse("licensing:register-licences"), {"q": q})
        assert response.status_code == 200
        return {licence.number for licence in [*held, dala] if licence.number in response.content.decode()}

    assert numbers(held[1].number) == {held[1].number}
    assert numbers(held[1].number.lower()) == {held[1].number}
    beginning = held[1].number[:-1]
    assert held[1].number in numbers(f"  {beginning} ")  # its beginning, spaces trimmed
    assert numbers(beginning) == {
        n for n in (*[licence.number for licence in held], dala.number) if n.startswith(beginning)
    }
    assert numbers("KZ-EXP-2026-9") == {licence.number for licence in [*held, dala]}
    assert numbers("tungsten") == {dala.number}  # any part of the holder's name
    assert numbers("Дала") == {dala.number}  # in Cyrillic too
    assert numbers("Steppe") == {licence.number for licence in held}


def test_the_register_of_applications_counts_each_rows_objections(client, applicant, crew, make_user) -> None:
    owner, org = applicant
    objector = make_user()

    def page() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("licensing:register-applications"))
            assert response.status_code == 200
        return len(queries), response.content.decode()

    def objected(applications: list[Application], times: int) -> None:
        for application in applications:
            for _ in range(times):
                Objection.objects.create(application=application, lodged_by=objector, grounds="Overlaps our camp.")

    objected(queued(owner, org, 2, state=S.OBJECTION_PERIOD), 2)
    page()
    few, shown = page()
    assert shown.count('<td class="numeric">2</td>') == 2
    objected(queued(owner, org, 8, state=S.OBJECTION_PERIOD), 3)
    count, shown = page()
    assert count == few
    assert shown.count('<td class="numeric">3</td>') == 8 and shown.count('<td class="numeric">2</td>') == 2


# Indexes (PostgreSQL) --------------------------------------------------------------------


def plans(call) -> str:
    """The plans PostgreSQL would run the SELECTs of `call` with, were a scan of a whole table
    never cheaper (`enable_seqscan = off`): an index the plans name is one the reads can use."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # this test's transaction only
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN " + query["sql"])
                found.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(found)


@pytest.mark.postgres
def test_a_blocks_history_its_commodity_and_a_number_are_read_by_index(applicant) -> None:
    _owner, org = applicant
    block = factories.ORIGIN
    ended = factories.licence_held(org, [block, block + 1])
    ended.tenures.update(is_active=False, ended_at=timezone.now())
    factories.licence_held(org, [block, block + 1])
    longitude, latitude = grid.centre(block)
    DepositFactory(longitude=round(longitude, 5), latitude=round(latitude, 5), commodities=["W"])

    history = plans(lambda: ground_selectors.block_history(block))
    assert "tenure_block_idx" in history and "Seq Scan on licensing_tenure" not in history
    assert len(ground_selectors.block_history(block)["tenures"]) == 2
    commodity = plans(lambda: list(register_licences(RegisterQuery(commodity="W"))))
    assert "tenure_block_idx" in commodity and "Seq Scan on licensing_tenure" not in commodity
    number = plans(lambda: list(register_licences(RegisterQuery(q=ended.number[:-2]))))
    assert "licensing_licence_number" in number and "Seq Scan on licensing_licence" not in number
    name = plans(lambda: list(register_licences(RegisterQuery(q="lithium"))))
    assert "organisation_latin_trgm" in name and "Seq Scan on investors_organisation" not in name
