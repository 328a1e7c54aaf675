"""`/api/v1/licence-types/`, `/api/v1/blocks/` and `/api/v1/applications/`: public reads of the
rules and the ground, and an applicant's draft to lodgement, with the services' own refusals."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from accounts.roles import Role
from investors.models import MemberRole, Organisation
from licensing.domain import grid
from licensing.drafting import services as drafting_services
from licensing.ground import selectors as ground_selectors
from licensing.ground import services as ground_services
from licensing.ground.api import BlockStateSerializer, GeoJSONRenderer
from licensing.ground.availability_json import availability_geojson, availability_json
from licensing.ground.selectors import Availability
from licensing.models import Application, ApplicationState, Claim, GroundOpening, LicenceType
from licensing.review import services as review_services
from tests.investors import factories as investor_factories
from tests.licensing import factories

S = ApplicationState
pytestmark = pytest.mark.django_db

TYPES = "/api/v1/licence-types/"
AVAILABILITY = "/api/v1/blocks/availability/"
APPLICATIONS = "/api/v1/applications/"


def bbox(blocks: list[int]) -> str:
    """A box just inside the outer edges of these blocks."""
    corners = [grid.south_west(b) for b in blocks]
    west, south = min(c[0] for c in corners), min(c[1] for c in corners)
    east, north = max(c[0] for c in corners) + 1 / 60, max(c[1] for c in corners) + 1 / 60
    inset = 0.001
    return ",".join(f"{v:.6f}" for v in (west + inset, south + inset, east - inset, north - inset))


def url(application: Application, action: str = "") -> str:
    return f"{APPLICATIONS}{application.pk}/" + (f"{action}/" if action else "")


def post(client: Client, path: str, body: object = None):
    return client.post(path, body or {}, content_type="application/json")


def grant(application: Application, crew: factories.Officials, time_machine) -> Application:
    application = factories.to_assessment(application, crew.reviewer, time_machine)
    if application.screening_required:
        review_services.application_refer_screening(actor=crew.reviewer, application=application)
        review_services.application_screening_result(
            actor=crew.reviewer, application=application, cleared=True, note="ok"
        )
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="OK"
    )
    return review_services.application_decide(actor=crew.approver, application=application, decision="grant")


# Licence types -------------------------------------------------------------------------


def test_licence_types_are_public_with_their_limits_rates_and_service_times(client: Client) -> None:
    listed = client.get(TYPES)
    assert listed.status_code == 200
    assert [t["code"] for t in listed.json()] == ["exploration", "mining", "prospecting"]
    exploration = client.get(f"{TYPES}{LicenceType.objects.get(code='exploration').pk}/").json()
    assert (exploration["kind"], exploration["max_blocks"], exploration["term_years"]) == ("exploration", 200, 6)
    assert (exploration["extension_max_count"], exploration["extension_max_years"]) == (1, 5)
    assert exploration["name_ru"].startswith("Лицензия на разведку")
    rates = exploration["rates"]
    assert {"kind": "rent", "from_year": 1, "to_year": 3, "mci_per_block": "15.00", "unit": "block"} in rates
    assert {"kind": "expenditure", "from_year": 7, "to_year": 11, "mci_per_block": "3000.00", "unit": "block"} in rates
    assert {
        "from_year": 4,
        "to_year": 6,
        "from_blocks": 11,
        "to_blocks": None,
        "mci": "3500.00",
        "mci_per_block_above": "180.00",
    }.items() <= exploration["expenditure_tiers"][-1].items()
    assert exploration["relinquishments"] == [
        {"after_year": 3, "percent": "40.00"},
        {"after_year": 6, "percent": "30.00"},
    ]
    assert [d["code"] for d in exploration["required_documents"]] == ["work-programme", "financial-capacity"]
    assert {"stage": "lodged", "working_days": 5} in exploration["stage_targets"]
    assert exploration["is_placeholder"] is True and "Subsoil Code" in exploration["source"]
    assert exploration["application_fee_mci"] == "0.00" and exploration["objection_days"] == 30
    assert client.post(TYPES, {}, content_type="application/json").status_code == 405  # read-only
    assert client.get(f"{TYPES}999999/").status_code == 404


def test_licence_types_list_runs_the_same_queries_for_3_and_9_types(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(6):  # types, rates, tiers, stage targets, documents, relinquishments
        client.get(TYPES)
    for n in range(6):
        extra = factories.LicenceTypeFactory(
            code=f"extra-{n}", kind="exploration", number_prefix="X", max_blocks=5, term_years=3, name_en=f"X{n}"
        )
        factories.RateFactory(licence_type=extra, kind="rent", from_year=1, to_year=3, mci_per_block=Decimal(1))
        extra.stage_targets.create(stage="lodged", working_days=5)
        extra.relinquishments.create(after_year=2, percent=Decimal(50))
        extra.required_documents.create(code="plan", document_kind="report", label_en="Plan")
    with django_assert_num_queries(6):
        assert len(client.get(TYPES).json()) == 9


# Blocks --------------------------------------------------------------------------------


@dataclass
class Ground:
    """A strip of eight blocks: two held, three claimed, one opening, two free."""

    strip: list[int]
    licence: str
    earlier: Application
    later: Application
    opening: GroundOpening


@pytest.fixture
def ground(first, second, crew, time_machine) -> Ground:
    strip = factories.rectangle(1, 8)
    granted = grant(factories.lodged(*first, strip[0:2]), crew, time_machine)
    earlier = factories.lodged(*first, strip[2:4])
    later = factories.lodged(*second, strip[2:5])
    opening = ground_services.ground_open(actor=crew.registrar, blocks=[strip[6]], reason="released")
    return Ground(strip, granted.licence.number, earlier, later, opening)


def test_availability_shows_held_claimed_opening_and_free_blocks_with_claims_in_order(
    client: Client, ground: Ground
) -> None:
    response = client.get(AVAILABILITY, {"bbox": bbox(ground.strip)})
    assert response.status_code == 200
    body = response.json()
    assert [b["id"] for b in body] == ground.strip
    assert [b["code"] for b in body] == [grid.code(b) for b in ground.strip]
    assert [b["status"] for b in body] == ["held", "held", "claimed", "claimed", "claimed", "free", "opening", "free"]
    assert [b["licence"] for b in body[:3]] == [ground.licence, ground.licence, None]
    first, second = ground.earlier.reference, ground.later.reference
    assert [[c["application"] for c in b["claims"]] for b in body[2:6]] == [
        [first, second],
        [first, second],
        [second],
        [],
    ]
    assert [c["rank"] for c in body[2]["claims"]] == [ground.earlier.priority_number, ground.later.priority_number]
    assert body[2]["claims"][0]["contested"] is False and body[2]["claims"][0]["received_at"]
    assert body[6]["opens_at"] and body[5]["opens_at"] is None
    assert body[6]["opens_at"].startswith(ground.opening.opens_at.isoformat()[:10])


def test_availability_as_geojson_for_the_map(client: Client, ground: Ground) -> None:
    response = client.get(AVAILABILITY, {"bbox": bbox(ground.strip), "format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == [grid.code(b) for b in ground.strip]
    assert features[0]["geometry"] == grid.polygon(ground.strip[0])
    assert features[0]["properties"]["status"] == "held" and features[0]["properties"]["licence"] == ground.licence
    assert [c["application"] for c in features[4]["properties"]["claims"]] == [ground.later.reference]


def serialised(blocks: list[int], rows: Availability, renderer: JSONRenderer, indent: int | None = None) -> bytes:
    """The answer as the serializers that document it, and DRF's renderer, write it."""
    states = BlockStateSerializer([rows.state(b) for b in blocks], many=True).data
    data = states
    if isinstance(renderer, GeoJSONRenderer):
        properties = {state["id"]: {k: v for k, v in state.items() if k != "code"} for state in states}
        data = grid.feature_collection(blocks, properties)
    return renderer.render(data, "application/json" + (f"; indent={indent}" if indent else ""))


