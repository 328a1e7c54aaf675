"""Relinquishment as a change of title: its problems, its effect on approval (ground opening at
the next opening time with equal ranking, fees recalculated, the year's duty met, a certificate
version), the planner page with its preview and confirmation, and the release calendar's
"Being decided" section."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from investors.models import MemberRole
from licensing.domain import grid
from licensing.ground import services as ground_services
from licensing.licences.selectors import obligations
from licensing.models import (
    CertificateReason,
    GroundOpening,
    LicenceObligation,
    ObligationKind,
    OpeningReason,
    Tenure,
    TitleChange,
    TitleChangeState,
)
from licensing.titles import relinquishment
from licensing.titles import services as titles
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.licensing.test_title_changes import decide

pytestmark = pytest.mark.django_db
ASTANA = ZoneInfo("Asia/Almaty")
S = TitleChangeState
# A 3 × 4 rectangle: rows 0-2 from the south, columns 0-3 from the west.
BLOCKS = factories.rectangle(3, 4)
NORTH_ROW = BLOCKS[8:]  # four blocks
MIDDLE_ROW = BLOCKS[4:8]


@pytest.fixture
def in_year_three(time_machine):
    time_machine.move_to(datetime(2025, 11, 3, 10, tzinfo=ASTANA))


@pytest.fixture
def licence(applicant, in_year_three):
    """An exploration licence of 12 blocks in its third year (its 40 % relinquishment falls due at its end)."""
    return factories.licence_scheduled(applicant[1], BLOCKS, starts_on=date(2023, 6, 1), expires_on=date(2029, 6, 1))


def give_up(applicant, licence, blocks):
    return titles.title_change_lodge(actor=applicant[0], licence=licence, kind="relinquishment", blocks=blocks)


def test_a_remainder_in_two_parts_is_refused(applicant, licence) -> None:
    with pytest.raises(ValidationError, match="joined edge to edge; they would form 2 groups"):
        give_up(applicant, licence, MIDDLE_ROW)
    assert not TitleChange.objects.exists()


def test_giving_up_every_block_is_a_surrender(applicant, licence) -> None:
    with pytest.raises(ValidationError, match="lodge a surrender"):
        give_up(applicant, licence, BLOCKS)


def test_someone_elses_block_is_refused(applicant, licence, make_user, crew) -> None:
    other = factories.applicant(make_user, crew.registrar, "Other LLP")
    theirs = factories.licence_held(other[1], factories.rectangle(1, 1, origin=factories.ORIGIN + 40))
    block = Tenure.objects.get(licence=theirs).block
    with pytest.raises(ValidationError, match="not held by this licence: " + grid.code(block)):
        give_up(applicant, licence, [NORTH_ROW[0], block])
    with pytest.raises(ValidationError, match="Pick at least one block"):
        give_up(applicant, licence, [])


def test_an_approval_frees_the_ground_at_the_next_opening_recalculates_fees_and_meets_the_duty(
    applicant, licence, crew, make_user
) -> None:
    before = LicenceObligation.objects.get(licence=licence, kind=ObligationKind.EXPENDITURE, licence_year=4)
    rent_4 = LicenceObligation.objects.get(licence=licence, kind=ObligationKind.RENT, licence_year=4)
    expected = ground_services.next_opening_time(datetime(2025, 11, 3, 10, tzinfo=ASTANA))
    given = [*NORTH_ROW, MIDDLE_ROW[3]]  # five of twelve: 42 %
    change = give_up(applicant, licence, given)
    assert change.blocks == sorted(given) and change.state == S.UNDER_REVIEW
    decide(change, crew)
    held = set(Tenure.objects.filter(licence=licence, is_active=True).values_list("block", flat=True))
    assert held == set(BLOCKS) - set(given)
    opening = GroundOpening.objects.get()
    assert opening.reason == OpeningReason.RELINQUISHED and opening.opens_at == expected
    assert set(opening.blocks.values_list("block", flat=True)) == set(given)
    assert (opening.window_closes_at - opening.opens_at).days in (28, 29, 30, 31)  # the equal-ranking month
    after = LicenceObligation.objects.get(pk=before.pk)
    schedule = obligations(licence_type=licence.licence_type, blocks=sorted(held))
    assert after.amount_mci == 3500 and after.amount_mci < before.amount_mci  # 7 blocks, years 4-6
    assert LicenceObligation.objects.get(pk=rent_4.pk).amount_mci == schedule.years[3].rent_mci
    duty = LicenceObligation.objects.get(licence=licence, kind=ObligationKind.RELINQUISHMENT, licence_year=3)
    assert duty.met_at is not None
    assert licence.certificate_versions.get().reason == CertificateReason.RELINQUISHMENT
    # The freed blocks are not open yet: an application on them is refused until the opening.
    with pytest.raises(ValidationError, match="open for applications only at"):
        factories.lodged(*factories.applicant(make_user, crew.registrar, "Late LLP"), given[:1])


def test_too_small_a_share_leaves_the_duty_due(applicant, licence, crew) -> None:
    decide(give_up(applicant, licence, NORTH_ROW[:1]), crew)
    duty = LicenceObligation.objects.get(licence=licence, kind=ObligationKind.RELINQUISHMENT, licence_year=3)
    assert duty.met_at is None


def test_the_plan_shows_the_remainder_its_problems_fees_and_opening(licence) -> None:
    plan = relinquishment.plan(licence=licence, blocks=MIDDLE_ROW, now=datetime(2025, 11, 3, 10, tzinfo=ASTANA))
    assert len(plan.remaining) == 8 and not plan.contiguous and plan.problems
    assert round(plan.share_percent) == 33
    assert [y.year for y in plan.fees] == [3, 4, 5, 6]
    assert plan.fees[1].expenditure_mci == Decimal(3500)


# The planner page -------------------------------------------------------------------------


def page(licence) -> str:
    return reverse("licensing:holder-title-change-new", args=[licence.number, "relinquishment"])


def test_the_planner_lists_the_blocks_previews_and_lodges_only_once_confirmed(client, applicant, licence) -> None:
    client.force_login(applicant[0])
    shown = client.get(page(licence))
    assert shown.status_code == 200
    for block in BLOCKS:
        assert f'value="{grid.code(block)}"'.encode() in shown.content
    assert b'id="map"' in shown.content and b"relinquish.js" in shown.content
    codes = [grid.code(b) for b in NORTH_ROW]
    preview = client.get(page(licence), {"blocks": codes, "preview": "1"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Blocks that remain" in text and "8: <code>" in text
    assert 'id="plan-fees"' in text and "3,500.00" in text
    opens = ground_services.next_opening_time(datetime(2025, 11, 3, 10, tzinfo=ASTANA))
    assert opens.astimezone(ASTANA).strftime("%Y-%m-%dT%H:%M") in text
    unconfirmed = client.post(page(licence), {"blocks": codes})
    assert unconfirmed.status_code == 400 and not TitleChange.objects.exists()
    lodged = client.post(page(licence), {"blocks": codes, "confirm": "on", "statement": "Poor ground."})
    change = TitleChange.objects.get()
    assert lodged.status_code == 302 and change.blocks == sorted(NORTH_ROW)
    followed = client.get(lodged["Location"]).content.decode()
    assert "Blocks given up" in followed and " ".join(codes) in followed


def test_the_planner_shows_why_a_choice_cannot_be_lodged(client, applicant, licence) -> None:
    client.force_login(applicant[0])
    preview = client.get(page(licence), {"blocks": [grid.code(b) for b in MIDDLE_ROW], "preview": "1"})
    assert b"2 groups" in preview.content and b"Lodge the relinquishment" not in preview.content
    refused = client.post(page(licence), {"blocks": [grid.code(b) for b in MIDDLE_ROW], "confirm": "on"})
    assert refused.status_code == 400 and not TitleChange.objects.exists()
    nothing = client.get(page(licence), {"preview": "1"})
    assert nothing.status_code == 400 and b"Pick at least one block" in nothing.content


def test_the_planner_is_the_holders_only(client, applicant, licence, make_user, crew) -> None:
    stranger = factories.applicant(make_user, crew.registrar, "Stranger LLP")[0]
    client.force_login(stranger)
    assert client.get(page(licence)).status_code == 404
    assert client.post(page(licence), {"blocks": [grid.code(NORTH_ROW[0])], "confirm": "on"}).status_code == 404
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(applicant[1], viewer, MemberRole.VIEWER, invited_by=applicant[0])
    client.force_login(viewer)  # a viewer of the holder sees the plan but may not lodge it
    assert client.get(page(licence), {"blocks": [grid.code(NORTH_ROW[0])], "preview": "1"}).status_code == 200
    assert client.post(page(licence), {"blocks": [grid.code(NORTH_ROW[0])], "confirm": "on"}).status_code == 403
    client.force_login(crew.reviewer)  # officials read every licence's pages
    assert client.get(page(licence)).status_code == 200
    client.logout()
    assert client.get(page(licence)).status_code == 302
    assert not TitleChange.objects.exists()


# The release calendar ---------------------------------------------------------------------


def test_the_calendar_shows_relinquishments_and_surrenders_being_decided_without_the_statement(
    client, applicant, licence, crew, make_user
) -> None:
    change = titles.title_change_lodge(
        actor=applicant[0], licence=licence, kind="relinquishment", blocks=NORTH_ROW, statement="SECRET-REASON"
    )
    for n in range(3):
        other = factories.applicant(make_user, crew.registrar, f"Other {n} LLP")
        more = factories.licence_held(other[1], factories.rectangle(2, 2, origin=factories.ORIGIN + 10 + 3 * n))
        if n == 0:
            report = [investor_factories.pdf_upload("final.pdf")]
            surrender = titles.title_change_lodge(actor=other[0], licence=more, kind="surrender", documents=report)
        else:
            titles.title_change_lodge(actor=other[0], licence=more, kind="relinquishment", blocks=[more_block(more)])
    shown = client.get(reverse("licensing:register-openings"))
    text = shown.content.decode()
    assert "Being decided" in text and licence.number in text and "SECRET-REASON" not in text
    rows = {row["licence"]: row for row in client.get("/api/v1/openings/deciding/").json()["results"]}
    assert rows[licence.number]["blocks"] == 4 and rows[licence.number]["kind"] == "relinquishment"
    assert "statement" not in rows[licence.number] and len(rows) == 4
    assert rows[surrender.licence.number]["blocks"] == 4 and rows[surrender.licence.number]["kind"] == "surrender"
    decide(change, crew)
    assert licence.number not in {r["licence"] for r in client.get("/api/v1/openings/deciding/").json()["results"]}
    # Constant queries: one more change being decided costs nothing more.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("licensing:register-openings"))
    with CaptureQueriesContext(connection) as few_api:
        client.get("/api/v1/openings/deciding/")
    other = factories.applicant(make_user, crew.registrar, "Fourth LLP")
    more = factories.licence_held(other[1], factories.rectangle(2, 2, origin=factories.ORIGIN + 30))
    titles.title_change_lodge(actor=other[0], licence=more, kind="relinquishment", blocks=[more_block(more)])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("licensing:register-openings"))
    with CaptureQueriesContext(connection) as after_api:
        client.get("/api/v1/openings/deciding/")
    assert len(after) == len(few) and len(after_api) == len(few_api)


def more_block(licence) -> int:
    return Tenure.objects.filter(licence=licence).order_by("block").values_list("block", flat=True).first()


def test_the_api_lodges_a_relinquishment_by_block_codes(client, applicant, licence) -> None:
    client.force_login(applicant[0])
    for number in (licence.number + "9", "NOT-A-LICENCE"):
        unknown = client.post(
            "/api/v1/title-changes/",
            {"licence": number, "kind": "relinquishment", "blocks": [grid.code(NORTH_ROW[0])]},
            content_type="application/json",
        )
        assert unknown.status_code == 400 and unknown.json()["errors"] == {"licence": ["No licence with this number."]}
    assert not TitleChange.objects.exists()
    bad = client.post(
        "/api/v1/title-changes/",
        {"licence": licence.number, "kind": "relinquishment", "blocks": ["NOT-A-BLOCK"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "NOT-A-BLOCK is not a block code" in bad.json()["errors"]["blocks"][0]
    codes = [grid.code(b) for b in NORTH_ROW]
    lodged = client.post(
        "/api/v1/title-changes/",
        {"licence": licence.number, "kind": "relinquishment", "blocks": codes},
        content_type="application/json",
    )
    assert lodged.status_code == 201, lodged.content
    assert TitleChange.objects.get(number=lodged.json()["number"]).blocks == sorted(NORTH_ROW)
