"""Two runs of the revocation beat at once on PostgreSQL: the licence is revoked once (one
event, one opening of its ground, one certificate version)."""

from datetime import date

import pytest

from events.models import Event
from licensing.licences import revocations
from licensing.models import CertificateVersion, GroundOpening, LicenceStatus
from tests.licensing.test_concurrency import at_once
from tests.licensing.test_revocations import breach_overdue, notified

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_beat_runs_at_once_make_a_revocation_effective_once(crew, applicant) -> None:
    revocation = notified(crew, breach_overdue(applicant[1]))
    today = date(2026, 12, 18)
    outcomes = at_once([lambda: revocations.revocations_effective_due(today=today)] * 2)
    assert sorted(outcomes, key=len) == [[], [revocation.licence.number]]
    revocation.licence.refresh_from_db()
    assert revocation.licence.status == LicenceStatus.REVOKED
    assert Event.objects.filter(type="revocation.effective").count() == 1
    assert GroundOpening.objects.filter(reason="revoked").count() == 1
    assert CertificateVersion.objects.filter(licence=revocation.licence).count() == 1
