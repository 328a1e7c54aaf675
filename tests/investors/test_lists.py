"""The registrar's list of organisations pages through them and says how many there are."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from investors import views
from investors.models import OrganisationStatus
from tests.investors import factories

pytestmark = pytest.mark.django_db


def test_the_registrars_organisations_are_paged_with_the_status_kept(client, make_user, registrar, monkeypatch) -> None:
    monkeypatch.setattr(views, "REGISTRAR_PAGE_SIZE", 2)
    owner = make_user(Role.INVESTOR)
    names = [f"Verified {letter} Ltd" for letter in "ABC"]
    for name in names:
        factories.verified_organisation(owner, registrar, legal_name=name, legal_name_latin=name)
    client.force_login(registrar)
    url = reverse("investors:registrar-queue")
    first = client.get(url, {"status": OrganisationStatus.VERIFIED}).content.decode()
    assert "Showing 1 to 2 of 3" in first and names[0] in first and names[2] not in first
    assert 'href="?status=verified&amp;page=2" rel="next"' in first
    second = client.get(url, {"status": OrganisationStatus.VERIFIED, "page": 2}).content.decode()
    assert names[2] in second and names[0] not in second