@pytest.mark.parametrize(("query", "renderer"), [({}, JSONRenderer()), ({"format": "geojson"}, GeoJSONRenderer())])
def test_availability_answers_byte_for_byte_what_its_serializers_write(
    client: Client, ground: Ground, query: dict[str, str], renderer: JSONRenderer
) -> None:
    rows = ground_selectors.availability_rows(ground.strip)
    response = client.get(AVAILABILITY, {"bbox": bbox(ground.strip), **query})
    assert response["Content-Type"] == renderer.media_type
    assert response.content == serialised(ground.strip, rows, renderer)
    indented = client.get(AVAILABILITY, {"bbox": bbox(ground.strip), **query}, HTTP_ACCEPT="application/json; indent=2")
    if not query:  # GeoJSON is asked for by format, which decides the renderer whatever the Accept header
        assert indented.content == serialised(ground.strip, rows, renderer, indent=2)
    assert "Accept" in response["Vary"]


def test_every_kind_of_block_is_written_as_the_serializers_write_it() -> None:
    """Free, held (with and without claims), claimed (contested, not yet received), opening, and
    blocks on the grid's corners and either side of the equator and the prime meridian."""
    at = timezone.now()
    edges = [0, grid.MINUTES_LON - 1, grid.BLOCK_COUNT - 1, grid.BLOCK_COUNT - grid.MINUTES_LON]
    middle = [grid.block_at(longitude=lon, latitude=lat) for lon in (-0.01, 0.01) for lat in (-0.01, 0.01)]
    strip = factories.rectangle(1, 6)
    rows = Availability(
        held={strip[0]: "KZ-EXP-2026-000001", strip[1]: "Лицензия \u2028 1"},
        claims={
            strip[1]: [(7, 7, False, at)],
            strip[2]: [(3, 3, True, at), (9, 9, True, None)],
            strip[3]: [(12, 12, False, at - timedelta(days=400))],
        },
        opening={strip[3]: at, strip[4]: at + timedelta(days=3)},
    )
    blocks = [*edges, *middle, *strip]
    assert availability_json(blocks, rows) == serialised(blocks, rows, JSONRenderer())
    assert availability_geojson(blocks, rows) == serialised(blocks, rows, GeoJSONRenderer())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "four numbers"),
        ({"bbox": "81.1,49.1,81.2"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"bbox": "nan,49.1,81.2,49.2"}, "four numbers"),
        ({"bbox": "81.1,49.1,181.2,49.2"}, "on the Earth"),
        ({"bbox": "81.1,-91,81.2,49.2"}, "on the Earth"),
        ({"bbox": "81.1,49.1,81.1,49.2"}, "no area"),
        ({"bbox": "70,40,80,50"}, "more than 2500 blocks"),
    ],
)
def test_a_bad_box_is_refused_with_a_clear_message(client: Client, query: dict[str, str], message: str) -> None:
    response = client.get(AVAILABILITY, query)
    assert response.status_code == 400
    assert message in response.json()["errors"]["bbox"][0]


