"""OGC API - Features at /ogc: what a GIS sees. The landing page, conformance, collections,
the items of each collection filtered by a box and paged by their links, one item, bad input
answered 400/404 and never 5xx; and the service opened by a real client (OWSLib) on a live
server."""

import json
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from licensing.domain import grid
from licensing.models import Application, ApplicationState, Claim, GroundOpening, OpeningBlock, Tenure
from tests.deposits.factories import DepositFactory
from tests.licensing import factories

pytestmark = pytest.mark.django_db

# A row of features on free steppe far from the factories' other ground: feature i covers the
# two blocks at columns 3i and 3i + 1 of the row at 48°00'N, from 70°00'E (or is a point in the first).
BASE = grid.parse("N4800E07000")
COUNT = 24
COLLECTIONS = ("deposits", "licences", "applications", "openings")
CLAIMED = {
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}
DRAFT_TITLE = "Secret draft 9X1"


def blocks_of(i: int) -> list[int]:
    return [BASE + 3 * i, BASE + 3 * i + 1]


def lon(column: float) -> float:
    return 70 + column / 60


def box_over(first: int, last: int) -> str:
    """A box over features first..last: from a quarter into the first one's first block (west of
    its deposit, at the block's centre) to the middle of the last one's second block."""
    return f"{lon(3 * first + 0.25)},{48 + 0.2 / 60},{lon(3 * last + 1.5)},{48 + 0.8 / 60}"


@pytest.fixture
def register(applicant, crew):
    """COUNT features in every collection along the row, a draft, and one real lodgement elsewhere."""
    owner, organisation = applicant
    now = timezone.now()
    ids: dict[str, list[str]] = {name: [] for name in COLLECTIONS}
    for i in range(COUNT):
        west, south = grid.centre(BASE + 3 * i)
        deposit = DepositFactory(
            slug=f"row-{i:02d}", longitude=Decimal(f"{west:.5f}"), latitude=Decimal(f"{south:.5f}")
        )
        ids["deposits"].append(deposit.slug)
        licence = factories.LicenceFactory(number=f"KZ-EXP-2026-{i:06d}", holder=organisation)
        Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=now) for b in blocks_of(i))
        ids["licences"].append(licence.number)
        application = Application.objects.create(
            organisation=organisation,
            licence_type=factories.licence_type(),
            title=f"Row {i}",
            region="karaganda",
            state=ApplicationState.UNDER_REVIEW,
            blocks=blocks_of(i),
            created_by=owner,
            priority_number=1000 + i,
            lodged_at=now - timedelta(days=i),
        )
        Claim.objects.bulk_create(Claim(application=application, block=b, rank=1000 + i) for b in blocks_of(i))
        ids["applications"].append(application.reference)
        opening = GroundOpening.objects.create(
            opens_at=now + timedelta(days=i), window_closes_at=now + timedelta(days=i + 30), reason="released"
        )
        OpeningBlock.objects.bulk_create(OpeningBlock(opening=opening, block=b) for b in blocks_of(i))
        ids["openings"].append(str(opening.pk))
    draft = factories.draft(owner, organisation, blocks_of(0))
    Application.objects.filter(pk=draft.pk).update(title=DRAFT_TITLE)
    lodged = factories.lodged(owner, organisation, factories.rectangle(2, 2))
    ids["applications"].append(lodged.reference)
    return ids


def feature_ids(body: dict) -> list[str]:
    return [str(f["id"]) for f in body["features"]]


def link(body: dict, rel: str) -> str | None:
    return next((item["href"] for item in body["links"] if item["rel"] == rel), None)


