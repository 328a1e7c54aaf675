import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.deposits.factories import DepositFactory, EstimateFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The open-data files are built ahead and served as stored (tests/licensing/test_publication.py).
@pytest.mark.parametrize("url", ["/", "/deposits/", "/map/"])
def test_list_pages_run_the_same_queries_for_5_and_50_deposits(client, url: str) -> None:
    for _ in range(5):
        DepositFactory(commodities=["Li", "Ta"])
    at_five = _queries(client, url)
    for _ in range(45):
        DepositFactory(commodities=["W", "Mo"])
    assert _queries(client, url) == at_five
    assert at_five <= 5


def test_home_tells_an_investor_what_is_on_offer(client) -> None:
    DepositFactory(name_en="Bakennoye", commodities=["Li"])
    DepositFactory(commodities=["W"], is_published=False, published_at=None)
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bakennoye" in text
    assert response.context["figures"]["deposits"] == 1
    # Each tile says what it counts; the unpublished tungsten deposit is not counted.
    assert "deposit with lithium" in text
    assert "with tungsten" not in text


def test_list_filters_by_commodity(client) -> None:
    DepositFactory(name_en="Lithium Hill", commodities=["Li"])
    DepositFactory(name_en="Tungsten Ridge", commodities=["W"])
    response = client.get("/deposits/", {"commodity": "Li"})
    assert response.status_code == 200
    assert [d.name_en for d in response.context["page"]] == ["Lithium Hill"]


def test_list_filters_by_region_stage_and_reporting_code(client) -> None:
    a = DepositFactory(name_en="A", region="east_kazakhstan", stage="production")
    DepositFactory(name_en="B", region="karaganda", stage="production")
    EstimateFactory(deposit=a, code="jorc")
    EstimateFactory(deposit=a, code="jorc", category="inferred")
    response = client.get("/deposits/", {"region": "east_kazakhstan", "stage": "production", "code": "jorc"})
    assert [d.name_en for d in response.context["page"]] == ["A"]


def test_list_sorts_and_searches_in_every_language(client) -> None:
    DepositFactory(name_en="Alpha", name_ru="Альфа", stage="production")
    DepositFactory(name_en="Beta", name_ru="Бета", stage="exploration")
    names = [d.name_en for d in client.get("/deposits/", {"sort": "-name"}).context["page"]]
    assert names == ["Beta", "Alpha"]
    assert [d.name_en for d in client.get("/deposits/", {"q": "Бета"}).context["page"]] == ["Beta"]


@pytest.mark.parametrize(
    "query", [{"commodity": "Kryptonite"}, {"region": "mars"}, {"stage": "x"}, {"code": "sec"}, {"sort": "password"}]
)
def test_invalid_filter_answers_400_with_a_message(client, query: dict) -> None:
    DepositFactory()
    response = client.get("/deposits/", query)
    assert response.status_code == 400
    assert "Some filters could not be used" in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_names_sort_in_the_readers_language(client) -> None:
    DepositFactory(name_en="Kundybay", name_ru="Кундыбай")
    DepositFactory(name_en="Zhana Kazakhstan", name_ru="Жана Казахстан")
    assert [d.name_en for d in client.get("/deposits/").context["page"]] == ["Kundybay", "Zhana Kazakhstan"]
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    response = client.get("/deposits/")
    assert [d.name_ru for d in response.context["page"]] == ["Жана Казахстан", "Кундыбай"]
    assert "Название, от А до Я" in response.content.decode()


def test_list_paginates(client) -> None:
    for _ in range(25):
        DepositFactory()
    first = client.get("/deposits/")
    assert len(first.context["page"].object_list) == 20
    second = client.get("/deposits/", {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert 'rel="prev"' in second.content.decode()


def test_disclosure_page_shows_resources_grouped_with_totals(client) -> None:
    deposit = DepositFactory(name_en="Bakennoye", commodities=["Li", "Ta"], is_illustrative=True)
    SourceFactory(deposit=deposit, title="Kazgeology report 2021")
    EstimateFactory(deposit=deposit, category="indicated", contained_t=100000)
    EstimateFactory(deposit=deposit, category="inferred", contained_t=50000)
    EstimateFactory(deposit=deposit, category="probable", contained_t=70000)
    EstimateFactory(deposit=deposit, code="state_balance", category="C1", contained_t=999)
    response = client.get(deposit.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    groups = {g.code.value: g for g in response.context["resource_table"]}
    assert set(groups) == {"jorc", "state_balance"}
    jorc_totals = {(klass.value, c.code): total for klass, c, total, _ in groups["jorc"].totals}
    assert jorc_totals == {("reserve", "Li"): 70000, ("resource", "Li"): 150000}
    assert [e.category for e in groups["jorc"].estimates] == ["probable", "indicated", "inferred"]
    assert "150,000" in text and "Kazgeology report 2021" in text
    assert "Demo figures are illustrative" in text


def test_unknown_and_unpublished_deposits_answer_404(client, investor) -> None:
    hidden = DepositFactory(is_published=False, published_at=None)
    assert client.get("/deposits/no-such-deposit/").status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(investor)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_registrar_previews_an_unpublished_deposit(client, registrar) -> None:
    hidden = DepositFactory(is_published=False, published_at=None)
    client.force_login(registrar)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this deposit is not published" in response.content.decode()


def test_map_page_lists_every_deposit_for_those_who_cannot_see_the_map(client) -> None:
    DepositFactory(name_en="Verkhnee Kairakty", commodities=["W"])
    response = client.get("/map/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Verkhnee Kairakty" in text
    assert reverse("deposits:open-data-geojson") in text


def test_outline_of_kazakhstan_is_served_for_the_map(client) -> None:
    response = client.get("/map/kazakhstan.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["geometry"]["type"] == "MultiPolygon"


def test_commodity_colours_are_served_as_css(client) -> None:
    response = client.get("/commodities.css")
    assert response.status_code == 200
    assert ".commodity-li { --commodity-colour: #6a3d9a; }" in response.content.decode()


def test_switching_to_russian_translates_the_page(client) -> None:
    DepositFactory(name_en="Upper Kairakty", name_ru="Верхнее Кайракты")
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/deposits/"})
    assert response.status_code == 302
    text = client.get("/deposits/").content.decode()
    assert '<html lang="ru">' in text
    assert "Месторождения" in text and "Верхнее Кайракты" in text


def test_kazakh_is_offered_and_translated(client) -> None:
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    text = client.get("/").content.decode()
    assert '<html lang="kk">' in text
    assert "Кен орындары" in text


def test_pages_refuse_writes(client) -> None:
    assert client.post("/deposits/").status_code == 405