def test_availability_runs_three_queries_whatever_the_box(client: Client, first, second, django_assert_num_queries):
    with django_assert_num_queries(3):  # tenures, claims, openings
        assert client.get(AVAILABILITY, {"bbox": bbox(factories.rectangle(2, 2))}).status_code == 200
    factories.lodged(*first, factories.rectangle(3, 5))
    factories.lodged(*second, factories.rectangle(4, 6))
    big = factories.rectangle(40, 60)
    with django_assert_num_queries(3):
        body = client.get(AVAILABILITY, {"bbox": bbox(big)}).json()
    assert len(body) == 2400
    assert sum(len(b["claims"]) for b in body) == 15 + 24


def test_a_blocks_history_names_its_licences_claims_and_openings(client: Client, ground: Ground) -> None:
    held = client.get(f"/api/v1/blocks/{grid.code(ground.strip[0])}/")
    assert held.status_code == 200
    body = held.json()
    assert (body["code"], body["id"], body["status"]) == (grid.code(ground.strip[0]), ground.strip[0], "held")
    assert [(t["licence"], t["holder"], t["is_active"]) for t in body["tenures"]] == [
        (ground.licence, "First Lithium LLP", True)
    ]
    assert body["tenures"][0]["started_at"] and body["tenures"][0]["ended_at"] is None
    assert [(c["state"], c["claim_status"]) for c in body["claims"]] == [("granted", "granted")]
    claimed = client.get(f"/api/v1/blocks/{grid.code(ground.strip[2]).lower()}/").json()
    assert claimed["status"] == "claimed" and claimed["tenures"] == []
    assert [(c["application"], c["state"], c["claim_status"]) for c in claimed["claims"]] == [
        (ground.earlier.reference, "lodged", "live"),
        (ground.later.reference, "lodged", "live"),
    ]
    opening = client.get(f"/api/v1/blocks/{grid.code(ground.strip[6])}/").json()
    assert opening["status"] == "opening"
    assert [o["reason"] for o in opening["openings"]] == ["released"]
    assert opening["openings"][0]["opens_at"] and opening["openings"][0]["window_closes_at"]