def path_of(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# The service ---------------------------------------------------------------------------


def test_the_landing_page_links_the_api_document_conformance_and_collections(client) -> None:
    response = client.get("/ogc/", HTTP_ACCEPT="text/html")  # a browser still gets JSON
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    rels = {item["rel"]: item["href"] for item in body["links"]}
    assert rels["service-desc"].endswith("/ogc/openapi")
    assert rels["conformance"].endswith("/ogc/conformance")
    assert rels["data"].endswith("/ogc/collections")
    for item in body["links"]:
        assert "f=html" not in item["href"] and "f=jsonld" not in item["href"]
        if "/ogc" in item["href"]:
            assert client.get(path_of(item["href"])).status_code == 200, item
    assert client.get("/ogc").status_code == 200  # where pygeoapi's own links point


def test_conformance_claims_features_core_geojson_and_openapi_but_not_html(client) -> None:
    claimed = set(client.get("/ogc/conformance").json()["conformsTo"])
    assert claimed >= CLAIMED
    assert not [c for c in claimed if c.endswith("/html") or "create-replace-delete" in c]


def test_the_openapi_document_describes_every_collections_items(client) -> None:
    response = client.get("/ogc/openapi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = response.json()
    assert document["openapi"].startswith("3.0")
    for name in COLLECTIONS:
        operation = document["paths"][f"/collections/{name}/items"]["get"]
        names = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in operation["parameters"]}
        assert names >= {"bbox", "limit", "offset", "properties", "skipGeometry"}
        assert "sortby" not in str(operation["parameters"])  # not served, so not described
        limit = next(p for p in operation["parameters"] if p.get("name") == "limit")
        assert limit["schema"]["maximum"] == 1000
    assert not [p for p in document["paths"] if p.startswith("/jobs")]


def test_the_collections_are_the_four_layers_each_with_its_items(client) -> None:
    body = client.get("/ogc/collections").json()
    assert [c["id"] for c in body["collections"]] == list(COLLECTIONS)
    for collection in body["collections"]:
        items = next(item["href"] for item in collection["links"] if item["rel"] == "items")
        assert path_of(items).startswith(f"/ogc/collections/{collection['id']}/items")
        one = client.get(f"/ogc/collections/{collection['id']}").json()
        assert one["extent"]["spatial"]["crs"].endswith("/CRS84")
        assert one["itemType"] == "feature"


# Items ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", COLLECTIONS)
def test_a_box_selects_the_features_it_meets_filtered_in_the_database(
    client, register, name, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(4):
        response = client.get(f"/ogc/collections/{name}/items", {"bbox": box_over(3, 7)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert feature_ids(body) == register[name][3:8] or sorted(feature_ids(body)) == sorted(register[name][3:8])
    assert body["numberMatched"] == body["numberReturned"] == 5
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in ("Point", "MultiPolygon")


@pytest.mark.parametrize("name", COLLECTIONS)
def test_paging_by_the_next_links_visits_every_feature_once(client, register, name) -> None:
    seen, address, pages = [], f"/ogc/collections/{name}/items?limit=10", 0
    while address:
        body = client.get(address).json()
        assert body["numberReturned"] == len(body["features"]) <= 10
        assert body["numberMatched"] == len(register[name])
        if pages:
            assert link(body, "prev") is not None
        seen += feature_ids(body)
        address = path_of(link(body, "next")) if link(body, "next") else ""
        pages += 1
    assert sorted(seen) == sorted(register[name])
    assert pages == -(-len(register[name]) // 10)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_a_full_page_costs_a_constant_number_of_queries(client, register, name, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        body = client.get(f"/ogc/collections/{name}/items", {"limit": 1000}).json()
    assert len(body["features"]) == len(register[name])
    assert link(body, "next") is None


def test_the_self_link_of_a_page_keeps_its_offset(client, register) -> None:
    body = client.get("/ogc/collections/licences/items?limit=5&offset=10").json()
    assert parse_qs(urlsplit(link(body, "self")).query)["offset"] == ["10"]
    assert parse_qs(urlsplit(link(body, "prev")).query)["offset"] == ["5"]
    assert parse_qs(urlsplit(link(body, "next")).query)["offset"] == ["15"]
    assert feature_ids(body) == register["licences"][10:15]


def test_a_box_across_the_antimeridian_takes_both_ends(client, register) -> None:
    east_of_feature_20 = lon(3 * 20)
    body = client.get("/ogc/collections/deposits/items", {"bbox": f"{east_of_feature_20},47,-170,49"}).json()
    assert feature_ids(body) == register["deposits"][20:]
    body = client.get("/ogc/collections/licences/items", {"bbox": f"{east_of_feature_20},47,-170,49"}).json()
    assert feature_ids(body) == register["licences"][20:]


def test_a_licence_is_found_where_it_holds_ground_not_where_it_gave_ground_up(client, register) -> None:
    licence = factories.LicenceFactory(number="KZ-EXP-2026-777777", holder=Tenure.objects.first().licence.holder)
    now = timezone.now()
    far, given_up = BASE + 200, BASE + 300
    Tenure.objects.create(licence=licence, block=far, started_at=now)
    Tenure.objects.create(licence=licence, block=given_up, started_at=now, is_active=False, ended_at=now)

    def found(block: int) -> list[str]:
        west, south = grid.centre(block)
        bbox = f"{west - 0.001},{south - 0.001},{west + 0.001},{south + 0.001}"
        return feature_ids(client.get("/ogc/collections/licences/items", {"bbox": bbox}).json())

    def blocks() -> list[str]:
        feature = client.get("/ogc/collections/licences/items/KZ-EXP-2026-777777").json()
        page = client.get("/ogc/collections/licences/items", {"number": "KZ-EXP-2026-777777"}).json()
        assert page["features"][0]["properties"]["blocks"] == feature["properties"]["blocks"]
        return feature["properties"]["blocks"]

    assert found(far) == ["KZ-EXP-2026-777777"]
    assert found(given_up) == []
    assert blocks() == [grid.code(far)]
    Tenure.objects.filter(licence=licence, block=far).update(is_active=False, ended_at=now + timedelta(days=1))
    assert found(far) == ["KZ-EXP-2026-777777"]  # ended: drawn where it held ground when it ended
    assert blocks() == [grid.code(far)]  # not the block given up the day before it ended


def test_items_filter_by_time_and_by_a_property(client, register) -> None:
    since = (timezone.now() + timedelta(days=20) - timedelta(hours=1)).isoformat()
    body = client.get("/ogc/collections/openings/items", {"datetime": f"{since}/.."}).json()
    assert feature_ids(body) == list(reversed(register["openings"][20:]))  # the latest opening first
    body = client.get("/ogc/collections/applications/items", {"state": "lodged"}).json()
    assert feature_ids(body) == register["applications"][-1:]
    body = client.get("/ogc/collections/licences/items", {"properties": "number,status", "skipGeometry": "true"})
    first = body.json()["features"][0]
    assert first["geometry"] is None and set(first["properties"]) == {"number", "status"}


def test_one_item_by_its_id_in_each_collection(client, register) -> None:
    for name in COLLECTIONS:
        fid = register[name][4]
        response = client.get(f"/ogc/collections/{name}/items/{fid}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/geo+json"
        feature = response.json()
        assert str(feature["id"]) == fid
        assert link(feature, "collection").endswith(f"/ogc/collections/{name}")


def test_licence_and_application_features_carry_the_registers_facts_only(client, register) -> None:
    licence = client.get(f"/ogc/collections/licences/items/{register['licences'][0]}").json()
    assert set(licence["properties"]) == {
        "number",
        "holder",
        "holder_country",
        "holder_registration_number",
        "licence_type",
        "status",
        "region",
        "application_lodged_at",
        "granted_at",
        "starts_on",
        "expires_on",
        "term_years",
        "block_count",
        "area_km2",
        "blocks",
        "url",
    }  # fmt: skip  (the EITI 2.3 facts, as in the open-data files)
    assert licence["properties"]["block_count"] == 2
    assert licence["geometry"] == json.loads(json.dumps(grid.outline(blocks_of(0))))
    application = client.get(f"/ogc/collections/applications/items/{register['applications'][0]}").json()
    assert set(application["properties"]) == {
        "reference", "applicant", "licence_type", "state", "region", "lodged_at",
        "block_count", "area_km2", "blocks", "url",
    }  # fmt: skip
    assert application["properties"]["blocks"] == [grid.code(b) for b in blocks_of(0)]


def test_drafts_are_never_served(client, register) -> None:
    draft = Application.objects.get(title=DRAFT_TITLE)
    everything = client.get("/ogc/collections/applications/items", {"limit": 1000}).content.decode()
    assert DRAFT_TITLE not in everything
    assert f'"Draft {draft.pk}"' not in everything
    assert client.get(f"/ogc/collections/applications/items/Draft {draft.pk}").status_code == 404
    assert client.get(f"/ogc/collections/applications/items/{draft.pk}").status_code == 404
    assert client.get(f"/ogc/collections/openings/items/{GroundOpening.objects.count() + 99}").status_code == 404


# Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=70,49,71,48",  # south north of north
        "bbox=-200,40,0,50",
        "bbox=0,nan,1,1",
        "bbox=0,0,inf,1",
        "limit=-1",
        "limit=0",
        "limit=1001",
        "limit=99999999999999999999999",
        "limit=ten",
        "offset=-5",
        "offset=garbage",
        "offset=99999999999999999999999",
        "datetime=yesterday",
        "datetime=2026-13-45",
        "datetime=2026-01-02/2026-01-01",
        "datetime=../..",
        "datetime=a/b/c",
        "crs=EPSG:3857",
        "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857&bbox=1,2,3,4",
        "sortby=",
        "sortby=-number",
        "filter=number='x'",
        "q=lithium",
        "holder=Someone",  # a property, but not one to filter by
        "resulttype=everything",
        "f=html",
        "f=jsonld",
        "nonsense=1",
    ],
)
def test_bad_input_is_a_400_exception(client, register, query) -> None:
    response = client.get(f"/ogc/collections/licences/items?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] and body["description"]


@pytest.mark.parametrize(
    "address",
    [
        "/ogc/collections/nowhere",
        "/ogc/collections/nowhere/items",
        "/ogc/collections/nowhere/items/1",
        "/ogc/collections/licences/items/KZ-NOPE",
        "/ogc/collections/applications/items/A-99999999999999999999999",
        "/ogc/collections/openings/items/99999999999999999999999",
        "/ogc/collections/openings/items/-1",
        "/ogc/collections/deposits/items/%E2%98%83",
    ],
)
def test_unknown_collections_and_features_are_404(client, register, address) -> None:
    response = client.get(address)
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


def test_a_nul_character_and_writes_are_refused(client, register) -> None:
    assert client.get("/ogc/collections/licences/items?bbox=1,2,3,4%00").status_code == 400
    assert client.get("/ogc/collections/licences/items/KZ%00").status_code == 400
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/ogc/collections/licences/items").status_code == 405


# A real client -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_owslib_lists_the_collections_and_reads_items_in_a_box(live_server, applicant, crew, register) -> None:
    from owslib.ogcapi.features import Features

    service = Features(live_server.url + "/ogc")
    assert set(service.conformance()["conformsTo"]) >= CLAIMED
    assert [c["id"] for c in service.collections()["collections"]] == list(COLLECTIONS)
    assert service.collection("licences")["id"] == "licences"
    west, south, east, north = (float(v) for v in box_over(0, 2).split(","))
    for name in COLLECTIONS:
        items = service.collection_items(name, bbox=[west, south, east, north], limit=2)
        assert items["numberMatched"] == 3, name
        assert len(items["features"]) == 2
        following = service.collection_items(name, bbox=[west, south, east, north], limit=2, offset=2)
        assert len(following["features"]) == 1
    item = service.collection_item("licences", register["licences"][1])
    assert item["properties"]["number"] == register["licences"][1]
    assert service.api()["openapi"].startswith("3.0")


@pytest.mark.parametrize("collection", ["deposits", "licences", "applications", "openings"])
def test_every_property_a_feature_carries_is_declared_in_the_collections_schema(client, register, collection) -> None:
    features = client.get(f"/ogc/collections/{collection}/items", {"limit": 5}).json()["features"]
    assert features, collection
    declared = set(client.get(f"/ogc/collections/{collection}/schema").json()["properties"])
    for feature in features:
        assert set(feature["properties"]) <= declared, set(feature["properties"]) - declared


def test_licence_features_read_the_outline_stored_with_the_certificate(client, register) -> None:
    """The outline is dissolved once per change of title and stored (LicenceOutline), not per
    request: the feature shows what is stored, and the dissolved blocks where nothing is yet."""
    from licensing.models import Licence, LicenceOutline

    first, second = (Licence.objects.get(number=n) for n in register["licences"][:2])
    stored = {"type": "MultiPolygon", "coordinates": [[[[80.0, 49.0], [80.5, 49.0], [80.5, 49.5], [80.0, 49.0]]]]}
    LicenceOutline.objects.update_or_create(licence=first, defaults={"geometry": stored})
    LicenceOutline.objects.filter(licence=second).delete()
    assert client.get(f"/ogc/collections/licences/items/{first.number}").json()["geometry"] == stored
    page = client.get("/ogc/collections/licences/items", {"limit": 2}).json()
    assert page["features"][0]["geometry"] == stored
    assert page["features"][1]["geometry"] == json.loads(json.dumps(grid.outline(blocks_of(1))))


@pytest.mark.django_db
def test_application_and_opening_features_read_the_outline_stored_when_they_were_made(client, register) -> None:
    """A lodgement and a freeing of ground store their outline once (their blocks never change
    after); the features show what is stored, and the dissolved blocks where nothing is yet."""
    from licensing.ground.services import ground_open
    from licensing.models import ApplicationOutline, OpeningOutline

    lodged = Application.objects.get(priority_number=int(register["applications"][-1].removeprefix("A-")))
    assert lodged.outline.geometry == json.loads(json.dumps(grid.outline(factories.rectangle(2, 2))))
    blocks = factories.rectangle(1, 3, origin=factories.ORIGIN + 40 * grid.MINUTES_LON)
    opening = ground_open(actor=None, blocks=blocks, reason="released")
    assert OpeningOutline.objects.get(opening=opening).geometry == json.loads(json.dumps(grid.outline(blocks)))

    stored = {"type": "MultiPolygon", "coordinates": [[[[80.0, 49.0], [80.5, 49.0], [80.5, 49.5], [80.0, 49.0]]]]}
    ApplicationOutline.objects.update_or_create(application=lodged, defaults={"geometry": stored})
    OpeningOutline.objects.update_or_create(opening=opening, defaults={"geometry": stored})
    assert client.get(f"/ogc/collections/applications/items/{lodged.reference}").json()["geometry"] == stored
    assert client.get(f"/ogc/collections/openings/items/{opening.pk}").json()["geometry"] == stored
    first = client.get(f"/ogc/collections/applications/items/{register['applications'][0]}").json()
    assert first["geometry"] == json.loads(json.dumps(grid.outline(blocks_of(0))))  # none stored: dissolved
