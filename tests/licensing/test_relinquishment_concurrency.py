"""A relinquishment approved while a new application is lodged on the blocks it frees, on
PostgreSQL with real threads: the priority counter settles the order, and the application never
claims the blocks before their opening (refused while they are held or not yet open); once the
opening comes, it is lodged and ranks equally in the opening's month."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from events.services import event_chain_verify
from licensing.drafting import services as drafting_services
from licensing.models import Application, Claim, ClaimStatus, GroundOpening, OpeningReason, TitleChange
from licensing.titles import services as titles
from tests.licensing import factories
from tests.licensing.test_concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_application_on_blocks_being_freed_waits_for_the_opening(make_user, crew, time_machine) -> None:
    owner, organisation = factories.applicant(make_user, crew.registrar, "Holder LLP")
    blocks = factories.rectangle(2, 3)
    licence = factories.licence_scheduled(organisation, blocks)
    given = blocks[3:]  # the northern row
    change = titles.title_change_lodge(actor=owner, licence=licence, kind="relinquishment", blocks=given)
    titles.title_change_recommend(actor=crew.reviewer, change=change, approve=True, reasons="Checked.")
    newcomer = factories.applicant(make_user, crew.registrar, "Newcomer LLP")
    draft = factories.complete(newcomer[0], factories.draft(*newcomer, given))

    outcomes = at_once(
        [
            lambda: titles.title_change_decide(actor=crew.approver, change=change, approve=True, reasons="Decided."),
            lambda: drafting_services.application_lodge(actor=newcomer[0], application=draft),
        ]
    )

    assert isinstance(outcomes[0], TitleChange), outcomes[0]
    assert isinstance(outcomes[1], ValidationError), outcomes[1]  # held, or not open until the opening
    assert "held under a licence" in str(outcomes[1]) or "open for applications only at" in str(outcomes[1])
    assert not Claim.objects.filter(block__in=given, status=ClaimStatus.LIVE).exists()
    opening = GroundOpening.objects.get()
    assert opening.reason == OpeningReason.RELINQUISHED
    assert set(opening.blocks.values_list("block", flat=True)) == set(given)

    # At the opening the same application is lodged and ranks equally within the opening's month.
    time_machine.move_to(opening.opens_at + timedelta(minutes=1))
    lodged = drafting_services.application_lodge(actor=newcomer[0], application=Application.objects.get(pk=draft.pk))
    claims = Claim.objects.filter(application=lodged)
    assert set(claims.values_list("opening_id", flat=True)) == {opening.pk}
    assert event_chain_verify().ok
