"""Who may do what on the investor pages, and how everything else is refused: with which
answer, with which words, and with nothing changed."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from documents.models import Document
from events.models import Event
from investors import selectors, services
from investors.models import (
    BeneficialOwner,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    OrganisationStatus,
    OwnerKind,
    Watch,
)
from tests.investors import factories
from tests.investors.factories import Crew

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _url(name: str, crew: Crew, **kwargs: int) -> str:
    return reverse(f"investors:{name}", kwargs={"pk": crew.organisation.pk, **kwargs})


def _details(organisation: Organisation, **changes: str) -> dict[str, str]:
    return {
        "legal_name": organisation.legal_name,
        "legal_name_latin": organisation.legal_name_latin,
        "country": organisation.country.code,
        "registration_number": organisation.registration_number,
        "address": organisation.address,
        "website": "",
        "contact_email": organisation.contact_email,
        "contact_phone": "",
        **changes,
    }


def snapshot(organisation: Organisation) -> dict[str, object]:
    """Everything a write on the organisation could change, events and stored files included."""
    row = Organisation.objects.get(pk=organisation.pk)
    return {
        "organisation": (row.legal_name, row.status, row.status_reason),
        "owners": sorted(BeneficialOwner.objects.filter(organisation=organisation).values_list("pk", "share")),
        "documents": sorted(OrganisationDocument.objects.filter(organisation=organisation).values_list("pk", "kind")),
        "members": sorted(Membership.objects.filter(organisation=organisation).values_list("user__email", "role")),
        "invitations": sorted(
            Invitation.objects.filter(organisation=organisation).values_list("email", "role", "revoked_at")
        ),
        "files": Document.objects.count(),
        "events": Event.objects.count(),
    }


@dataclass(frozen=True)
class Write:
    name: str
    url: Callable[[Crew], str]
    data: Callable[[Crew], dict[str, object]]
    took_effect: Callable[[Crew], bool]
    owners_only: bool = False
    prepare: Callable[[Crew], object] = lambda crew: None


WRITES = [
    Write(
        "edit",
        lambda c: _url("organisation-edit", c),
        lambda c: _details(c.organisation, legal_name="Renamed Metals"),
        lambda c: Organisation.objects.get(pk=c.organisation.pk).legal_name == "Renamed Metals",
    ),
    Write(
        "owner-add",
        lambda c: _url("owner-add", c),
        lambda c: {"kind": OwnerKind.NATURAL, "name": "B. Partner", "country": "DE", "share": "5"},
        lambda c: BeneficialOwner.objects.filter(organisation=c.organisation, name="B. Partner").exists(),
    ),
    Write(
        "owner-remove",
        lambda c: _url("owner-remove", c, owner_id=c.beneficial_owner.pk),
        lambda c: {},
        lambda c: not BeneficialOwner.objects.filter(pk=c.beneficial_owner.pk).exists(),
    ),
    Write(
        "document-add",
        lambda c: _url("document-add", c),
        lambda c: {"kind": "authority", "file": factories.pdf_upload("authority.pdf")},
        lambda c: OrganisationDocument.objects.filter(organisation=c.organisation, kind="authority").exists(),
    ),
    Write(
        "document-remove",
        lambda c: _url("document-remove", c, document_id=c.document.pk),
        lambda c: {},
        lambda c: not OrganisationDocument.objects.filter(pk=c.document.pk).exists(),
    ),
    Write(
        "invite-manager",
        lambda c: _url("member-invite", c),
        lambda c: {"email": "new@example.com", "role": MemberRole.MANAGER},
        lambda c: Invitation.objects.filter(organisation=c.organisation, email="new@example.com").exists(),
    ),
    Write(
        "invite-owner",
        lambda c: _url("member-invite", c),
        lambda c: {"email": "partner@example.com", "role": MemberRole.OWNER},
        lambda c: Invitation.objects.filter(organisation=c.organisation, email="partner@example.com").exists(),
        owners_only=True,
    ),
    Write(
        "member-role",
        lambda c: _url("member-change", c, member_id=c.member(c.viewer).pk),
        lambda c: {"role": MemberRole.MANAGER},
        lambda c: c.member(c.viewer).role == MemberRole.MANAGER,
        owners_only=True,
    ),
    Write(
        "member-remove",
        lambda c: _url("member-change", c, member_id=c.member(c.viewer).pk),
        lambda c: {"role": ""},
        lambda c: not Membership.objects.filter(organisation=c.organisation, user=c.viewer).exists(),
        owners_only=True,
    ),
    Write(
        "invitation-withdraw",
        lambda c: _url("invitation-withdraw", c, invitation_id=c.invitation.pk),
        lambda c: {},
        lambda c: Invitation.objects.get(pk=c.invitation.pk).revoked_at is not None,
    ),
    Write(
        "document-replace",
        lambda c: _url("document-replace", c, document_id=c.document.pk),
        lambda c: {"file": factories.pdf_upload("charter-legible.pdf")},
        lambda c: (
            not OrganisationDocument.objects.filter(pk=c.document.pk).exists()
            and OrganisationDocument.objects.filter(organisation=c.organisation, kind="charter").exists()
        ),
        prepare=lambda c: factories.returned_for_correction(c.organisation, c.owner, document=c.document),
    ),
    Write(
        "submit",
        lambda c: _url("organisation-submit", c),
        lambda c: {"ownership_explanation": factories.EXPLANATION},
        lambda c: Organisation.objects.get(pk=c.organisation.pk).status == OrganisationStatus.SUBMITTED,
        prepare=lambda c: factories.complete(c.organisation, c.owner),  # only the role stands in the way
    ),
]


def refusal(actor: str, write: Write) -> int | None:
    """The answer the actor gets for the write, or None when the write is theirs to make."""
    if actor == "anonymous":
        return 302  # to the sign-in page
    if actor == "stranger":
        return 404  # another organisation's: it does not exist for them
    if actor in {"viewer", "registrar"} or (actor == "manager" and write.owners_only):
        return 403
    return None


@pytest.fixture
def crew(make_user: Callable[..., User]) -> Crew:
    return factories.crew(make_user)


@pytest.fixture
def act_as(client: Client, crew: Crew, make_user: Callable[..., User], registrar: User) -> Callable[[str], None]:
    def sign_in(actor: str) -> None:
        if actor == "anonymous":
            return
        if actor == "stranger":  # an investor with an organisation of their own
            user = make_user(Role.INVESTOR)
            factories.organisation(user)
        else:
            user = {"viewer": crew.viewer, "manager": crew.manager, "owner": crew.owner, "registrar": registrar}[actor]
        client.force_login(user)

    return sign_in


# The matrix ------------------------------------------------------------------------------


READS = {
    "detail": lambda c: _url("organisation-detail", c),
    "edit": lambda c: _url("organisation-edit", c),
    "registrar-queue": lambda c: reverse("investors:registrar-queue"),
    "data-room-log": lambda c: reverse("investors:data-room-log"),
}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", {"detail": 302, "edit": 302, "registrar-queue": 302, "data-room-log": 302}),
        ("stranger", {"detail": 404, "edit": 404, "registrar-queue": 403, "data-room-log": 403}),
        ("viewer", {"detail": 200, "edit": 403, "registrar-queue": 403, "data-room-log": 403}),
        ("manager", {"detail": 200, "edit": 200, "registrar-queue": 403, "data-room-log": 403}),
        ("owner", {"detail": 200, "edit": 200, "registrar-queue": 403, "data-room-log": 403}),
        ("registrar", {"detail": 200, "edit": 403, "registrar-queue": 200, "data-room-log": 200}),
    ],
)
def test_who_sees_which_page(actor: str, expected: dict[str, int], client: Client, crew: Crew, act_as) -> None:
    act_as(actor)
    answers = {page: client.get(url(crew)) for page, url in READS.items()}
    assert {page: response.status_code for page, response in answers.items()} == expected
    for response in answers.values():
        if response.status_code == 302:
            assert response.url.startswith(LOGIN)
    if expected["detail"] == 200:
        assert crew.organisation.legal_name in answers["detail"].content.decode()


@pytest.mark.parametrize("actor", ["anonymous", "stranger", "viewer", "manager", "registrar"])
def test_refused_writes_answer_and_change_nothing(actor: str, client: Client, crew: Crew, act_as) -> None:
    act_as(actor)
    wrong = []
    for write in WRITES:
        expected = refusal(actor, write)
        if expected is None:
            continue
        write.prepare(crew)
        before = snapshot(crew.organisation)
        response = client.post(write.url(crew), write.data(crew))
        if response.status_code != expected:
            wrong.append(f"{write.name}: answered {response.status_code}, expected {expected}")
        elif expected == 302 and not response.url.startswith(LOGIN):
            wrong.append(f"{write.name}: redirected to {response.url}, not to the sign-in page")
        if write.took_effect(crew) or snapshot(crew.organisation) != before:
            wrong.append(f"{write.name}: changed something")
    assert wrong == []


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_owners_make_every_write_and_managers_all_but_people_changes(
    write: Write, client: Client, make_user: Callable[..., User]
) -> None:
    for actor in ("manager", "owner"):
        if refusal(actor, write) is not None:
            continue
        crew = factories.crew(make_user)  # a fresh organisation for each
        client.force_login(getattr(crew, actor))
        write.prepare(crew)
        assert not write.took_effect(crew)
        response = client.post(write.url(crew), write.data(crew))
        assert (actor, response.status_code, response.url) == (actor, 302, crew.organisation.get_absolute_url())
        assert write.took_effect(crew), actor


def test_a_viewer_is_refused_before_their_input_is_read(client: Client, crew: Crew) -> None:
    """The role decides first: a viewer's incomplete or invalid write is a 403 like any other,
    not a 400 with the form to correct (the edit form is refused to viewers on GET too)."""
    client.force_login(crew.viewer)
    answers = {
        write.name: client.post(write.url(crew), {"share": "lots", "email": "not-an-address"}).status_code
        for write in WRITES
    }
    assert answers == {write.name: 403 for write in WRITES}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 302), ("stranger", 403), ("viewer", 403), ("manager", 403), ("owner", 403), ("registrar", 302)],
)
def test_only_a_registrar_decides(
    actor: str, expected: int, client: Client, crew: Crew, act_as, registrar: User
) -> None:
    factories.complete(crew.organisation, crew.owner)
    factories.submit(crew.organisation, crew.owner)
    factories.checklist_done(crew.organisation, registrar)
    act_as(actor)
    response = client.post(_url("organisation-decide", crew), {"decision": "verify"})
    assert response.status_code == expected
    status = Organisation.objects.get(pk=crew.organisation.pk).status
    if actor == "registrar":
        assert response.url == crew.organisation.get_absolute_url()
        assert status == OrganisationStatus.VERIFIED
    else:
        assert status == OrganisationStatus.SUBMITTED
        assert not Event.objects.filter(type="organisation.verified").exists()


def test_the_registrar_queue_lists_what_waits_for_a_decision(client: Client, crew: Crew, registrar: User) -> None:
    waiting = factories.complete(factories.organisation(crew.owner, legal_name_latin="Waiting Ltd"), crew.owner)
    factories.submit(waiting, crew.owner)
    client.force_login(registrar)
    page = client.get(reverse("investors:registrar-queue")).content.decode()
    assert "Waiting Ltd" in page
    assert str(crew.organisation) not in page  # a draft waits for nobody


# Refused input ---------------------------------------------------------------------------


@pytest.fixture
def as_owner(client: Client, crew: Crew) -> Client:
    client.force_login(crew.owner)
    return client


@pytest.mark.parametrize("through_holding", [False, True], ids=["direct", "through-a-company"])
def test_shares_over_a_hundred_percent_are_refused_naming_the_limit(
    through_holding: bool, as_owner: Client, crew: Crew
) -> None:
    data: dict[str, object] = {"kind": OwnerKind.NATURAL, "name": "Too Much", "country": "DE"}
    if through_holding:  # Holding's own owners: 60 % declared, 41 % more would be 101 %
        factories.owner(
            crew.organisation, crew.owner, name="Child", share=Decimal(60), held_through=crew.beneficial_owner
        )
        data |= {"share": "41", "held_through": crew.beneficial_owner.pk}
    else:  # Holding has 10 % of the organisation: 91 % more would be 101 %
        data |= {"share": "91"}
    before = snapshot(crew.organisation)
    response = as_owner.post(_url("owner-add", crew), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot exceed 100 %" in page
    left = "40" if through_holding else "90"
    assert re.search(rf"\b{left}(\.0+)? % is left\.", page)  # 40.000 on PostgreSQL, 40 on SQLite
    assert snapshot(crew.organisation) == before


@pytest.mark.parametrize("share", ["0", "-5", "100.001", "lots"])
def test_a_share_out_of_range_is_refused(share: str, as_owner: Client, crew: Crew) -> None:
    before = snapshot(crew.organisation)
    data = {"kind": OwnerKind.NATURAL, "name": "Odd", "country": "DE", "share": share}
    response = as_owner.post(_url("owner-add", crew), data)
    assert response.status_code == 400
    assert set(response.context["owner_form"].errors) == {"share"}
    assert snapshot(crew.organisation) == before


@pytest.mark.parametrize("page", ["owner-add", "organisation-create"])
def test_an_unknown_country_is_refused(page: str, as_owner: Client, crew: Crew) -> None:
    before = (Organisation.objects.count(), snapshot(crew.organisation))
    if page == "owner-add":
        url = _url("owner-add", crew)
        data = {"kind": OwnerKind.NATURAL, "name": "Nobody", "country": "XX", "share": "5"}
    else:
        url = reverse("investors:organisation-create")
        data = _details(crew.organisation, registration_number="NEW-1", country="XX")
    response = as_owner.post(url, data)
    assert response.status_code == 400
    assert set(response.context["owner_form" if page == "owner-add" else "form"].errors) == {"country"}
    assert (Organisation.objects.count(), snapshot(crew.organisation)) == before


def test_a_registration_number_taken_in_the_country_is_refused(as_owner: Client, crew: Crew, make_user) -> None:
    taken = factories.organisation(make_user(Role.INVESTOR), country="NL")
    before = Organisation.objects.count(), snapshot(crew.organisation)
    for url in (reverse("investors:organisation-create"), _url("organisation-edit", crew)):
        response = as_owner.post(url, _details(crew.organisation, registration_number=taken.registration_number))
        assert response.status_code == 400, url
        assert "An organisation with this registration number in this country exists." in response.content.decode()
    assert (Organisation.objects.count(), snapshot(crew.organisation)) == before


FORGED = {
    "owner-remove": ("owner_id", lambda c: c.beneficial_owner.pk, {}),
    "document-remove": ("document_id", lambda c: c.document.pk, {}),
    "member-change": ("member_id", lambda c: c.member(c.viewer).pk, {"role": ""}),
    "invitation-withdraw": ("invitation_id", lambda c: c.invitation.pk, {}),
}


@pytest.mark.parametrize("page", FORGED)
def test_another_organisations_id_in_my_url_is_404_and_changes_nothing(
    page: str, as_owner: Client, crew: Crew, make_user
) -> None:
    other = factories.crew(make_user)
    keyword, their_id, data = FORGED[page]
    before = snapshot(other.organisation), snapshot(crew.organisation)
    assert as_owner.post(_url(page, crew, **{keyword: their_id(other)}), data).status_code == 404
    assert (snapshot(other.organisation), snapshot(crew.organisation)) == before


def _invite(crew: Crew, user: User, role: str = MemberRole.VIEWER) -> Invitation:
    return services.member_invite(actor=crew.owner, organisation=crew.organisation, email=user.email, role=role)


def test_an_expired_invitation_is_refused(client: Client, crew: Crew, make_user, settings) -> None:
    invited = make_user(Role.INVESTOR)
    invitation = _invite(crew, invited)
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVESTORS_INVITATION_DAYS, minutes=1)):
        client.force_login(invited)
        response = client.post(invitation.get_accept_url())
    assert response.status_code == 409
    assert "This invitation has expired. Ask for a new one." in response.content.decode()
    assert not Membership.objects.filter(user=invited).exists()


def test_an_invitation_just_before_it_expires_is_accepted(client: Client, crew: Crew, make_user, settings) -> None:
    invited = make_user(Role.INVESTOR)
    invitation = _invite(crew, invited)
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVESTORS_INVITATION_DAYS, minutes=-1)):
        client.force_login(invited)
        response = client.post(invitation.get_accept_url())
    assert response.status_code == 302
    assert crew.member(invited).role == MemberRole.VIEWER


def test_a_used_invitation_is_refused(client: Client, crew: Crew, make_user) -> None:
    invited = make_user(Role.INVESTOR)
    invitation = _invite(crew, invited)
    client.force_login(invited)
    assert client.post(invitation.get_accept_url()).status_code == 302
    crew.member(invited).delete()  # removed since; the old link must not bring them back
    response = client.post(invitation.get_accept_url())
    assert response.status_code == 409
    assert "This invitation has already been used." in response.content.decode()
    assert not Membership.objects.filter(user=invited).exists()


def test_an_invitation_for_another_address_is_refused(client: Client, crew: Crew, make_user) -> None:
    invited, someone_else = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    invitation = _invite(crew, invited, "owner")
    client.force_login(someone_else)
    response = client.post(invitation.get_accept_url())
    assert response.status_code == 403
    assert f"This invitation was sent to {invited.email}. Sign in with that address" in response.content.decode()
    assert not Membership.objects.filter(user=someone_else).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_verifying_a_draft_is_a_conflict(client: Client, crew: Crew, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(_url("organisation-decide", crew), {"decision": "verify"})
    assert response.status_code == 409
    assert "This cannot be done while the organisation is draft." in response.content.decode()
    assert Organisation.objects.get(pk=crew.organisation.pk).status == OrganisationStatus.DRAFT


def test_submission_lists_everything_missing(as_owner: Client, crew: Crew) -> None:
    response = as_owner.post(_url("organisation-submit", crew))
    assert response.status_code == 400
    page = response.content.decode()
    for missing in ("certificate of incorporation", "ownership chart", "audited financial statements"):
        assert f"<li>Upload the {missing}.</li>" in page
    assert "<li>Upload the letter of authority.</li>" in page
    assert "Upload the charter." not in page  # uploaded and accepted
    assert "Declare the beneficial owners." not in page
    assert Organisation.objects.get(pk=crew.organisation.pk).status == OrganisationStatus.DRAFT


def test_a_rejection_needs_reasons(client: Client, crew: Crew, registrar: User) -> None:
    factories.complete(crew.organisation, crew.owner)
    factories.submit(crew.organisation, crew.owner)
    client.force_login(registrar)
    response = client.post(_url("organisation-decide", crew), {"decision": "reject", "reason": "   "})
    assert response.status_code == 400
    assert "Give the reasons, so the organisation knows what to fix." in response.content.decode()
    assert Organisation.objects.get(pk=crew.organisation.pk).status == OrganisationStatus.SUBMITTED


# The person's own pages ------------------------------------------------------------------


def test_every_personal_page_sends_an_anonymous_visitor_to_sign_in(client: Client, crew: Crew) -> None:
    watch = services.watch_add(actor=crew.owner, region="abai")
    pages = [
        ("get", reverse("investors:dashboard")),
        ("get", reverse("investors:organisation-create")),
        ("get", reverse("investors:agreement")),
        ("get", reverse("investors:watchlist")),
        ("get", _url("organisation-submit", crew)),
        ("post", reverse("investors:organisation-switch")),
        ("post", reverse("investors:watch-remove", kwargs={"pk": watch.pk})),
    ]
    answers = {url: getattr(client, method)(url) for method, url in pages}
    assert {url: (r.status_code, r.url.split("?")[0]) for url, r in answers.items()} == {
        url: (302, LOGIN) for _, url in pages
    }
    assert Organisation.objects.count() == 1 and Watch.objects.filter(pk=watch.pk).exists()


@pytest.mark.parametrize("actor", ["stranger", "registrar", "viewer"])
def test_one_acts_only_for_an_organisation_one_belongs_to(actor: str, client: Client, crew: Crew, act_as) -> None:
    act_as(actor)
    response = client.post(reverse("investors:organisation-switch"), {"organisation": crew.organisation.pk})
    if actor == "viewer":
        assert response.status_code == 302
        assert client.session[selectors.ACTIVE_ORGANISATION] == crew.organisation.pk
    else:  # a registrar sees every organisation but acts for none
        assert response.status_code == 404
        assert selectors.ACTIVE_ORGANISATION not in client.session


def test_someone_elses_watch_cannot_be_removed(client: Client, crew: Crew) -> None:
    watch = services.watch_add(actor=crew.owner, region="abai")
    client.force_login(crew.viewer)
    assert client.post(reverse("investors:watch-remove", kwargs={"pk": watch.pk})).status_code == 404
    assert Watch.objects.filter(pk=watch.pk).exists()


def test_the_registrar_queue_refuses_an_unknown_status(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    assert client.get(reverse("investors:registrar-queue"), {"status": "submitted"}).status_code == 200
    assert client.get(reverse("investors:registrar-queue"), {"status": "sleeping"}).status_code == 400
