"""Races settled by the database: real concurrent connections on PostgreSQL."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.errors import TransitionError
from accounts.roles import Role
from investors import services
from investors.models import BeneficialOwner, Membership, OwnerKind
from tests.investors import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def race(n: int, action: Callable[[int], None], expected: tuple[type[Exception], ...]) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            action(i)
            outcomes.append("done")
        except expected:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_managers_declaring_sixty_percent_at_once_cannot_pass_a_hundred(investor) -> None:
    org = factories.organisation(investor)

    def add(i: int) -> None:
        services.owner_add(
            actor=investor, organisation=org, kind=OwnerKind.NATURAL, name=f"Owner {i}", country="GB", share=Decimal(60)
        )

    assert race(2, add, (ValidationError,)) == ["done", "refused"]
    assert BeneficialOwner.objects.filter(organisation=org).count() == 1


def test_an_invitation_accepted_from_four_tabs_at_once_makes_one_member(investor, make_user) -> None:
    org = factories.organisation(investor)
    invited = make_user(Role.INVESTOR)
    invitation = services.member_invite(actor=investor, organisation=org, email=invited.email, role="viewer")

    def accept(i: int) -> None:
        services.invitation_accept(actor=invited, token=invitation.token)

    assert race(4, accept, (TransitionError, PermissionDenied)) == ["done", "refused", "refused", "refused"]
    assert Membership.objects.filter(organisation=org, user=invited).count() == 1