@pytest.mark.parametrize("code", ["N4910E0811", "X4910E08110", "N4960E08110", "N9500E00000", "12345"])
def test_a_malformed_block_code_is_404(client: Client, code: str) -> None:
    assert client.get(f"/api/v1/blocks/{code}/").status_code == 404


def test_a_block_without_history_is_free_and_empty(client: Client) -> None:
    body = client.get(f"/api/v1/blocks/{grid.code(factories.ORIGIN)}/").json()
    assert body == {
        "code": "N4910E08110",
        "id": factories.ORIGIN,
        "status": "free",
        "tenures": [],
        "claims": [],
        "openings": [],
    }


# Applications --------------------------------------------------------------------------


def create_body(organisation: Organisation, blocks: list[object], **fields: object) -> dict[str, object]:
    return {
        "organisation": organisation.pk,
        "licence_type": factories.licence_type().pk,
        "title": "Kalba lithium",
        "region": "east_kazakhstan",
        "blocks": blocks,
        **fields,
    }


def test_a_draft_is_validated_and_lodged_over_the_api(client: Client, first, second) -> None:
    blocks = factories.rectangle(1, 3)
    earlier = factories.lodged(*second, blocks[2:])  # the third block is already claimed
    owner, org = first
    client.force_login(owner)
    created = post(client, APPLICATIONS, create_body(org, [grid.code(blocks[0]), blocks[1], str(blocks[2])]))
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert (draft["state"], draft["reference"], draft["priority_number"]) == ("draft", f"Draft {draft['id']}", None)
    assert draft["blocks"] == [grid.code(b) for b in blocks]
    assert draft["organisation"] == {"id": org.pk, "name": "First Lithium LLP"}
    assert draft["licence_type"]["code"] == "exploration"
    application = Application.objects.get(pk=draft["id"])

    report = client.get(url(application, "validate")).json()
    assert "Make the declaration." in report["problems"]
    assert report["conditional"] == {grid.code(blocks[2]): [earlier.reference]}
    duty = report["obligations"]
    assert (duty["blocks"], len(duty["years"]), duty["mci_kzt"]) == (3, 6, "4325.00")
    assert duty["years"][0] == {
        "year": 1,
        "calendar_year": 2026,
        "rent_mci": "45.00",
        "rent_kzt": "194625.00",
        "expenditure_mci": "1800.00",  # the Subsoil Code's tier for 2-5 blocks in years 1-3
        "expenditure_kzt": "7785000.00",
    }

    years = [
        {"year": y["year"], "activities": "Mapping and drilling", "expenditure_kzt": y["expenditure_kzt"]}
        for y in duty["years"]
    ]
    assert (
        client.put(url(application, "programme"), {"years": years}, content_type="application/json").status_code == 200
    )
    changed = client.patch(
        url(application),
        {"kazakh_staff_percent": "90", "local_goods_percent": "60", "training_spend_kzt": "5000000"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["kazakh_staff_percent"] == "90.00"
    for requirement in application.licence_type.required_documents.all():  # uploads stay on the web pages
        drafting_services.application_document_add(
            actor=owner,
            application=application,
            requirement=requirement,
            upload=investor_factories.pdf_upload(f"{requirement.code}.pdf"),
        )
    assert post(client, url(application, "declare")).json()["declared_at"]
    assert client.get(url(application, "validate")).json()["problems"] == []

    lodged = post(client, url(application, "lodge"))
    assert lodged.status_code == 200, lodged.json()
    body = lodged.json()
    assert (body["state"], body["priority_number"]) == ("lodged", earlier.priority_number + 1)
    assert body["reference"] == f"A-{earlier.priority_number + 1:06d}"
    assert body["lodged_at"] and body["received_at"] and body["stage_due_on"] == "2026-12-01"
    assert [(c["code"], c["conditional"], c["status"]) for c in body["claims"]] == [
        (grid.code(blocks[0]), False, "live"),
        (grid.code(blocks[1]), False, "live"),
        (grid.code(blocks[2]), True, "live"),
    ]
    assert [y["year"] for y in body["programme"]] == [1, 2, 3, 4, 5, 6]
    assert len(body["documents"]) == 2

    again = post(client, url(application, "lodge"))
    assert again.status_code == 409
    assert again.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": f"This application was already lodged, as {body['reference']}.",
    }
    assert Claim.objects.filter(application=application).count() == 3


def test_an_incomplete_draft_is_refused_with_every_problem_and_nothing_changes(client: Client, first) -> None:
    owner, org = first
    application = factories.draft(owner, org, factories.rectangle(1, 2))
    client.force_login(owner)
    response = post(client, url(application, "lodge"))
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert "Make the declaration." in problems
    assert any(p.startswith("Attach: Exploration work programme") for p in problems)
    assert "The work programme has no plan for year(s) 1, 2, 3, 4, 5, 6." in problems
    application.refresh_from_db()
    assert (application.state, application.priority_number, application.claims.count()) == (S.DRAFT, None, 0)


def test_expenditure_below_the_minimum_is_refused_with_the_message(client: Client, first) -> None:
    owner, org = first
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 2)))
    years = factories.programme(application)
    years[0]["expenditure_kzt"] -= Decimal("0.01")
    client.force_login(owner)
    body = {"years": [{**y, "expenditure_kzt": str(y["expenditure_kzt"])} for y in years]}
    assert post(client, url(application, "programme"), body).status_code == 200
    response = post(client, url(application, "lodge"))
    assert response.status_code == 400
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad request",
        "status": 400,
        "detail": "Year 1 plans 7,784,999.99 KZT, less than the minimum of 7,785,000.00 KZT.",
        "problems": ["Year 1 plans 7,784,999.99 KZT, less than the minimum of 7,785,000.00 KZT."],
    }
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_the_services_refusals_keep_their_messages(client: Client, first) -> None:
    owner, org = first
    client.force_login(owner)
    bad_block = post(client, APPLICATIONS, create_body(org, ["N4910E08110", "Q1"]))
    assert bad_block.status_code == 400
    assert bad_block.json()["detail"] == "Q1 is not a block code like N4812E08134."
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    beyond_term = post(client, url(application, "programme"), {"years": [{"year": 9, "expenditure_kzt": "1"}]})
    assert beyond_term.status_code == 400
    assert beyond_term.json()["detail"] == "Year 9 is not a year of the term (1 to 6), or is given twice."
    too_high = client.patch(url(application), {"kazakh_staff_percent": "101"}, content_type="application/json")
    assert too_high.status_code == 400 and "kazakh_staff_percent" in too_high.json()["errors"]
    assert Application.objects.count() == 1 and not application.programme.exists()


