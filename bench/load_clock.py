"""The opening-day load's clock: real time plus LOAD_CLOCK_OFFSET seconds, in every process of a
run (the runner, gunicorn's workers, the Celery worker), so that the run takes place on the
morning the ground opens (09:00 Astana time on a working day) whenever it is started.

time-machine moves what Python reads (`time.time`, `datetime.now`, …) and lets it tick on;
`time.monotonic`, which gunicorn and kombu use for their timeouts, is left alone. Nothing in the
application asks PostgreSQL for the time, so the database needs no moving."""

import os
import time


def start() -> float:
    """Move this process's clock by LOAD_CLOCK_OFFSET seconds (none when unset); the offset."""
    offset = float(os.environ.get("LOAD_CLOCK_OFFSET") or 0)
    if offset:
        import time_machine

        time_machine.travel(time.time() + offset, tick=True).start()
    return offset
