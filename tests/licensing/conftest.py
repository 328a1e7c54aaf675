from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# A Tuesday at 10:00 in Astana: a working day, in office hours.
WORKING_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture(autouse=True)
def _working_morning(time_machine) -> None:
    time_machine.move_to(WORKING_MORNING)


@pytest.fixture
def crew(make_user):
    """A reviewer, two approvers and a registrar."""
    from tests.licensing import factories

    return factories.officials(make_user)


@pytest.fixture
def applicant(make_user, crew):
    """The owner of a verified organisation, and the organisation."""
    from tests.licensing import factories

    return factories.applicant(make_user, crew.registrar)


@pytest.fixture
def first(make_user, crew):
    from tests.licensing import factories

    return factories.applicant(make_user, crew.registrar, "First Lithium LLP")


@pytest.fixture
def second(make_user, crew):
    from tests.licensing import factories

    return factories.applicant(make_user, crew.registrar, "Second Lithium LLP")
