"""Investor services: ownership, verification, invitations, data room, watchlists."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from accounts.errors import TransitionError
from accounts.roles import Role
from deposits.models import DepositDocument, DocumentVisibility, ResourceEstimate
from deposits.services import deposit_part_save
from documents.services import document_check, document_upload
from events.models import Event, Notification
from events.services import delivery_send, event_dispatch, record_event
from investors import services
from investors.models import (
    BeneficialOwner,
    DataRoomAccess,
    Invitation,
    MemberRole,
    Membership,
    OrganisationStatus,
    OwnerKind,
)
from investors.ownership import ownership_profile
from investors.stamping import stamp_pdf
from tests.deposits.factories import DepositFactory
from tests.documents.files import pdf
from tests.investors import factories

pytestmark = pytest.mark.django_db


def deliver(event_type: str) -> None:
    """Dispatch every event of the type as the worker would (in-app deliveries are written)."""
    for event in Event.objects.filter(type=event_type):
        for delivery_id in event_dispatch(event_id=event.pk):
            delivery_send(delivery_id=delivery_id)


# Ownership ---------------------------------------------------------------------------------


def _owner(org, user, **fields):
    defaults = {"kind": OwnerKind.LEGAL, "name": "Owner", "country": "GB", "share": Decimal("10")}
    return services.owner_add(actor=user, organisation=org, **{**defaults, **fields})


def test_a_foreign_state_holding_a_fifth_directly_makes_the_organisation_state_linked(investor) -> None:
    org = factories.organisation(investor)
    _owner(org, investor, name="State Fund", country="CN", share=Decimal("20"), state_owned=True)
    _owner(org, investor, name="Public float", country="GB", share=Decimal("80"))
    profile = ownership_profile(org)
    assert profile.foreign and profile.state_linked and profile.screening_required
    assert profile.foreign_state_share == Decimal("20.000")


def test_state_shares_through_a_chain_multiply(investor) -> None:
    org = factories.organisation(investor, country="KZ")
    holding = _owner(org, investor, name="Holding", country="KZ", share=Decimal("50"))
    _owner(
        org, investor, name="Sovereign Fund", country="AE", share=Decimal("39"), state_owned=True, held_through=holding
    )
    _owner(org, investor, name="Founder", kind=OwnerKind.NATURAL, country="KZ", share=Decimal("50"))
    profile = ownership_profile(org)
    assert profile.foreign_state_share == Decimal("19.500")  # 39 % of 50 %
    assert not profile.state_linked and not profile.foreign


def test_the_threshold_is_configurable(investor, settings) -> None:
    org = factories.organisation(investor)
    _owner(org, investor, name="State Fund", country="CN", share=Decimal("25"), state_owned=True)
    assert ownership_profile(org).state_linked
    settings.INVESTORS_STATE_LINK_THRESHOLD = Decimal("30")
    assert not ownership_profile(org).state_linked


def test_kazakh_state_ownership_is_not_foreign_state_ownership(investor) -> None:
    org = factories.organisation(investor, country="KZ")
    _owner(org, investor, name="Samruk-Kazyna", country="KZ", share=Decimal("60"), state_owned=True)
    profile = ownership_profile(org)
    assert profile.foreign_state_share == 0 and not profile.state_linked and not profile.foreign


def test_shares_cannot_exceed_a_hundred_percent_and_nothing_is_saved(investor) -> None:
    org = factories.organisation(investor)
    _owner(org, investor, share=Decimal("70"))
    with pytest.raises(ValidationError) as refused:
        _owner(org, investor, share=Decimal("30.001"))
    assert "cannot exceed 100 %" in str(refused.value)
    assert BeneficialOwner.objects.filter(organisation=org).count() == 1
    assert Event.objects.filter(type="owner.added").count() == 1


def test_shares_held_through_a_company_are_limited_per_company(investor) -> None:
    org = factories.organisation(investor)
    holding = _owner(org, investor, share=Decimal("100"))
    _owner(org, investor, name="Child A", share=Decimal("60"), held_through=holding)
    with pytest.raises(ValidationError):
        _owner(org, investor, name="Child B", share=Decimal("41"), held_through=holding)


def test_a_natural_person_cannot_be_state_owned(investor) -> None:
    org = factories.organisation(investor)
    with pytest.raises(ValidationError):
        _owner(org, investor, kind=OwnerKind.NATURAL, state_owned=True)


def test_an_owner_of_another_organisation_cannot_be_the_holder(investor, make_user) -> None:
    other_user = make_user(Role.INVESTOR)
    other = factories.organisation(other_user)
    foreign_holding = _owner(other, other_user, share=Decimal("50"))
    org = factories.organisation(investor)
    with pytest.raises(ValidationError):
        _owner(org, investor, held_through=foreign_holding)


# Verification ----------------------------------------------------------------------------


def test_submission_lists_what_is_missing_and_changes_nothing(investor) -> None:
    org = factories.organisation(investor)
    with pytest.raises(ValidationError) as refused:
        factories.submit(org, investor)
    assert "Declare the beneficial owners." in refused.value.messages
    assert "Upload the certificate of incorporation." in refused.value.messages
    org.refresh_from_db()
    assert org.status == OrganisationStatus.DRAFT


def test_a_rejected_document_must_be_replaced_before_submission(investor) -> None:
    org = factories.ready_to_submit(factories.organisation(investor), investor)
    bad = services.organisation_document_add(
        actor=investor, organisation=org, kind="charter", upload=SimpleUploadedFile("charter.pdf", pdf(1, password="x"))
    )
    document_check(document_id=bad.file_id)
    services.organisation_document_remove(actor=investor, document=org.documents.exclude(pk=bad.pk).get(kind="charter"))
    with pytest.raises(ValidationError) as refused:
        factories.submit(org, investor)
    assert refused.value.messages == ["Replace the rejected charter."]


def test_verification_round_trip_notifies_registrars_then_members(investor, registrar, make_user) -> None:
    colleague = make_user(Role.INVESTOR)
    org = factories.ready_to_submit(factories.organisation(investor), investor)
    invitation = services.member_invite(actor=investor, organisation=org, email=colleague.email, role=MemberRole.VIEWER)
    services.invitation_accept(actor=colleague, token=invitation.token)

    factories.submit(org, investor)
    deliver("organisation.submitted")
    assert Notification.objects.filter(user=registrar, kind="organisation.submitted").count() == 1

    with pytest.raises(ValidationError):
        services.organisation_decide(actor=registrar, organisation=org, decision="reject", reason="  ")
    services.organisation_decide(
        actor=registrar, organisation=org, decision="reject", reason="The charter is unsigned."
    )
    deliver("organisation.rejected")
    rejected = Notification.objects.get(user=colleague, kind="organisation.rejected")
    assert "rejected" in rejected.title.lower()
    assert "The charter is unsigned." in rejected.body

    factories.submit(org, investor)  # fixed and sent again
    factories.verify(org, registrar)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED and org.status_reason == ""
    types = list(
        Event.objects.filter(subject_id=str(org.pk), type__startswith="organisation.").values_list("type", flat=True)
    )
    assert types == [
        "organisation.created",
        "organisation.document_added",
        "organisation.document_added",
        "organisation.document_added",
        "organisation.document_added",
        "organisation.document_added",
        "organisation.submitted",
        "organisation.rejected",
        "organisation.submitted",
        *["organisation.check_recorded"] * 3,
        *["organisation.document_accepted"] * 5,
        "organisation.verified",
    ]


def test_a_verified_organisation_is_locked_and_only_registrars_decide(investor, registrar) -> None:
    org = factories.verified_organisation(investor, registrar)
    with pytest.raises(TransitionError):
        services.organisation_update(actor=investor, organisation=org, legal_name="Renamed")
    with pytest.raises(PermissionDenied):
        services.organisation_decide(actor=investor, organisation=org, decision="suspend", reason="x")
    with pytest.raises(TransitionError):
        services.organisation_decide(actor=registrar, organisation=org, decision="verify")
    services.organisation_decide(actor=registrar, organisation=org, decision="suspend", reason="Sanctions check.")
    services.organisation_decide(actor=registrar, organisation=org, decision="reinstate")
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED


def test_the_same_registration_number_in_the_same_country_is_refused(investor) -> None:
    factories.organisation(investor, registration_number="NL-1")
    with pytest.raises(ValidationError):
        factories.organisation(investor, registration_number="NL-1")
    factories.organisation(investor, registration_number="NL-1", country="DE")


# Members and invitations -------------------------------------------------------------------


def test_an_invitation_is_emailed_once_even_if_the_task_runs_twice(investor) -> None:
    org = factories.organisation(investor)
    invitation = services.member_invite(actor=investor, organisation=org, email="New@Colleague.com", role="manager")
    assert services.invitation_send(invitation_id=invitation.pk) is True
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@colleague.com"] and invitation.get_accept_url() in mail.outbox[0].body


def test_an_invitation_is_used_once_by_its_addressee_before_it_expires(investor, make_user) -> None:
    org = factories.organisation(investor)
    invited, stranger = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    invitation = services.member_invite(actor=investor, organisation=org, email=invited.email, role="viewer")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(actor=stranger, token=invitation.token)
    services.invitation_accept(actor=invited, token=invitation.token)
    with pytest.raises(TransitionError, match="already been used"):
        services.invitation_accept(actor=invited, token=invitation.token)
    assert Membership.objects.filter(organisation=org).count() == 2

    late = services.member_invite(actor=investor, organisation=org, email=stranger.email, role="viewer")
    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(TransitionError, match="expired"),
    ):
        services.invitation_accept(actor=stranger, token=late.token)
    assert not Membership.objects.filter(organisation=org, user=stranger).exists()


def test_a_new_invitation_replaces_the_open_one(investor) -> None:
    org = factories.organisation(investor)
    first = services.member_invite(actor=investor, organisation=org, email="a@example.com", role="viewer")
    services.member_invite(actor=investor, organisation=org, email="a@example.com", role="manager")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Invitation.objects.filter(organisation=org, revoked_at__isnull=True).count() == 1


def test_the_last_owner_stays(investor, make_user) -> None:
    org = factories.organisation(investor)
    mine = Membership.objects.get(organisation=org, user=investor)
    with pytest.raises(TransitionError):
        services.member_change(actor=investor, membership=mine, role=MemberRole.VIEWER)
    other = make_user(Role.INVESTOR)
    services.invitation_accept(
        actor=other,
        token=services.member_invite(actor=investor, organisation=org, email=other.email, role="owner").token,
    )
    services.member_change(actor=investor, membership=mine, role=MemberRole.VIEWER)
    assert Membership.objects.get(pk=mine.pk).role == MemberRole.VIEWER


# Data room -------------------------------------------------------------------------------


@pytest.fixture
def data_room(registrar):
    deposit = DepositFactory()
    stored = document_upload(actor=registrar, upload=SimpleUploadedFile("holes.pdf", pdf(3)), kind="report")
    document_check(document_id=stored.pk)
    stored.refresh_from_db()
    document = DepositDocument(
        deposit=deposit, title="Assays", kind="report", visibility=DocumentVisibility.DATA_ROOM, file=stored
    )
    deposit_part_save(actor=registrar, part=document)
    services.agreement_publish(actor=registrar, text_en="Keep it secret.", text_ru="Секрет.", text_kk="Құпия.")
    return document


def test_the_data_room_needs_verification_and_the_current_agreement(investor, registrar, data_room) -> None:
    org = factories.ready_to_submit(factories.organisation(investor), investor)
    with pytest.raises(PermissionDenied, match="verified"):
        services.agreement_accept(actor=investor, organisation=org, version=1)
    factories.submit(org, investor)
    factories.verify(org, registrar)
    with pytest.raises(PermissionDenied, match="Accept the current confidentiality agreement"):
        services.data_room_open(actor=investor, organisation=org, document=data_room)

    services.agreement_accept(actor=investor, organisation=org, version=1)
    access = services.data_room_open(actor=investor, organisation=org, document=data_room)
    assert (access.user, access.organisation, access.document_title) == (investor, org, "Assays")

    services.agreement_publish(actor=registrar, text_en="Version 2.", text_ru="2.", text_kk="2.")
    with pytest.raises(PermissionDenied):
        services.data_room_open(actor=investor, organisation=org, document=data_room)
    with pytest.raises(TransitionError):
        services.agreement_accept(actor=investor, organisation=org, version=1)  # read the old text
    assert DataRoomAccess.objects.count() == 1
    assert Event.objects.filter(type="agreement.accepted").count() == 1


def test_a_suspended_organisation_is_shut_out(investor, registrar, data_room) -> None:
    org = factories.verified_organisation(investor, registrar)
    services.agreement_accept(actor=investor, organisation=org, version=1)
    services.organisation_decide(actor=registrar, organisation=org, decision="suspend", reason="Review.")
    org.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.data_room_open(actor=investor, organisation=org, document=data_room)


def test_a_public_document_is_not_opened_through_the_data_room(investor, registrar, data_room) -> None:
    org = factories.verified_organisation(investor, registrar)
    services.agreement_accept(actor=investor, organisation=org, version=1)
    data_room.visibility = DocumentVisibility.PUBLIC
    with pytest.raises(PermissionDenied):
        services.data_room_open(actor=investor, organisation=org, document=data_room)


def test_every_page_of_a_data_room_pdf_is_stamped() -> None:
    stamped = stamp_pdf(io.BytesIO(pdf(4)), "Confidential · Steppe Metals B.V. · opened 2026-11-23 10:00 UTC")
    pages = PdfReader(io.BytesIO(stamped)).pages
    assert len(pages) == 4
    assert all("Steppe Metals B.V." in page.extract_text() for page in pages)


# Watchlists ------------------------------------------------------------------------------


def test_watchers_hear_of_documents_and_estimates_by_deposit_commodity_or_region(registrar, make_user) -> None:
    deposit = DepositFactory(region="abai")
    by_deposit, by_commodity, by_region, bystander = (make_user(Role.INVESTOR) for _ in range(4))
    services.watch_add(actor=by_deposit, deposit=deposit)
    services.watch_add(actor=by_deposit, deposit=deposit)  # twice is once
    services.watch_add(actor=by_commodity, commodity=deposit.deposit_commodities.first().commodity)
    services.watch_add(actor=by_region, region="abai")
    services.watch_add(actor=bystander, region="mangystau")

    deposit_part_save(
        actor=registrar, part=DepositDocument(deposit=deposit, title="New report", url="https://example.com/r.pdf")
    )
    deliver("deposit.document_added")
    told = set(Notification.objects.filter(kind="deposit.document_added").values_list("user__email", flat=True))
    assert told == {by_deposit.email, by_commodity.email, by_region.email}

    estimate = ResourceEstimate.objects.filter(deposit=deposit).first()
    if estimate is not None:
        estimate.tonnage_t = (estimate.tonnage_t or 0) + 1
        deposit_part_save(actor=registrar, part=estimate)
        deliver("deposit.estimate_changed")
        assert Notification.objects.filter(kind="deposit.estimate_changed", user=by_commodity).count() == 1


def test_region_watchers_hear_when_ground_becomes_free(make_user) -> None:
    watcher, other = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    services.watch_add(actor=watcher, region="ulytau")
    services.watch_add(actor=other, region="abai")
    from django.db import transaction

    with transaction.atomic():
        record_event(
            actor=None,
            type="ground.freed",
            region="ulytau",
            blocks=2,
            codes=["N4812E08134", "N4812E08135"],
            opens_at="2026-11-26T09:00:00+05:00",
        )
    deliver("ground.freed")
    assert list(Notification.objects.filter(kind="ground.freed").values_list("user", flat=True)) == [watcher.pk]
    assert (
        "2 blocks open for applications at 26 November 2026, 09:00 (Astana time)"
        in Notification.objects.get(kind="ground.freed").body
    )


def test_a_watch_names_exactly_one_target(investor) -> None:
    with pytest.raises(ValidationError):
        services.watch_add(actor=investor)
    with pytest.raises(ValidationError):
        services.watch_add(actor=investor, region="atlantis")
    with pytest.raises(PermissionDenied):
        services.watch_add(actor=investor, deposit=DepositFactory(is_published=False, published_at=None))
