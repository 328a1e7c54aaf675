"""Reads of changes of title: a licence's changes, one change for who may see it (404 for anyone
else), the officials' queue, a change's timeline, and the API's list per reader."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from events import catalogue
from events.models import Event
from investors.models import Membership
from licensing.licences.selectors import incoming_transfers
from licensing.models import OPEN_TITLE_CHANGE_STATES, Licence, TitleChange, TitleChangeKind
from licensing.permissions import works_cases

__all__ = ["incoming_transfers"]


def title_changes_queryset() -> QuerySet[TitleChange]:
    return TitleChange.objects.select_related("licence", "holder", "licence__licence_type", "transferee")


def title_changes_of(licence: Licence) -> QuerySet[TitleChange]:
    return title_changes_queryset().filter(licence=licence)


def title_change_for(user: User, number: str, *, licence: Licence | None = None) -> TitleChange:
    """The change, with its documents, for the holder's members and officials; 404 for anyone else
    (and when it is not a change of `licence`)."""
    change = title_changes_queryset().prefetch_related("documents__document").filter(number=number).first()
    if change is None or (licence is not None and change.licence_id != licence.pk):
        raise Http404(_("No change of title with this number."))
    if not works_cases(user) and not Membership.objects.filter(organisation_id=change.holder_id, user=user).exists():
        raise Http404(_("No change of title with this number."))
    return change


def incoming_transfer_for(user: User, number: str) -> TitleChange:
    """A transfer to an organisation the user belongs to, with its documents; 404 for anyone else."""
    change = (
        title_changes_queryset()
        .prefetch_related("documents__document")
        .filter(number=number, kind=TitleChangeKind.TRANSFER)
        .first()
    )
    if change is None or not Membership.objects.filter(organisation_id=change.transferee_id, user=user).exists():
        raise Http404(_("No change of title with this number."))
    return change


def title_change_queue(*, open_only: bool = True) -> QuerySet[TitleChange]:
    """The officials' queue: open changes, the earliest decision date first."""
    changes = title_changes_queryset()
    if open_only:
        changes = changes.filter(state__in=OPEN_TITLE_CHANGE_STATES)
    return changes.order_by("decide_by", "lodged_at", "id")


def title_change_timeline(change: TitleChange) -> list[dict[str, Any]]:
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(TitleChange), subject_id=str(change.pk)
    ).order_by("id")
    return [{"occurred_at": e.occurred_at, "label": catalogue.label(e.type)} for e in events]


def title_changes_visible_to(user: User) -> QuerySet[TitleChange]:
    """Officials: every change; anyone else: the changes of the organisations they belong to."""
    changes = title_changes_queryset().order_by("-lodged_at", "-id")
    if works_cases(user):
        return changes
    mine = Membership.objects.filter(user=user).values("organisation_id")
    return changes.filter(Q(holder_id__in=mine) | Q(transferee_id__in=mine))
