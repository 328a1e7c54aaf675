"""Conversion: the holder of an exploration licence applies for a mining licence over blocks of it,
ahead of anyone else; the grant moves the blocks from one licence to the other with no gap and
no opening; a refusal leaves them where they were."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from licensing.domain import grid
from licensing.drafting import services as drafting
from licensing.models import (
    Application,
    CertificateReason,
    Claim,
    ClaimStatus,
    GroundOpening,
    Licence,
    LicenceStatus,
    Tenure,
)
from licensing.review import services as review_services
from tests.licensing import factories
from tests.licensing.test_services import grant

pytestmark = pytest.mark.django_db

EXPLORATION = factories.rectangle(2, 3)  # 6 blocks
CONVERTED = [b for b in EXPLORATION if b in factories.rectangle(2, 2)]  # the western 2 × 2


@pytest.fixture
def exploration(first, crew, time_machine) -> Licence:
    """First Lithium's exploration licence over six blocks, granted through the workflow."""
    application = grant(factories.lodged(*first, EXPLORATION), crew, time_machine)
    return Licence.objects.get(application=application)


def conversion(owner, licence: Licence, blocks: list[int] = CONVERTED) -> Application:
    application = drafting.conversion_draft(
        actor=owner, licence=licence, licence_type=factories.licence_type("mining"), blocks=blocks
    )
    return factories.complete(owner, application)


def lodged_conversion(owner, licence: Licence, blocks: list[int] = CONVERTED) -> Application:
    return drafting.application_lodge(actor=owner, application=conversion(owner, licence, blocks))


def _active(licence: Licence) -> set[int]:
    return set(Tenure.objects.filter(licence=licence, is_active=True).values_list("block", flat=True))


def test_a_conversion_over_the_licences_own_blocks_is_lodged_with_priority(first, exploration) -> None:
    application = lodged_conversion(first[0], exploration)
    assert application.converts == exploration and application.region == "east_kazakhstan"
    claims = Claim.objects.filter(application=application)
    assert sorted(c.block for c in claims) == CONVERTED
    assert all(c.status == ClaimStatus.LIVE and not c.conditional for c in claims)
    assert _active(exploration) == set(EXPLORATION)  # held by the exploration licence until the grant


def test_a_conversion_over_another_of_my_licences_blocks_is_refused(first, exploration) -> None:
    other = factories.licence_held(first[1], factories.rectangle(1, 1, factories.ORIGIN + 10))
    with pytest.raises(ValidationError, match="does not hold"):
        drafting.conversion_draft(
            actor=first[0],
            licence=exploration,
            licence_type=factories.licence_type("mining"),
            blocks=[factories.ORIGIN + 10],
        )
    application = conversion(first[0], exploration)
    drafting.application_update(actor=first[0], application=application, blocks=[*CONVERTED, factories.ORIGIN + 10])
    with pytest.raises(ValidationError) as refused:
        drafting.application_lodge(actor=first[0], application=application)
    assert "held under a licence" in str(refused.value) and other.tenures.get().is_active


def test_a_conversion_over_someone_elses_blocks_or_free_ground_is_refused(first, second, exploration) -> None:
    factories.licence_held(second[1], [factories.ORIGIN + 3])  # east of the exploration licence
    application = conversion(first[0], exploration)
    drafting.application_update(actor=first[0], application=application, blocks=[*CONVERTED, factories.ORIGIN + 3])
    with pytest.raises(ValidationError, match="held under a licence"):
        drafting.application_lodge(actor=first[0], application=application)
    drafting.application_update(
        actor=first[0], application=application, blocks=[*CONVERTED, factories.ORIGIN - 1]
    )  # free ground to the west
    with pytest.raises(ValidationError, match="does not hold"):
        drafting.application_lodge(actor=first[0], application=application)


def test_only_the_holder_may_convert_and_only_to_a_mining_licence(first, second, exploration) -> None:
    with pytest.raises(PermissionDenied):
        drafting.conversion_draft(actor=second[0], licence=exploration, licence_type=factories.licence_type("mining"))
    with pytest.raises(ValidationError, match="mining"):
        drafting.conversion_draft(actor=first[0], licence=exploration, licence_type=factories.licence_type())