def test_an_unverified_organisation_or_a_closed_licence_type_is_refused(client: Client, first, make_user) -> None:
    owner = make_user(Role.INVESTOR)
    unverified = investor_factories.organisation(owner)
    client.force_login(owner)
    response = post(client, APPLICATIONS, create_body(unverified, [factories.ORIGIN]))
    assert (response.status_code, response.json()) == (
        409,
        {
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": "Only a verified organisation may apply for a licence.",
        },
    )
    LicenceType.objects.filter(code="exploration").update(is_open=False)
    client.force_login(first[0])
    response = post(client, APPLICATIONS, create_body(first[1], [factories.ORIGIN]))
    assert response.status_code == 400
    assert response.json()["errors"] == {"licence_type": ["This licence type is not open for applications."]}
    assert not Application.objects.exists()


def test_a_lodged_application_cannot_be_changed_and_can_be_withdrawn_once(client: Client, first) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 2))
    client.force_login(owner)
    changed = client.patch(url(application), {"title": "Renamed"}, content_type="application/json")
    assert changed.status_code == 409
    assert changed.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "The application is lodged; this cannot be done now.",
    }
    withdrawn = post(client, url(application, "withdraw"), {"reason": "Changed plans"})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert [c["status"] for c in withdrawn.json()["claims"]] == ["released", "released"]
    again = post(client, url(application, "withdraw"))
    assert again.status_code == 409 and again.json()["detail"] == "The application is withdrawn already."
    assert Application.objects.get(pk=application.pk).title == "Kalba lithium"


def test_another_organisations_application_is_404_and_unchanged(client: Client, first, second) -> None:
    owner, org = first
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 1)))
    client.force_login(second[0])
    assert client.get(url(application)).status_code == 404
    assert client.get(url(application, "validate")).status_code == 404
    assert client.patch(url(application), {"title": "Mine now"}, content_type="application/json").status_code == 404
    for action in ("programme", "declare", "lodge", "withdraw"):
        assert post(client, url(application, action), {"years": []}).status_code == 404, action
    assert client.get(f"{APPLICATIONS}999999/").status_code == 404
    assert client.get(f"{APPLICATIONS}abc/").status_code == 404
    application.refresh_from_db()
    assert (application.title, application.state, application.programme.count()) == ("Kalba lithium", S.DRAFT, 6)


