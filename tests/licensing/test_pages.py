"""The investor's application pages, the public register and the licence types, as a user sees them."""

import io
import json
import zipfile

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from investors.models import MemberRole
from licensing.domain import grid
from licensing.models import Application, ApplicationState, Objection
from licensing.review import services as review_services
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db
S = ApplicationState


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("licensing:application-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_verified_investor_starts_a_draft_and_sees_what_is_missing(client, applicant) -> None:
    owner, _org = applicant
    client.force_login(owner)
    exploration = factories.licence_type()
    response = client.post(
        reverse("licensing:application-list"),
        {"licence_type": exploration.pk, "title": "Kalba east", "region": "east_kazakhstan"},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{application.pk}/#blocks")
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Before you can lodge" in page and "Make the declaration." in page


def test_blocks_from_codes_geojson_and_shapefile(client, applicant) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, [])
    client.force_login(owner)
    url = reverse("licensing:application-blocks", args=[application.pk])
    codes = [grid.code(b) for b in factories.rectangle(1, 2)]
    assert client.post(url, {"codes": ", ".join(codes)}).status_code == 302
    assert Application.objects.get().blocks == factories.rectangle(1, 2)

    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [81 + 10 / 60, 49 + 10 / 60],
                [81 + 13 / 60, 49 + 10 / 60],
                [81 + 13 / 60, 49 + 12 / 60],
                [81 + 10 / 60, 49 + 12 / 60],
                [81 + 10 / 60, 49 + 10 / 60],
            ]
        ],
    }
    upload = SimpleUploadedFile("area.geojson", json.dumps({"type": "Feature", "geometry": square}).encode())
    assert client.post(url, {"codes": "", "boundary": upload}).status_code == 302
    assert sorted(Application.objects.get().blocks) == sorted(factories.rectangle(2, 3))

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("name", "C")
        ring = square["coordinates"][0]
        writer.poly([[*ring[:2], [81 + 11 / 60, 49 + 12 / 60], ring[0]]])
        writer.record("triangle")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for ext, buffer in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            z.writestr(f"area.{ext}", buffer.getvalue())
    upload = SimpleUploadedFile("area.zip", archive.getvalue())
    assert client.post(url, {"codes": "", "boundary": upload}).status_code == 302
    assert len(Application.objects.get().blocks) >= 1


def test_saving_blocks_with_problems_says_so_at_once(client, applicant) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, [])
    client.force_login(owner)
    url = reverse("licensing:application-blocks", args=[application.pk])
    apart = [factories.ORIGIN, factories.ORIGIN + 5]  # two blocks that do not touch
    page = client.post(url, {"codes": ", ".join(grid.code(b) for b in apart)}, follow=True).content.decode()
    assert sorted(Application.objects.get(pk=application.pk).blocks) == apart
    assert "Blocks saved, but 1 problem with them must be fixed before you can lodge" in page
    assert "they fall into 2 separate parts" in page and "Blocks saved." not in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "neither GeoJSON nor a zipped shapefile"),
        (json.dumps({"type": "Point", "coordinates": [81, 49]}).encode(), "must hold polygons"),
        (b"PK\x03\x04garbage", "not a readable shapefile"),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[500000, 5400000], [500100, 5400000], [500100, 5400100], [500000, 5400000]]],
                }
            ).encode(),
            "WGS84",
        ),
    ],
)
def test_bad_boundary_files_are_refused_with_the_reason(client, applicant, content, message) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    client.force_login(owner)
    response = client.post(
        reverse("licensing:application-blocks", args=[application.pk]),
        {"codes": "", "boundary": SimpleUploadedFile("area.geojson", content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.get().blocks == factories.rectangle(1, 1)


def test_malformed_codes_are_refused_and_nothing_changes(client, applicant) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    client.force_login(owner)
    response = client.post(reverse("licensing:application-blocks", args=[application.pk]), {"codes": "N49XXE08110"})
    assert response.status_code == 400 and "is not a block code" in response.content.decode()
    assert Application.objects.get().blocks == factories.rectangle(1, 1)


def test_lodging_asks_for_confirmation_then_lodges_once(client, applicant, make_user, crew) -> None:
    other_owner, other_org = factories.applicant(make_user, crew.registrar, "Earlier LLP")
    factories.lodged(other_owner, other_org, factories.rectangle(1, 1))
    owner, org = applicant
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 2)))
    client.force_login(owner)
    url = reverse("licensing:application-lodge", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Conditional blocks" in page and grid.code(factories.ORIGIN) in page and "A-000001" in page
    assert Application.objects.get(pk=application.pk).state == S.DRAFT  # looking changes nothing
    response = client.post(url)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.LODGED and application.priority_number == 2
    again = client.post(url, follow=True)
    assert "already lodged" in again.content.decode()
    assert Application.objects.get(pk=application.pk).priority_number == 2


def test_an_incomplete_draft_is_not_lodged(client, applicant) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    client.force_login(owner)
    response = client.post(reverse("licensing:application-lodge", args=[application.pk]))
    assert response.status_code == 400 and "Make the declaration." in response.content.decode()
    assert Application.objects.get().state == S.DRAFT


def test_other_organisations_and_viewers_cannot_touch_a_draft(client, applicant, make_user, crew) -> None:
    owner, org = applicant
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 1)))
    stranger, _ = factories.applicant(make_user, crew.registrar, "Stranger LLP")
    client.force_login(stranger)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(reverse("licensing:application-lodge", args=[application.pk])).status_code == 404
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    client.force_login(viewer)
    assert client.get(application.get_absolute_url()).status_code == 200
    assert client.post(reverse("licensing:application-lodge", args=[application.pk])).status_code == 403
    assert client.post(reverse("licensing:application-blocks", args=[application.pk]), {"codes": ""}).status_code == 403
    assert Application.objects.get().state == S.DRAFT


