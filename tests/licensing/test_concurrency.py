"""Priority and tenure races settled by the database: real concurrent connections on PostgreSQL.

Each thread has its own connection (Django's connections are per thread) and closes it when
done. time_machine patches the clock process-wide, so the threads share the frozen morning."""

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import TransitionError
from events.services import event_chain_verify
from licensing.domain import grid
from licensing.drafting import services as drafting_services
from licensing.licences.services import certificate_current
from licensing.models import Application, ApplicationState, CertificateVersion, Claim, ClaimStatus, Licence, Tenure
from licensing.review import services as review_services
from tests.investors import factories as investor_factories
from tests.licensing import factories

S = ApplicationState
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    """Run each action in its own thread, all released together by a barrier; returns each
    action's result, or the exception it raised, in the order of `actions`."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = actions[i]()
        except Exception as exc:  # noqa: BLE001 - the outcome is asserted by the caller
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    return outcomes


def test_fifty_overlapping_lodgements_at_once_get_one_priority_each_in_time_order(make_user, crew) -> None:
    applicants = [factories.applicant(make_user, crew.registrar, f"Steppe {n} LLP") for n in range(5)]
    drafts = []
    for i in range(50):
        owner, org = applicants[i % len(applicants)]
        # 3 × 4 rectangles shifted by one row and two columns: each overlaps several others.
        origin = factories.ORIGIN + (i // 10) * grid.MINUTES_LON + (i % 10) * 2
        drafts.append(
            (owner, factories.complete(owner, factories.draft(owner, org, factories.rectangle(3, 4, origin))))
        )

    outcomes = at_once(
        [
            lambda o=owner, a=draft: drafting_services.application_lodge(actor=o, application=a)
            for owner, draft in drafts
        ]
    )

    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert failures == []
    lodged = list(Application.objects.filter(pk__in=[a.pk for _, a in drafts]).order_by("priority_number"))
    assert [a.state for a in lodged] == [S.LODGED] * 50
    assert [a.priority_number for a in lodged] == list(range(1, 51))
    times = [a.lodged_at for a in lodged]
    assert times == sorted(times), "a later priority number was lodged earlier"

    priority = {a.pk: a.priority_number for a in lodged}
    claims_on: dict[int, list[Claim]] = defaultdict(list)
    for claim in Claim.objects.filter(application__in=lodged):
        claims_on[claim.block].append(claim)
    assert sum(len(c) for c in claims_on.values()) == 50 * 12
    for block, claims in claims_on.items():
        assert {c.status for c in claims} == {ClaimStatus.LIVE}
        first = min(claims, key=lambda c: c.rank)
        assert priority[first.application_id] == min(priority[c.application_id] for c in claims), grid.code(block)
        for claim in claims:
            earlier = any(priority[c.application_id] < priority[claim.application_id] for c in claims)
            assert claim.conditional == earlier, (grid.code(block), priority[claim.application_id])
    assert event_chain_verify().ok


def test_two_tenures_on_one_block_at_once_the_database_refuses_the_second(make_user) -> None:
    owner = make_user()
    org = investor_factories.organisation(owner)
    licence_type = factories.licence_type()
    today = timezone.localdate()
    licences = [
        factories.LicenceFactory(
            number=f"KZ-EXP-2026-99999{n}",
            holder=org,
            licence_type=licence_type,
            granted_at=timezone.now(),
            starts_on=today,
            expires_on=today.replace(year=today.year + 6),
        )
        for n in range(2)
    ]
    block = factories.ORIGIN
    both_checked = threading.Barrier(2)

    def take(licence: Licence) -> str:
        # Check, then write, as naive code would: both see the block free before either writes.
        with transaction.atomic():
            free = not Tenure.objects.filter(block=block, is_active=True).exists()
            both_checked.wait(timeout=10)
            Tenure.objects.create(licence=licence, block=block, started_at=timezone.now())
        return "free" if free else "held"

    outcomes = at_once([lambda lic=lic: take(lic) for lic in licences])

    assert sorted(type(o).__name__ for o in outcomes) == ["IntegrityError", "str"]
    assert [o for o in outcomes if isinstance(o, str)] == ["free"]
    assert Tenure.objects.filter(block=block, is_active=True).count() == 1


def test_two_grants_over_the_same_blocks_at_once_make_one_licence(make_user, crew, time_machine) -> None:
    blocks = factories.rectangle(2, 3)
    first = factories.lodged(*factories.applicant(make_user, crew.registrar, "First LLP"), blocks)
    second = factories.lodged(*factories.applicant(make_user, crew.registrar, "Second LLP"), blocks)
    recommended = []
    for application in (first, second):
        application = factories.to_assessment(application, crew.reviewer, time_machine)
        if application.screening_required:
            review_services.application_refer_screening(actor=crew.reviewer, application=application)
            review_services.application_screening_result(
                actor=crew.reviewer, application=application, cleared=True, note=""
            )
        recommended.append(
            review_services.application_recommend(
                actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound"
            )
        )

    outcomes = at_once(
        [
            lambda: review_services.application_decide(
                actor=crew.approver, application=recommended[0], decision="grant"
            ),
            lambda: review_services.application_decide(
                actor=crew.approver2, application=recommended[1], decision="grant"
            ),
        ]
    )

    assert isinstance(outcomes[0], Application), outcomes[0]
    assert isinstance(outcomes[1], TransitionError), outcomes[1]
    assert Application.objects.get(pk=first.pk).state == S.GRANTED
    assert Application.objects.get(pk=second.pk).state == S.RECOMMENDED
    licence = Licence.objects.get()
    assert licence.application_id == first.pk
    held = list(Tenure.objects.filter(is_active=True).values_list("block", "licence_id"))
    assert sorted(held) == sorted((b, licence.pk) for b in blocks)
    assert set(Claim.objects.filter(application=second).values_list("status", flat=True)) == {ClaimStatus.EXCISED}


def test_two_first_downloads_of_an_old_licence_at_once_issue_one_certificate_version(make_user) -> None:
    owner = make_user()
    licence = factories.licence_held(investor_factories.organisation(owner), [factories.ORIGIN])
    outcomes = at_once([lambda: certificate_current(actor=owner, licence=licence).pk for _ in range(2)])
    (version,) = CertificateVersion.objects.filter(licence=licence)
    assert outcomes == [version.pk, version.pk]
    assert event_chain_verify().ok