def test_a_viewer_of_the_organisation_may_read_but_not_write(client: Client, first, make_user) -> None:
    owner, org = first
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 1)))
    client.force_login(viewer)
    assert client.get(url(application)).json()["title"] == "Kalba lithium"
    refused = "Only the organisation's owners and managers may do this."
    lodge = post(client, url(application, "lodge"))
    assert (lodge.status_code, lodge.json()) == (
        403,
        {"type": "about:blank", "title": "Forbidden", "status": 403, "detail": refused},
    )
    create = post(client, APPLICATIONS, create_body(org, [factories.ORIGIN]))
    assert (create.status_code, create.json()) == (
        403,
        {"type": "about:blank", "title": "Forbidden", "status": 403, "detail": refused},
    )
    assert Application.objects.count() == 1 and Application.objects.get().state == S.DRAFT


def test_nobody_drafts_for_an_organisation_they_are_not_in(client: Client, first, second) -> None:
    client.force_login(second[0])
    assert post(client, APPLICATIONS, create_body(first[1], [factories.ORIGIN])).status_code == 404
    forged = {**create_body(first[1], [factories.ORIGIN]), "organisation": 999999}
    assert post(client, APPLICATIONS, forged).status_code == 404
    assert not Application.objects.exists()


def test_an_anonymous_caller_is_refused(client: Client, first) -> None:
    response = post(client, APPLICATIONS, create_body(first[1], [factories.ORIGIN]))
    assert response.status_code == 403  # session authentication only: no WWW-Authenticate, so not 401
    assert client.get(APPLICATIONS).status_code == 403
    assert not Application.objects.exists()


def test_applicants_see_their_drafts_and_officials_only_lodged_applications(
    client: Client, first, second, crew, make_user
) -> None:
    draft = factories.draft(*first, factories.rectangle(1, 1))
    lodged = factories.lodged(*second, factories.rectangle(1, 1, factories.ORIGIN + 5))

    def listed(user: User) -> list[int]:
        client.force_login(user)
        response = client.get(APPLICATIONS)
        assert response.status_code == 200
        return [a["id"] for a in response.json()["results"]]

    assert listed(first[0]) == [draft.pk]
    assert listed(second[0]) == [lodged.pk]
    assert listed(crew.reviewer) == [lodged.pk]
    assert listed(make_user(Role.INVESTOR)) == []
    client.force_login(crew.reviewer)
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(lodged)).json()["reference"] == lodged.reference


def test_the_applications_list_runs_the_same_queries_for_2_and_8_applications(client: Client, first) -> None:
    owner, org = first

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(APPLICATIONS)
        assert response.status_code == 200
        return len(captured.captured_queries)

    client.force_login(owner)
    client.get(APPLICATIONS)  # the session's first request marks the second factor checked
    for n in range(2):
        factories.lodged(owner, org, factories.rectangle(1, 2, factories.ORIGIN + 3 * n))
    at_two = queries()
    for n in range(6):
        factories.draft(owner, org, factories.rectangle(2, 2, factories.ORIGIN + 3 * n))
    assert len(client.get(APPLICATIONS).json()["results"]) == 8
    assert queries() == at_two <= 8


def test_a_register_token_pages_the_applications_with_a_cursor_and_syncs_what_changed(
    client: Client, first, time_machine
) -> None:
    from django.utils import timezone

    from tests.partners.factories import bearer, partner_client

    owner, org = first
    lodged = [factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * n)) for n in range(3)]
    factories.draft(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 20))  # never on the register
    survey = partner_client("register:read", name="Survey")
    headers = bearer(client, survey)
    seen, page = [], f"{APPLICATIONS}?page_size=2"
    while page:
        body = client.get(page, **headers).json()
        assert len(body["results"]) <= 2
        seen += [row["id"] for row in body["results"]]
        page = body["next"]
    assert sorted(seen) == sorted(a.pk for a in lodged)
    time_machine.move_to(timezone.now() + timedelta(days=1))
    mark = timezone.now().isoformat()
    drafting_services.application_withdraw(actor=owner, application=lodged[1], reason="")
    headers = bearer(client, survey)  # a day later: a fresh token
    changed = client.get(APPLICATIONS, {"changed_since": mark}, **headers).json()["results"]
    assert [row["id"] for row in changed] == [lodged[1].pk]
    assert client.get(APPLICATIONS, {"changed_since": "yesterday"}, **headers).status_code == 400
