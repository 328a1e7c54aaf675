"""Beat tasks, thin: they call services."""

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from licensing.calendar import working_days_refresh
from licensing.ground import services as ground_services
from licensing.licences import breaches, money, publication, revocations
from licensing.licences.expiry import licences_expire_due
from licensing.licences.reminders import obligation_reminders_send
from licensing.review import services as review_services
from licensing.statistics import in_database as statistics_in_database
from licensing.statistics.figures import MAX_WEEKS


@shared_task
def lapse_unanswered() -> list[int]:
    return review_services.applications_lapse_due()


@shared_task
def settle_openings() -> list[int]:
    return ground_services.openings_settle_due()


@shared_task
def decide_auctions() -> list[int]:
    return ground_services.auctions_decide_due()


@shared_task
def send_obligation_reminders() -> list[int]:
    # Today in Astana (TIME_ZONE): the steps are counted in the holder's calendar days.
    return obligation_reminders_send(today=timezone.localdate())


@shared_task
def issue_invoices() -> list[str]:
    return money.invoices_issue_due()


@shared_task
def open_breaches() -> list[int]:
    return breaches.breaches_open_due(today=timezone.localdate())


@shared_task
def expire_licences() -> list[str]:
    # Today in Astana: a licence is in force to the end of its expiry day there. A full batch
    # means more are due: the task runs again at once rather than waiting a day.
    expired = licences_expire_due(today=timezone.localdate())
    if len(expired) >= settings.LICENSING_EXPIRY_BATCH:
        expire_licences.delay()
    return expired


@shared_task
def revocations_take_effect() -> list[str]:
    # Today in Astana: the holder may contest to the end of the last day of its period there.
    return revocations.revocations_effective_due(today=timezone.localdate())


@shared_task
def keep_backlog() -> int:
    """Just after midnight: count the backlog of the longest window ending today, so that its
    past days are kept (BacklogSnapshot) before the day's first reader asks. PostgreSQL only."""
    if connection.vendor != "postgresql":
        return 0
    return len(statistics_in_database.backlog(until=timezone.localdate(), weeks=MAX_WEEKS))


@shared_task
def number_working_days() -> int:
    # The statistics refresh the numbered days when the government's table changes; the turn of
    # the year and a new release of the holidays package change no row of it, so they come here.
    return working_days_refresh()


# The build reads the whole register: at its full size it runs for minutes, past the default limits.
@shared_task(time_limit=3600, soft_time_limit=3300)
def build_open_data() -> dict:
    return publication.open_data_build()