def test_the_register_lists_lodged_applications_never_drafts(client, applicant, make_user, crew) -> None:
    owner, org = applicant
    lodged = factories.lodged(owner, org, factories.rectangle(1, 1))
    factories.draft(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 5))
    page = client.get(reverse("licensing:register-applications")).content.decode()
    assert lodged.reference in page and "Draft" not in page
    assert client.get(reverse("licensing:register-applications"), {"state": "nonsense"}).status_code == 400
    detail = client.get(reverse("licensing:register-application", args=[lodged.reference]))
    assert detail.status_code == 200 and grid.code(factories.ORIGIN) in detail.content.decode()
    assert client.get(reverse("licensing:register-application", args=["A-999999"])).status_code == 404
    assert client.get(reverse("licensing:register-application", args=["drop table"])).status_code == 404


def test_anyone_signed_in_may_object_during_the_objection_period(client, applicant, make_user, crew) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    url = reverse("licensing:register-application", args=[application.reference])
    neighbour = make_user()
    client.force_login(neighbour)
    assert client.post(url, {"grounds": "Our wells"}).status_code == 400  # not yet in its objection period
    review_services.application_accept(actor=crew.reviewer, application=application)
    review_services.application_publish_notice(actor=crew.reviewer, application=application)
    assert "Lodge an objection" in client.get(url).content.decode()
    assert client.post(url, {"grounds": ""}).status_code == 400
    assert client.post(url, {"grounds": "Our wells are on block N4910E08110"}).status_code == 302
    client.logout()
    assert client.post(url, {"grounds": "Anonymous"}).status_code == 403
    assert list(Objection.objects.values_list("grounds", flat=True)) == ["Our wells are on block N4910E08110"]


def test_the_register_runs_the_same_queries_for_3_and_12_applications(
    client, applicant, make_user, crew, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner, org = applicant

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("licensing:register-applications")).status_code == 200
        return len(queries)

    for i in range(3):
        factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * i))
    few = count()
    for i in range(3, 12):
        factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * i))
    assert count() == few


def test_licence_types_are_published(client) -> None:
    page = client.get(reverse("licensing:licence-types")).content.decode()
    assert "Exploration licence (solid minerals)" in page and "Mining licence" in page and "placeholders" in page


def test_shares_outside_0_to_100_are_refused_at_the_field(client, applicant) -> None:
    owner, org = applicant
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    client.force_login(owner)
    response = client.post(
        reverse("licensing:application-details", args=[application.pk]),
        {
            "title": "Kalba",
            "region": "east_kazakhstan",
            "kazakh_staff_percent": "150",
            "local_goods_percent": "-5",
            "training_spend_kzt": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "A share cannot be above 100 percent." in page and "A share cannot be below zero." in page
    assert "Constraint" not in page
    assert Application.objects.get().kazakh_staff_percent is None


def test_the_register_filters_by_type_region_and_commodity(client, applicant) -> None:
    from decimal import Decimal

    from tests.deposits.factories import DepositFactory

    owner, org = applicant
    near = factories.lodged(owner, org, factories.rectangle(1, 1))
    far = factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 10))
    DepositFactory(latitude=Decimal("49.17"), longitude=Decimal("81.17"))  # lithium, in block N4910E08110
    url = reverse("licensing:register-applications")

    def listed(**filters: str) -> set[str]:
        page = client.get(url, filters)
        assert page.status_code == 200
        return {a for a in (near.reference, far.reference) if a in page.content.decode()}

    assert listed(commodity="Li") == {near.reference}
    assert listed(licence_type="exploration", region="east_kazakhstan") == {near.reference, far.reference}
    assert listed(region="mangystau") == set()
    assert client.get(url, {"commodity": "XX"}).status_code == 400
    detail = client.get(reverse("licensing:register-application", args=[near.reference])).content.decode()
    assert "History" in detail and "Lodged" in detail


def test_starting_an_application_without_an_organisation_or_a_title_is_refused(client, first, registrar) -> None:
    """An empty POST re-rendered the list with 200, and so did an official's (no organisation):
    the permission matrix passed only in its own order."""
    owner, _organisation = first
    client.force_login(registrar)
    assert client.post(reverse("licensing:application-list"), {"title": "Mine"}).status_code == 403
    client.force_login(owner)
    assert client.post(reverse("licensing:application-list")).status_code == 400
    assert not Application.objects.exists()