def test_a_third_party_cannot_apply_for_the_blocks_while_the_exploration_licence_holds_them(
    first, second, exploration
) -> None:
    lodged_conversion(first[0], exploration)
    application = factories.complete(second[0], factories.draft(*second, CONVERTED, code="mining"))
    with pytest.raises(ValidationError, match="held under a licence"):
        drafting.application_lodge(actor=second[0], application=application)


def test_the_grant_moves_the_blocks_to_the_mining_licence_with_no_gap_and_no_opening(
    first, crew, exploration, time_machine
) -> None:
    openings = GroundOpening.objects.count()
    application = grant(lodged_conversion(first[0], exploration), crew, time_machine)
    mining = Licence.objects.get(application=application)
    assert _active(mining) == set(CONVERTED)
    assert _active(exploration) == set(EXPLORATION) - set(CONVERTED)
    ended = Tenure.objects.filter(licence=exploration, block__in=CONVERTED)
    started = {t.block: t.started_at for t in mining.tenures.all()}
    assert all(not t.is_active and t.ended_at == started[t.block] for t in ended)  # no gap, no overlap
    assert GroundOpening.objects.count() == openings  # nothing opens for the converted blocks
    assert [v.reason for v in exploration.certificate_versions.order_by("version")] == [
        CertificateReason.GRANT,
        CertificateReason.CONVERSION,
    ]
    assert [v.reason for v in mining.certificate_versions.all()] == [CertificateReason.GRANT]
    event = Event.objects.get(type="licence.converted")
    assert event.payload["mining_licence"] == mining.number and event.payload["remaining"] == 2
    assert event.payload["blocks"] == [grid.code(b) for b in CONVERTED]
    exploration.refresh_from_db()
    assert exploration.status == LicenceStatus.ACTIVE


def test_a_conversion_of_every_block_leaves_the_licence_with_none_and_its_status(
    first, crew, exploration, time_machine
) -> None:
    grant(lodged_conversion(first[0], exploration, EXPLORATION), crew, time_machine)
    exploration.refresh_from_db()
    assert _active(exploration) == set() and exploration.status == LicenceStatus.ACTIVE
    assert Event.objects.get(type="licence.converted").payload["remaining"] == 0


def test_a_refused_or_withdrawn_conversion_leaves_the_blocks_with_the_exploration_licence(
    first, crew, exploration, time_machine
) -> None:
    openings = GroundOpening.objects.count()
    application = factories.to_assessment(lodged_conversion(first[0], exploration), crew.reviewer, time_machine)
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="refuse", reasons="No mining plan"
    )
    review_services.application_decide(actor=crew.approver, application=application, decision="refuse", reasons="x")
    assert _active(exploration) == set(EXPLORATION) and GroundOpening.objects.count() == openings
    again = lodged_conversion(first[0], exploration)
    drafting.application_withdraw(actor=first[0], application=again)
    assert _active(exploration) == set(EXPLORATION) and GroundOpening.objects.count() == openings


def test_the_grant_is_refused_once_the_licence_no_longer_holds_the_blocks(
    first, crew, exploration, time_machine
) -> None:
    from accounts.errors import TransitionError

    application = factories.to_assessment(lodged_conversion(first[0], exploration), crew.reviewer, time_machine)
    Tenure.objects.filter(licence=exploration, block=CONVERTED[0]).update(is_active=False, ended_at=timezone.now())
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound"
    )
    with pytest.raises(TransitionError, match="no longer holds"):
        review_services.application_decide(actor=crew.approver, application=application, decision="grant")


# Pages and the API ---------------------------------------------------------------------


