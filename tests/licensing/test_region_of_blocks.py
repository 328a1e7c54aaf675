"""An application's region follows its blocks: derived from the regions' boundaries when the
registrar has loaded them, otherwise checked against the deposits the blocks hold."""

from decimal import Decimal

import pytest

from deposits import services as deposit_services
from licensing.domain import grid
from licensing.drafting import selectors, services
from licensing.models import Application
from tests.deposits.factories import DepositFactory
from tests.licensing import factories

pytestmark = pytest.mark.django_db

# A square of one degree holding the test blocks (N49°10′ E081°10′ and around).
AROUND = {"type": "Polygon", "coordinates": [[[81, 49], [82, 49], [82, 50], [81, 50], [81, 49]]]}


def test_with_boundaries_loaded_the_region_is_where_the_blocks_lie(applicant, crew) -> None:
    owner, org = applicant
    deposit_services.region_boundary_load(actor=crew.registrar, region="abai", data=AROUND, source="State data")
    application = factories.draft(owner, org, [])  # says East Kazakhstan
    services.application_update(actor=owner, application=application, blocks=factories.rectangle(1, 2))
    assert Application.objects.get(pk=application.pk).region == "abai"
    # A region that contradicts the blocks is not taken.
    services.application_update(actor=owner, application=application, region="karaganda")
    assert Application.objects.get(pk=application.pk).region == "abai"
    assert selectors.region_problems(Application.objects.get(pk=application.pk)) == []


def test_without_boundaries_the_region_is_checked_against_the_deposits_the_blocks_hold(applicant) -> None:
    owner, org = applicant
    longitude, latitude = grid.centre(factories.ORIGIN)
    DepositFactory(
        name_en="Kalba Ridge",
        region="abai",
        longitude=Decimal(str(round(longitude, 5))),
        latitude=Decimal(str(round(latitude, 5))),
    )
    application = factories.draft(owner, org, factories.rectangle(1, 2))  # says East Kazakhstan
    problems = selectors.region_problems(application)
    assert len(problems) == 1 and "Kalba Ridge" in problems[0] and "correct the region" in problems[0]
    assert problems[0] in selectors.application_problems(application)[0]
    services.application_update(actor=owner, application=application, region="abai")
    assert selectors.region_problems(Application.objects.get(pk=application.pk)) == []
