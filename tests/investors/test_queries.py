"""Pages run a constant number of queries whatever the number of rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from investors import services
from investors.models import OwnerKind
from tests.investors import factories

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the first request of a session checks the second factor once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _owners(org, user, n: int) -> None:
    for i in range(n):
        services.owner_add(
            actor=user, organisation=org, kind=OwnerKind.NATURAL, name=f"O{i}", country="GB", share=Decimal(1)
        )


def test_the_organisation_page_queries_do_not_grow_with_owners_documents_and_members(client, make_user) -> None:
    small_owner, big_owner = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    small = factories.ready_to_submit(factories.organisation(small_owner), small_owner)
    big = factories.ready_to_submit(factories.organisation(big_owner), big_owner, share=50)
    _owners(big, big_owner, 12)
    for i in range(6):
        services.member_invite(actor=big_owner, organisation=big, email=f"c{i}@example.com", role="viewer")
    client.force_login(small_owner)
    few = _queries(client, small.get_absolute_url())
    client.force_login(big_owner)
    many = _queries(client, big.get_absolute_url())
    assert many == few


def test_the_registrar_queue_and_dashboard_are_constant(client, make_user, registrar) -> None:
    for _ in range(2):
        owner = make_user(Role.INVESTOR)
        factories.submit(factories.ready_to_submit(factories.organisation(owner), owner), owner)
    client.force_login(registrar)
    few = _queries(client, "/registrar/organisations/")
    for _ in range(8):
        owner = make_user(Role.INVESTOR)
        factories.submit(factories.ready_to_submit(factories.organisation(owner), owner), owner)
    assert _queries(client, "/registrar/organisations/") == few


def test_the_verification_page_queries_do_not_grow_with_documents_and_decisions(client, make_user, registrar) -> None:
    from investors import verification

    small_owner, big_owner = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    small = factories.submit(factories.ready_to_submit(factories.organisation(small_owner), small_owner), small_owner)
    big = factories.ready_to_submit(factories.organisation(big_owner), big_owner, share=50)
    _owners(big, big_owner, 6)
    for _ in range(4):
        factories.document(big, big_owner)
    factories.submit(big, big_owner)
    factories.checklist_done(big, registrar)  # every check and every document decided, by whom and when
    assert verification.verification_state(big).ready
    client.force_login(registrar)
    few = _queries(client, f"/registrar/organisations/{small.pk}/verification/")
    assert _queries(client, f"/registrar/organisations/{big.pk}/verification/") == few
