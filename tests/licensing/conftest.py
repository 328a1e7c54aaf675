from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# A Tuesday at 10:00 in Astana: a working day, in office hours.
WORKING_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture(autouse=True)
def _working_morning(time_machine) -> None:
    time_machine.move_to(WORKING_MORNING)
