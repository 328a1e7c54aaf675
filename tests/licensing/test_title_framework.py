"""The change-of-title framework, whatever the kind: lodge, withdraw, recommend, decide with four
eyes, one open change per licence. A stand-in kind records what the framework asks of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.errors import TransitionError
from accounts.roles import Role
from events.models import Event
from licensing.models import TitleChange, TitleChangeKind, TitleChangeState
from licensing.titles import kinds
from licensing.titles import services as titles
from tests.licensing import factories

pytestmark = pytest.mark.django_db
S = TitleChangeState


@pytest.fixture
def applied(monkeypatch) -> list[str]:
    """A stand-in surrender kind: no problems unless the statement says so; apply is recorded."""
    calls: list[str] = []

    def problems(*, licence, change) -> list[str]:
        return ["Not today."] if change.statement == "refuse me" else []

    def apply(*, actor, change, now) -> None:
        calls.append(change.number)

    monkeypatch.setattr(kinds, "_KINDS", {"surrender": kinds.Kind(TitleChangeKind.SURRENDER, problems, apply)})
    monkeypatch.setattr(kinds, "_loaded", True)
    return calls


@pytest.fixture
def licence(applicant):
    return factories.licence_held(applicant[1], factories.rectangle(2, 2))


def lodge(applicant, licence, **kwargs) -> TitleChange:
    return titles.title_change_lodge(actor=applicant[0], licence=licence, kind="surrender", **kwargs)


def test_a_change_goes_from_lodgement_through_four_eyes_to_approval(applicant, licence, crew, applied) -> None:
    change = lodge(applicant, licence, statement="We are done.")
    assert change.state == S.UNDER_REVIEW and change.number.startswith("TC-2026-") and change.decide_by
    titles.title_change_recommend(actor=crew.reviewer, change=change, approve=True, reasons="In order.")
    titles.title_change_decide(actor=crew.approver, change=change, approve=True, reasons="Agreed.")
    change.refresh_from_db()
    assert change.state == S.APPROVED and applied == [change.number]
    types = list(Event.objects.filter(type__startswith="title_change.").values_list("type", flat=True))
    assert types == ["title_change.lodged", "title_change.recommended", "title_change.approved"]


def test_only_the_holders_managers_lodge_and_only_one_change_is_open(
    applicant, licence, crew, make_user, applied
) -> None:
    with pytest.raises(PermissionDenied):
        titles.title_change_lodge(actor=make_user(), licence=licence, kind="surrender")
    with pytest.raises(ValidationError):
        lodge(applicant, licence, statement="refuse me")
    change = lodge(applicant, licence)
    with pytest.raises(TransitionError):
        lodge(applicant, licence)
    titles.title_change_withdraw(actor=applicant[0], change=change)
    with pytest.raises(TransitionError):
        titles.title_change_withdraw(actor=applicant[0], change=change)
    assert lodge(applicant, licence).state == S.UNDER_REVIEW


def test_the_recommender_cannot_decide_nor_can_the_database_be_told_otherwise(
    applicant, licence, crew, make_user, applied
) -> None:
    change = lodge(applicant, licence)
    both = make_user(Role.REVIEWER, Role.APPROVER)
    titles.title_change_recommend(actor=both, change=change, approve=False, reasons="Short.")
    with pytest.raises(PermissionDenied):
        titles.title_change_decide(actor=both, change=change, approve=False, reasons="Short.")
    with pytest.raises(PermissionDenied):
        titles.title_change_decide(actor=crew.reviewer, change=change, approve=False, reasons="Short.")
    with pytest.raises(IntegrityError), transaction.atomic():
        TitleChange.objects.filter(pk=change.pk).update(decided_by=both)
    titles.title_change_decide(actor=crew.approver, change=change, approve=False, reasons="Refused.")
    change.refresh_from_db()
    assert change.state == S.REFUSED and applied == []


def test_the_database_holds_one_open_change_per_licence(applicant, licence, applied) -> None:
    change = lodge(applicant, licence)
    second = TitleChange(
        number="TC-2026-999999",
        licence=licence,
        kind="surrender",
        state=S.RECOMMENDED,
        holder=applicant[1],
        lodged_by=applicant[0],
        lodged_at=change.lodged_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
