"""The demo's licence in an extension: lodged through the change-of-title service, under review,
the licence in force; a second load changes nothing."""

from accounts.roles import Role
from events.models import Event
from events.services import event_chain_verify
from licensing.models import LicenceStatus, TitleChange, TitleChangeKind, TitleChangeState


def test_the_demo_has_a_licence_in_an_extension_under_review(make_user, crew) -> None:
    from demo.extension import HOLDER_REGISTRATION, NUMBER, extension_ready
    from demo.history import verified_organisation
    from licensing.titles.extension import relinquished_percent

    owner = make_user(Role.INVESTOR)
    verified_organisation(owner, crew.registrar, "Hanbit Critical Minerals Co.", "KR", HOLDER_REGISTRATION)
    change = extension_ready()
    assert extension_ready() == change  # run again: the same change, nothing new
    assert TitleChange.objects.count() == 1
    assert change.kind == TitleChangeKind.EXTENSION and change.state == TitleChangeState.UNDER_REVIEW
    assert change.licence.number == NUMBER and change.licence.status == LicenceStatus.ACTIVE
    assert change.lodged_by == owner and change.extension_years == 5
    assert change.new_expires_on > change.licence.expires_on
    assert relinquished_percent(change.licence) >= 40
    assert Event.objects.filter(type="title_change.lodged").count() == 1
    assert event_chain_verify().ok
