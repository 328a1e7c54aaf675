"""Beat tasks, thin: they call services."""

from celery import shared_task

from licensing import services


@shared_task
def lapse_unanswered() -> list[int]:
    return services.applications_lapse_due()


@shared_task
def settle_openings() -> list[int]:
    return services.openings_settle_due()


@shared_task
def decide_auctions() -> list[int]:
    return services.auctions_decide_due()
