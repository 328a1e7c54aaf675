"""Two changes of title lodged at once on one licence, on PostgreSQL with real threads: the
licence's lock and the one-open-change unique index let exactly one in."""

from datetime import date

import pytest

from accounts.errors import TransitionError
from events.services import event_chain_verify
from licensing.models import TitleChange
from licensing.titles import services as titles
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.licensing.test_concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_changes_of_title_lodged_at_once_on_one_licence_one_wins(applicant) -> None:
    owner, organisation = applicant
    licence = factories.licence_held(organisation, factories.rectangle(2, 2))

    def surrender() -> TitleChange:
        report = investor_factories.pdf_upload("final.pdf")
        return titles.title_change_lodge(actor=owner, licence=licence, kind="surrender", documents=[report])

    outcomes = at_once([surrender, surrender])
    won = [o for o in outcomes if isinstance(o, TitleChange)]
    lost = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "being decided" in str(lost[0])
    assert TitleChange.objects.filter(licence=licence).count() == 1
    assert event_chain_verify().ok


def test_a_transfer_and_a_surrender_lodged_at_once_one_is_accepted(applicant, second) -> None:
    owner, organisation = applicant
    licence = factories.licence_held(organisation, factories.rectangle(2, 2), starts_on=date(2023, 1, 10))

    def surrender() -> TitleChange:
        report = investor_factories.pdf_upload("final.pdf")
        return titles.title_change_lodge(actor=owner, licence=licence, kind="surrender", documents=[report])

    def transfer() -> TitleChange:
        return titles.title_change_lodge(actor=owner, licence=licence, kind="transfer", transferee=second[1])

    outcomes = at_once([transfer, surrender])
    won = [o for o in outcomes if isinstance(o, TitleChange)]
    lost = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert TitleChange.objects.filter(licence=licence).count() == 1
    assert event_chain_verify().ok