def test_the_holder_starts_the_conversion_from_the_licence_page(client, first, exploration) -> None:
    owner, _org = first
    client.force_login(owner)
    page = client.get(reverse("licensing:holder-licence", args=[exploration.number])).content.decode()
    convert = reverse("licensing:licence-convert", args=[exploration.number])
    assert "Apply for a mining licence over these blocks" in page and convert in page
    form = client.get(convert)
    assert form.status_code == 200 and grid.code(EXPLORATION[-1]) in form.content.decode()
    mining = factories.licence_type("mining")
    response = client.post(convert, {"licence_type": mining.pk, "blocks": [grid.code(b) for b in CONVERTED]})
    application = Application.objects.get(converts=exploration)
    assert response.status_code == 302 and response["Location"].startswith(application.get_absolute_url())
    assert application.blocks == CONVERTED and application.licence_type == mining
    draft_page = client.get(application.get_absolute_url()).content.decode()
    assert (
        f'Conversion of exploration licence <a href="{reverse("licensing:holder-licence", args=[exploration.number])}">'
        in draft_page
    )
    detail = client.get(reverse("api:application-detail", args=[application.pk])).json()
    assert detail["converts"] == exploration.number


def test_a_conversion_picking_no_block_is_answered_with_the_form(client, first, exploration) -> None:
    client.force_login(first[0])
    convert = reverse("licensing:licence-convert", args=[exploration.number])
    response = client.post(convert, {"licence_type": factories.licence_type("mining").pk})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not Application.objects.filter(converts=exploration).exists()


def test_the_conversion_action_costs_the_licence_page_no_query(client, first, exploration) -> None:
    client.force_login(first[0])
    url = reverse("licensing:holder-licence", args=[exploration.number])
    with CaptureQueriesContext(connection) as convertible:
        assert "Apply for a mining licence over these blocks" in client.get(url).content.decode()
    Licence.objects.filter(pk=exploration.pk).update(status=LicenceStatus.SURRENDERED)
    with CaptureQueriesContext(connection) as ended:
        page = client.get(url).content.decode()
    assert "Apply for a mining licence" not in page
    assert len(convertible) == len(ended)


def test_someone_else_cannot_open_the_conversion_page(client, second, exploration) -> None:
    client.force_login(second[0])
    assert client.get(reverse("licensing:licence-convert", args=[exploration.number])).status_code == 404


def test_an_exploration_licence_expiring_while_its_conversion_is_decided_keeps_those_blocks_for_it(
    first, crew, exploration, time_machine
) -> None:
    from accounts.errors import TransitionError
    from licensing.licences.expiry import licence_expire

    application = lodged_conversion(first[0], exploration)
    assert licence_expire(licence=exploration, today=exploration.expires_on + timedelta(days=1))
    opened = set(
        GroundOpening.objects.filter(reason="expired").values_list("blocks__block", flat=True)
    )  # the rest opens as usual
    assert opened == set(EXPLORATION) - set(CONVERTED)
    application = factories.to_assessment(application, crew.reviewer, time_machine)
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="Sound"
    )
    with pytest.raises(TransitionError, match="no longer holds"):
        review_services.application_decide(actor=crew.approver, application=application, decision="grant")
    drafting.application_withdraw(actor=first[0], application=application)
    released = GroundOpening.objects.filter(reason="withdrawn").values_list("blocks__block", flat=True)
    assert set(released) == set(CONVERTED)  # and its blocks come back when it ends


def test_a_surrender_while_the_conversion_is_decided_frees_only_the_blocks_it_does_not_claim(
    first, crew, exploration
) -> None:
    """Every end of title frees its ground the same way: the blocks a pending conversion claims
    stay out of the opening (they open when that application ends), the rest open as usual."""
    from licensing.titles import services as titles
    from tests.investors import factories as investor_factories

    lodged_conversion(first[0], exploration)
    change = titles.title_change_lodge(
        actor=first[0],
        licence=exploration,
        kind="surrender",
        statement="Done.",
        documents=[investor_factories.pdf_upload("final.pdf")],
    )
    titles.title_change_recommend(actor=crew.reviewer, change=change, approve=True, reasons="In order.")
    titles.title_change_decide(actor=crew.approver, change=change, approve=True, reasons="Agreed.")
    exploration.refresh_from_db()
    assert exploration.status == LicenceStatus.SURRENDERED
    opened = set(GroundOpening.objects.filter(reason="surrendered").values_list("blocks__block", flat=True))
    assert opened == set(EXPLORATION) - set(CONVERTED)
