"""The licence notice contacts page: members read it, owners and managers name and remove contacts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from events.models import Event
from investors.models import MemberRole
from licensing.licences import contacts
from licensing.models import NoticeContact
from tests.investors import factories as investor_factories
from tests.licensing import factories

PAGE = "/investor/licences/contacts/"


@pytest.fixture
def holder(make_user, crew):
    return factories.notice_holder(make_user, crew.registrar)


def _people(holder, make_user, crew) -> dict[str, object]:
    stranger, _org = factories.applicant(make_user, crew.registrar, "Stranger Tungsten LLP")
    return {
        "owner": holder.owner,
        "manager": holder.manager,
        "contact": holder.contact,
        "viewer": holder.bystander,
        "stranger": stranger,
        "registrar": crew.registrar,
    }


def _remove_url(contact: NoticeContact) -> str:
    return reverse("licensing:notice-contact-remove", args=[contact.pk])


def test_the_page_address_is_the_published_one() -> None:
    assert reverse("licensing:notice-contacts") == PAGE


# Who reads and who writes: (person, GET page, POST add, GET removal confirmation, POST removal)
ACCESS = [
    ("anonymous", 302, 302, 302, 302),
    ("owner", 200, 302, 200, 302),
    ("manager", 200, 302, 200, 302),
    ("contact", 200, 403, 403, 403),  # a viewer named a contact reads, but does not name others
    ("viewer", 200, 403, 403, 403),
    ("stranger", 200, 400, 404, 404),  # sees its own organisation's page; home's contact does not exist for it
    ("registrar", 403, 403, 403, 403),  # an official has no organisation of its own
]


@pytest.mark.parametrize(("who", "read", "add", "confirm", "remove"), ACCESS)
def test_access(client, holder, make_user, crew, who, read, add, confirm, remove) -> None:
    people = _people(holder, make_user, crew)
    if who != "anonymous":
        client.force_login(people[who])
    contact = NoticeContact.objects.get(user=holder.contact)
    before = (NoticeContact.objects.count(), Event.objects.count())
    assert client.get(PAGE).status_code == read
    assert client.get(_remove_url(contact)).status_code == confirm
    assert client.post(PAGE, {"user": holder.bystander.pk}).status_code == add
    writes = who in {"owner", "manager"}
    if writes:
        assert NoticeContact.objects.filter(organisation=holder.organisation, user=holder.bystander).exists()
    else:
        assert (NoticeContact.objects.count(), Event.objects.count()) == before
    before = NoticeContact.objects.count()
    assert client.post(_remove_url(contact)).status_code == remove
    assert NoticeContact.objects.filter(pk=contact.pk).exists() is not writes
    assert NoticeContact.objects.count() == before - (1 if writes else 0)


def test_the_page_lists_who_receives_the_notices(client, holder) -> None:
    client.force_login(holder.bystander)
    page = client.get(PAGE).content.decode()
    assert holder.owner.email in page and holder.manager.email in page and holder.contact.email in page
    assert "Add a notice contact" not in page and "Remove" not in page  # a viewer only reads
    client.force_login(holder.owner)
    page = client.get(PAGE).content.decode()
    assert "Add a notice contact" in page and _remove_url(NoticeContact.objects.get(user=holder.contact)) in page


def test_an_owner_names_a_viewer_who_is_told_and_then_removes_them(client, holder) -> None:
    client.force_login(holder.owner)
    response = client.post(PAGE, {"user": holder.bystander.pk}, follow=True)
    assert f"{holder.bystander.email} now receives the licence notices." in response.content.decode()
    contact = NoticeContact.objects.get(organisation=holder.organisation, user=holder.bystander)
    added = Event.objects.get(type="notice_contact.added")
    assert (added.actor_id, added.payload["user"]) == (holder.owner.pk, holder.bystander.pk)
    confirmation = client.get(_remove_url(contact)).content.decode()
    assert f"Stop sending licence notices to {holder.bystander.email}?" in confirmation
    response = client.post(_remove_url(contact), follow=True)
    assert f"{holder.bystander.email} no longer receives the licence notices." in response.content.decode()
    assert not NoticeContact.objects.filter(pk=contact.pk).exists()
    assert Event.objects.filter(type="notice_contact.removed").count() == 1


@pytest.mark.parametrize("bad", ["", "abc", "999999", "contact", "outsider"])
def test_a_bad_choice_is_refused_and_changes_nothing(client, holder, make_user, bad) -> None:
    outsider = make_user(Role.INVESTOR)
    value = {"contact": holder.contact.pk, "outsider": outsider.pk}.get(bad, bad)
    client.force_login(holder.manager)
    before = (NoticeContact.objects.count(), Event.objects.count())
    response = client.post(PAGE, {"user": value})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert (NoticeContact.objects.count(), Event.objects.count()) == before


def test_the_services_refuse_a_viewer_a_non_member_and_a_second_naming(holder, make_user) -> None:
    with pytest.raises(PermissionDenied):
        contacts.notice_contact_add(actor=holder.bystander, organisation=holder.organisation, user=holder.bystander)
    with pytest.raises(ValidationError, match="Only a member"):
        contacts.notice_contact_add(actor=holder.owner, organisation=holder.organisation, user=make_user())
    with pytest.raises(ValidationError, match="already"):
        contacts.notice_contact_add(actor=holder.owner, organisation=holder.organisation, user=holder.contact)
    with pytest.raises(PermissionDenied):
        contacts.notice_contact_remove(actor=holder.contact, contact=NoticeContact.objects.get(user=holder.contact))
    assert NoticeContact.objects.count() == 1


def test_the_page_reads_a_constant_number_of_queries(client, holder, make_user, django_assert_max_num_queries) -> None:
    client.force_login(holder.owner)
    for _ in range(15):
        member = make_user(Role.INVESTOR)
        investor_factories.join(holder.organisation, member, MemberRole.VIEWER, invited_by=holder.owner)
        contacts.notice_contact_add(actor=holder.owner, organisation=holder.organisation, user=member)
    with django_assert_max_num_queries(9):
        page = client.get(PAGE).content.decode()
    assert page.count("/remove/") == 16
