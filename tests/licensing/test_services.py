"""Lodgement, priority, conflicts, the workflow and its clocks, through the services."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import TransitionError
from events.models import Event
from licensing.domain import grid
from licensing.drafting import selectors as drafting_selectors
from licensing.drafting import services as drafting_services
from licensing.ground import services as ground_services
from licensing.models import (
    Application,
    ApplicationState,
    Claim,
    ClaimStatus,
    GroundOpening,
    Licence,
    Tenure,
)
from licensing.review import information
from licensing.review import services as review_services
from tests.licensing import factories

S = ApplicationState
pytestmark = pytest.mark.django_db
ASTANA = ZoneInfo("Asia/Almaty")


def events_of(application: Application) -> list[str]:
    return list(Event.objects.filter(subject_id=str(application.pk)).order_by("id").values_list("type", flat=True))


# Lodgement -----------------------------------------------------------------------------


def test_lodgement_stamps_priority_time_and_claims_every_block(first) -> None:
    owner, org = first
    blocks = factories.rectangle(3, 4)
    application = factories.lodged(owner, org, blocks)
    assert application.state == S.LODGED
    assert application.priority_number == 1
    assert application.received_at == application.lodged_at  # in office hours
    assert sorted(application.claims.values_list("block", flat=True)) == sorted(blocks)
    assert application.stage_due_on == date(2026, 12, 1)  # 5 working days after Tuesday 24 November
    assert "application.lodged" in events_of(application)


def test_priority_numbers_strictly_increase(first, second) -> None:
    a = factories.lodged(*first, factories.rectangle(1, 2))
    b = factories.lodged(*second, factories.rectangle(1, 2, factories.ORIGIN + 10))
    assert b.priority_number == a.priority_number + 1


def test_later_lodgement_over_pending_blocks_is_conditional_and_told_which(first, second) -> None:
    factories.lodged(*first, factories.rectangle(2, 2))
    later = factories.lodged(*second, factories.rectangle(2, 3))
    conditional = set(later.claims.filter(conditional=True).values_list("block", flat=True))
    assert conditional == set(factories.rectangle(2, 2))
    event = Event.objects.get(type="application.lodged", subject_id=str(later.pk))
    assert sorted(event.payload["conditional"]) == sorted(grid.code(b) for b in factories.rectangle(2, 2))


def test_lodging_twice_is_refused_and_changes_nothing(first) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    with pytest.raises(TransitionError, match="already lodged"):
        drafting_services.application_lodge(actor=owner, application=application)
    assert Claim.objects.count() == 1
    assert Application.objects.get().priority_number == 1


def test_out_of_hours_lodgement_is_deemed_received_at_next_opening(first, time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 27, 19, 30, tzinfo=ASTANA))  # Friday evening
    application = factories.lodged(*first, factories.rectangle(1, 1))
    assert application.received_at == datetime(2026, 11, 30, 9, 0, tzinfo=ASTANA)  # Monday 09:00


def test_declared_day_off_moves_deemed_receipt(first, time_machine) -> None:
    factories.CalendarDayFactory(date=date(2026, 11, 30), is_working_day=False, name="Declared day off")
    time_machine.move_to(datetime(2026, 11, 28, 11, 0, tzinfo=ASTANA))  # Saturday
    application = factories.lodged(*first, factories.rectangle(1, 1))
    assert application.received_at == datetime(2026, 12, 1, 9, 0, tzinfo=ASTANA)  # Tuesday 09:00


# Bad input: a clear refusal, nothing changed ---------------------------------------------


def _refused(owner, application, match: str) -> None:
    before = Claim.objects.count(), Event.objects.filter(type="application.lodged").count()
    with pytest.raises(ValidationError) as error:
        drafting_services.application_lodge(actor=owner, application=application)
    assert any(match in message for message in error.value.messages), error.value.messages
    assert (Claim.objects.count(), Event.objects.filter(type="application.lodged").count()) == before
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_blocks_outside_kazakhstan_are_refused(first) -> None:
    owner, org = first
    application = factories.complete(
        owner, factories.draft(owner, org, factories.rectangle(1, 2, grid.parse("N5530E03730")))
    )
    _refused(owner, application, "not in Kazakhstan")


def test_too_many_blocks_are_refused(first) -> None:
    owner, org = first
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 1), code="prospecting"))
    drafting_services.application_update(actor=owner, application=application, blocks=factories.rectangle(1, 2))
    _refused(owner, Application.objects.get(pk=application.pk), "1 to 1 blocks")


def test_blocks_not_contiguous_are_refused(first) -> None:
    owner, org = first
    application = factories.complete(
        owner, factories.draft(owner, org, [factories.ORIGIN, factories.ORIGIN + grid.MINUTES_LON + 1])
    )
    _refused(owner, application, "separate parts")


def test_expenditure_below_minimum_is_refused(first) -> None:
    owner, org = first
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 2)))
    years = factories.programme(application)
    years[0]["expenditure_kzt"] -= Decimal("0.01")
    drafting_services.application_programme_set(actor=owner, application=application, years=years)
    _refused(owner, application, "less than the minimum")


def test_undeclared_or_missing_documents_are_named(first) -> None:
    owner, org = first
    application = factories.draft(owner, org, factories.rectangle(1, 1))
    problems, _check = drafting_selectors.application_problems(application)
    assert "Make the declaration." in problems
    assert any(p.startswith("Attach: Exploration work programme") for p in problems)


def test_held_blocks_are_refused_outright(first, second, crew, time_machine) -> None:
    granted = grant(factories.lodged(*first, factories.rectangle(2, 2)), crew, time_machine)
    assert granted.state == S.GRANTED
    owner, org = second
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(2, 3)))
    _refused(owner, application, "held under a licence")


def test_another_organisations_draft_cannot_be_lodged_or_changed(first, second) -> None:
    owner, org = first
    application = factories.complete(owner, factories.draft(owner, org, factories.rectangle(1, 1)))
    stranger = second[0]
    with pytest.raises(PermissionDenied):
        drafting_services.application_lodge(actor=stranger, application=application)
    with pytest.raises(PermissionDenied):
        drafting_services.application_update(actor=stranger, application=application, title="Mine now")
    assert Application.objects.get(pk=application.pk).state == S.DRAFT
    assert Application.objects.get(pk=application.pk).title == "Kalba lithium"


def test_unverified_organisation_cannot_draft(make_user) -> None:
    from tests.investors import factories as investor_factories

    owner = make_user()
    org = investor_factories.organisation(owner)
    with pytest.raises(TransitionError, match="verified"):
        factories.draft(owner, org, factories.rectangle(1, 1))


def test_malformed_block_codes_are_refused(first) -> None:
    owner, org = first
    with pytest.raises(ValidationError, match="not a block code"):
        factories.draft(owner, org, ["N4960E08110"])


# Workflow ------------------------------------------------------------------------------


def grant(application: Application, crew, time_machine) -> Application:
    application = factories.to_assessment(application, crew.reviewer, time_machine)
    if application.screening_required:
        review_services.application_refer_screening(actor=crew.reviewer, application=application)
        review_services.application_screening_result(
            actor=crew.reviewer, application=application, cleared=True, note="ok"
        )
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound"
    )
    return review_services.application_decide(actor=crew.approver, application=application, decision="grant")


def test_the_whole_path_to_a_licence(first, crew, time_machine) -> None:
    application = grant(factories.lodged(*first, factories.rectangle(2, 2)), crew, time_machine)
    licence = Licence.objects.get(application=application)
    assert licence.number.startswith("KZ-EXP-2026-")
    assert licence.expires_on == licence.starts_on.replace(year=licence.starts_on.year + 6)
    assert set(Tenure.objects.filter(licence=licence).values_list("block", flat=True)) == set(factories.rectangle(2, 2))
    assert events_of(application)[-1] == "application.granted"


def test_recommender_cannot_decide(first, crew, time_machine, make_user) -> None:
    from accounts.roles import Role

    both = make_user(Role.REVIEWER, Role.APPROVER)
    application = factories.to_assessment(
        factories.lodged(*first, factories.rectangle(1, 1)), crew.reviewer, time_machine
    )
    review_services.application_recommend(actor=both, application=application, recommendation="grant", reasons="Good")
    with pytest.raises(PermissionDenied, match="another approver"):
        review_services.application_decide(actor=both, application=application, decision="grant")
    assert Application.objects.get(pk=application.pk).state == S.RECOMMENDED
    review_services.application_decide(actor=crew.approver, application=application, decision="grant")


def test_four_eyes_is_a_database_rule_too(first, crew, time_machine) -> None:
    application = grant(factories.lodged(*first, factories.rectangle(1, 1)), crew, time_machine)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(decided_by=application.recommended_by)


@pytest.mark.parametrize(
    ("service", "kwargs", "role"),
    [
        ("application_accept", {}, "approver"),
        ("application_publish_notice", {}, "investor"),
        ("application_recommend", {"recommendation": "grant", "reasons": "x"}, "approver"),
        ("application_decide", {"decision": "grant"}, "reviewer"),
        ("application_request_info", {"message": "x"}, "registrar"),
    ],
)
def test_each_transition_refuses_the_wrong_role(first, crew, service, kwargs, role) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    actor = {"approver": crew.approver, "reviewer": crew.reviewer, "registrar": crew.registrar, "investor": owner}[role]
    with pytest.raises(PermissionDenied):
        write = getattr(review_services, service, None) or getattr(information, service)
        write(actor=actor, application=application, **kwargs)
    assert Application.objects.get(pk=application.pk).state == S.LODGED


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        ("application_publish_notice", {}),
        ("application_refer_screening", {}),
        ("application_recommend", {"recommendation": "grant", "reasons": "x"}),
        ("application_close_objections", {}),
    ],
)
def test_transitions_from_the_wrong_state_are_refused(first, crew, service, kwargs) -> None:
    application = factories.lodged(*first, factories.rectangle(1, 1))
    with pytest.raises(TransitionError):
        getattr(review_services, service)(actor=crew.reviewer, application=application, **kwargs)
    assert Application.objects.get(pk=application.pk).state == S.LODGED
    assert events_of(application)[-1] == "application.lodged"


def test_information_request_stops_the_clock_until_answered(first, crew, time_machine) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    application = review_services.application_accept(actor=crew.reviewer, application=application)
    assert application.stage_due_on == date(2026, 12, 8)  # 10 working days from Tuesday 24 November
    time_machine.move_to(datetime(2026, 11, 26, 10, 0, tzinfo=ASTANA))  # 2 working days used, 8 left
    information.application_request_info(actor=crew.reviewer, application=application, message="Send the licence map")
    time_machine.move_to(datetime(2026, 12, 7, 10, 0, tzinfo=ASTANA))  # answered 7 working days later
    application = information.application_answer(actor=owner, application=application, answer="Attached")
    assert application.state == S.UNDER_REVIEW
    assert application.stage_due_on == date(2026, 12, 18)  # 8 working days after 7 December, 16th a holiday


def test_unanswered_request_lapses_and_frees_the_ground(first, crew, time_machine) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 2))
    request = information.application_request_info(
        actor=crew.reviewer, application=application, message="Proof of funds", due_on=date(2026, 12, 4)
    )
    time_machine.move_to(datetime(2026, 12, 4, 17, 0, tzinfo=ASTANA))
    assert review_services.applications_lapse_due() == []  # due today: not yet
    time_machine.move_to(datetime(2026, 12, 5, 0, 30, tzinfo=ASTANA))
    assert review_services.applications_lapse_due() == [application.pk]
    assert Application.objects.get(pk=application.pk).state == S.LAPSED
    opening = GroundOpening.objects.get()
    assert set(opening.blocks.values_list("block", flat=True)) == set(factories.rectangle(1, 2))
    assert opening.opens_at.astimezone(ASTANA).hour == 9
    assert request.due_on == date(2026, 12, 4)


def test_the_objection_period_never_ends_on_a_day_off(first, crew, time_machine) -> None:
    application = factories.lodged(*first, factories.rectangle(1, 1))
    review_services.application_accept(actor=crew.reviewer, application=application)
    # Thirty days from Thursday 3 December 2026 is Saturday 2 January 2027, a New Year holiday,
    # whose day off moves to Monday 4 January: the period runs to Tuesday 5 January.
    time_machine.move_to(datetime(2026, 12, 3, 10, 0, tzinfo=ASTANA))
    application = review_services.application_publish_notice(actor=crew.reviewer, application=application)
    assert application.objection_closes_on == date(2027, 1, 5)


def test_objection_only_while_the_period_runs(first, crew, make_user, time_machine) -> None:
    neighbour = make_user()
    application = factories.lodged(*first, factories.rectangle(1, 1))
    with pytest.raises(TransitionError):
        review_services.objection_lodge(actor=neighbour, application=application, grounds="Our wells")
    review_services.application_accept(actor=crew.reviewer, application=application)
    application = review_services.application_publish_notice(actor=crew.reviewer, application=application)
    assert application.objection_closes_on == date(2026, 12, 24)
    review_services.objection_lodge(actor=neighbour, application=application, grounds="Our wells are there")
    with pytest.raises(ValidationError):
        review_services.objection_lodge(actor=neighbour, application=application, grounds="  ")
    with pytest.raises(TransitionError, match="open until"):
        review_services.application_close_objections(actor=crew.reviewer, application=application)
    time_machine.move_to(datetime(2026, 12, 25, 10, 0, tzinfo=ASTANA))
    with pytest.raises(TransitionError, match="closed"):
        review_services.objection_lodge(actor=neighbour, application=application, grounds="Late")
    application = review_services.application_close_objections(actor=crew.reviewer, application=application)
    assert application.state == S.ASSESSMENT
    assert application.objections.count() == 1


def test_foreign_state_linked_applicant_is_screened_before_recommendation(make_user, crew, time_machine) -> None:
    from accounts.roles import Role
    from investors.models import OwnerKind
    from tests.investors import factories as investor_factories

    owner = make_user(Role.INVESTOR)
    org = investor_factories.organisation(owner, country="CN")
    investor_factories.owner(
        org,
        owner,
        kind=OwnerKind.LEGAL,
        name="State Holding",
        share=Decimal(100),
        country="CN",
        state_owned=True,
    )
    investor_factories.complete(org, owner)

    investor_factories.submit(org, owner)
    investor_factories.verify(org, crew.registrar)
    application = factories.to_assessment(
        factories.lodged(owner, org, factories.rectangle(1, 1)), crew.reviewer, time_machine
    )
    assert application.screening_required
    with pytest.raises(TransitionError, match="screened"):
        review_services.application_recommend(
            actor=crew.reviewer, application=application, recommendation="grant", reasons="x"
        )
    review_services.application_refer_screening(actor=crew.reviewer, application=application)
    review_services.application_screening_result(
        actor=crew.reviewer, application=application, cleared=True, note="Cleared"
    )
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="x"
    )


# Conflicts -----------------------------------------------------------------------------


def test_grant_excises_the_later_conditional_claims(first, second, crew, time_machine) -> None:
    earlier = factories.lodged(*first, factories.rectangle(2, 2))
    later = factories.lodged(*second, factories.rectangle(2, 3))
    grant(earlier, crew, time_machine)
    excised = set(later.claims.filter(status=ClaimStatus.EXCISED).values_list("block", flat=True))
    assert excised == set(factories.rectangle(2, 2))
    assert later.claims.filter(status=ClaimStatus.LIVE).count() == 2
    assert "application.blocks_excised" in events_of(later)


def test_later_application_cannot_be_granted_over_an_earlier_pending_one(first, second, crew, time_machine) -> None:
    factories.lodged(*first, factories.rectangle(1, 2))
    later = factories.lodged(*second, factories.rectangle(1, 3))
    with pytest.raises(TransitionError, match="earlier applications"):
        grant(later, crew, time_machine)
    assert not Tenure.objects.exists()


def test_refusal_passes_the_blocks_to_the_next_in_line_and_frees_the_rest(first, second, crew, time_machine) -> None:
    earlier = factories.lodged(*first, factories.rectangle(1, 3))
    later = factories.lodged(*second, factories.rectangle(1, 2))
    drafting_services.application_withdraw(actor=first[0], application=earlier, reason="Changed plans")
    assert "application.blocks_promoted" in events_of(later)
    opening = GroundOpening.objects.get()
    assert list(opening.blocks.values_list("block", flat=True)) == [factories.rectangle(1, 3)[2]]
    assert grant(later, crew, time_machine).state == S.GRANTED


def test_no_block_is_ever_held_twice(first, crew, time_machine) -> None:
    application = grant(factories.lodged(*first, factories.rectangle(1, 1)), crew, time_machine)
    licence = Licence.objects.get(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(licence=licence, block=factories.ORIGIN, started_at=timezone.now())


# Opening windows -----------------------------------------------------------------------


def test_opening_window_ranks_equally_then_auction_decides(first, second, make_user, crew, time_machine) -> None:
    third = factories.applicant(make_user, crew.registrar, "Third Lithium LLP")
    blocks = factories.rectangle(2, 2)
    opening = ground_services.ground_open(
        actor=crew.registrar, blocks=blocks, reason="released", region="east_kazakhstan"
    )
    # Before it opens, the ground cannot be applied for.
    owner, org = first
    early = factories.complete(owner, factories.draft(owner, org, blocks))
    with pytest.raises(ValidationError, match="open for applications only"):
        drafting_services.application_lodge(actor=owner, application=early)
    time_machine.move_to(opening.opens_at + timedelta(days=3))
    a = drafting_services.application_lodge(actor=owner, application=early)
    b = factories.lodged(*second, blocks[:2])  # lodged later in the month, still ranks equally
    assert not b.claims.filter(conditional=True).exists()
    time_machine.move_to(opening.window_closes_at + timedelta(hours=1))
    c = factories.lodged(*third, blocks[:1])  # after the month: strict order of receipt, behind both
    assert c.claims.get().conditional
    auction = ground_services.opening_settle(actor=None, opening=opening)
    assert set(auction.bids.values_list("application_id", flat=True)) == {a.pk, b.pk}
    ground_services.bid_place(actor=second[0], application=b, amount_kzt=Decimal("9000000"))
    ground_services.bid_place(actor=owner, application=a, amount_kzt=Decimal("5000000"))
    with pytest.raises(TransitionError, match="sealed until"):
        ground_services.auction_decide(actor=crew.reviewer, auction=auction)
    time_machine.move_to(auction.bids_close_at)
    ordered = ground_services.auction_decide(actor=crew.reviewer, auction=auction)
    assert [bid.application_id for bid in ordered] == [b.pk, a.pk]
    ranks = dict(Claim.objects.filter(block=blocks[0]).values_list("application_id", "rank"))
    assert ranks[b.pk] < ranks[a.pk] < ranks[c.pk]
    event = Event.objects.get(type="auction.decided")
    assert event.payload["seed"] and event.payload["result"][0]["application"] == b.reference


def test_tied_bids_are_settled_by_a_recorded_replayable_draw(first, second, crew, time_machine) -> None:
    import random

    auction, (a, b) = factories.auction_called([first, second], crew.registrar, time_machine)
    for (owner, _org), application in ((first, a), (second, b)):
        ground_services.bid_place(actor=owner, application=application, amount_kzt=Decimal(1000))
    time_machine.move_to(auction.bids_close_at)
    ordered = ground_services.auction_decide(actor=None, auction=auction)
    auction.refresh_from_db()
    replay = random.Random(auction.draw_seed).sample(range(1, 3), 2)
    assert [bid.draw for bid in sorted(ordered, key=lambda bid: bid.application.priority_number)] == replay
    assert ordered[0].draw < ordered[1].draw


def test_bids_are_opened_by_the_beat_task_once_bidding_closes(first, second, crew, time_machine) -> None:
    blocks = factories.rectangle(1, 1)
    opening = ground_services.ground_open(actor=crew.registrar, blocks=blocks, reason="released")
    time_machine.move_to(opening.opens_at)
    a = factories.lodged(*first, blocks)
    b = factories.lodged(*second, blocks)
    time_machine.move_to(opening.window_closes_at)
    assert ground_services.openings_settle_due() == [opening.pk]
    auction = opening.auction
    ground_services.bid_place(actor=second[0], application=b, amount_kzt=Decimal("2000000"))
    assert ground_services.auctions_decide_due() == []  # still sealed
    time_machine.move_to(auction.bids_close_at)
    assert ground_services.auctions_decide_due() == [auction.pk]
    ranks = dict(Claim.objects.filter(block=blocks[0]).values_list("application_id", "rank"))
    assert ranks[b.pk] < ranks[a.pk]  # the only bidder first; no bid ranks last
    assert ground_services.auctions_decide_due() == []  # decided once


def test_ground_claimed_by_a_pending_application_cannot_be_opened(first, crew) -> None:
    factories.lodged(*first, factories.rectangle(1, 2))
    with pytest.raises(ValidationError, match="claimed by pending applications"):
        ground_services.ground_open(actor=crew.registrar, blocks=factories.rectangle(1, 3), reason="released")
    assert not GroundOpening.objects.exists()


def test_a_draft_cannot_be_withdrawn_and_stays_a_draft(first) -> None:
    """A draft was never lodged and has no priority: withdrawing it broke the database's rule
    that every application past the draft has one, and answered 500 (found when the
    permission matrix ran in another order). It is refused, and nothing changes."""
    owner, organisation = first
    application = factories.draft(owner, organisation, factories.rectangle(1, 2))
    before = events_of(application)
    with pytest.raises(TransitionError, match="nothing to withdraw"):
        drafting_services.application_withdraw(actor=owner, application=application, reason="Not now")
    application.refresh_from_db()
    assert application.state == S.DRAFT and events_of(application) == before
