"""Kazakh for what the packages we use leave in English: Django's password rules and form
errors, and django-countries' country names (locale_vendor/kk, ahead of the packages' own
catalogues in LOCALE_PATHS)."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_countries import countries

PASSWORD_RULES_KK = [
    "Құпиясөз басқа жеке деректеріңізге тым ұқсас болмауы керек.",
    "Құпиясөз кемінде 8 таңбадан тұруы керек.",
    "Құпиясөз жиі қолданылатын құпиясөздердің бірі болмауы керек.",
    "Құпиясөз тек цифрлардан тұрмауы керек.",
]


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its language in this thread; the next test starts in the default."""
    with translation.override(None):
        yield


def test_our_catalogues_come_before_the_packages() -> None:
    assert [p.name for p in settings.LOCALE_PATHS] == ["locale", "locale_vendor"]


@pytest.mark.django_db
def test_the_sign_up_page_in_kazakh_states_the_password_rules_in_kazakh(client) -> None:
    client.cookies["django_language"] = "kk"
    page = client.get("/accounts/signup/").content.decode()
    for rule in PASSWORD_RULES_KK:
        assert rule in page
    assert "Your password" not in page


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_kazakh(client) -> None:
    client.cookies["django_language"] = "kk"
    page = client.post("/accounts/signup/", {"email": "a@example.kz", "password1": "12345678", "password2": "12345678"})
    text = page.content.decode()
    assert "Бұл құпиясөз тек цифрлардан тұрады." in text
    assert "entirely numeric" not in text


def test_every_country_has_a_kazakh_name() -> None:
    with translation.override("en"):
        english = dict(countries)
    with translation.override("kk"):
        kazakh = dict(countries)
    untranslated = sorted(code for code in english if kazakh[code] == english[code])
    assert untranslated == []
    assert kazakh["KZ"] == "Қазақстан" and kazakh["GB"] == "Ұлыбритания" and kazakh["RU"] == "Ресей"


@pytest.mark.django_db
def test_the_country_choices_on_a_page_are_in_kazakh(client, investor) -> None:
    client.force_login(investor)
    client.cookies["django_language"] = "kk"
    page = client.get(reverse("investors:organisation-create")).content.decode()
    assert ">Германия<" in page and ">Қытай<" in page
    assert ">Germany<" not in page
