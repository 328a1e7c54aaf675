"""What officials write (a deposit's district, geology, history, competent person and notes; a
licence type's extension rule and source) is kept in English, Russian and Kazakh, edited side by
side, and shown in the page's language, or in English with a note until it is translated."""

import pickle
import re
from collections.abc import Iterator

import pytest
from django.utils import translation

from accounts.languages import Text, side_by_side
from accounts.roles import Role
from deposits import services
from deposits.models import Deposit
from licensing.models import LicenceType
from tests.deposits.factories import DepositFactory, EstimateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its language in this thread; the next test starts in the default."""
    with translation.override(None):
        yield


NOTE = {"en": "Not yet translated: shown in English.", "ru": "Перевод ещё не подготовлен", "kk": "Әлі аударылмаған"}


def _page(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_a_text_answers_in_the_active_language_or_in_english_marked() -> None:
    deposit = DepositFactory.build(geology_en="Granite.", geology_ru="Гранит.", geology_kk="")
    with translation.override("ru"):
        assert deposit.geology == "Гранит." and deposit.geology.lang == "ru" and not deposit.geology.fallback
    with translation.override("kk"):
        assert deposit.geology == "Granite." and deposit.geology.lang == "en" and deposit.geology.fallback
    with translation.override("en"):
        assert deposit.geology == "Granite." and not deposit.geology.fallback
    deposit.geology_en = ""
    with translation.override("kk"):
        assert deposit.geology == "" and not deposit.geology.fallback  # nothing to stand in: no note


def test_a_text_is_written_by_language_not_through_the_active_one() -> None:
    deposit = DepositFactory.build()
    with pytest.raises(AttributeError):
        deposit.geology = "Granite."


def test_a_text_keeps_its_language_through_the_cache() -> None:
    text = pickle.loads(pickle.dumps(Text("Granite.", "en", fallback=True)))  # noqa: S301 (our own bytes)
    assert text == "Granite." and text.lang == "en" and text.fallback


def test_the_page_shows_the_translation_where_there_is_one(client) -> None:
    deposit = DepositFactory(
        geology_en="Spodumene pegmatite dykes.",
        geology_ru="Дайки сподуменовых пегматитов.",
        history_en="Explored in 1958.",
        history_ru="Разведано в 1958 году.",
        district_en="Ulan District",
        district_ru="Уланский район",
    )
    page = _page(client, deposit.get_absolute_url(), "ru")
    assert '<p lang="ru">Дайки сподуменовых пегматитов.</p>' in page
    assert "Разведано в 1958 году." in page and "Уланский район" in page
    assert "Spodumene" not in page and "Explored" not in page and NOTE["ru"] not in page


def test_an_untranslated_text_is_shown_in_english_with_a_note_in_the_page_language(client) -> None:
    deposit = DepositFactory(geology_en="Spodumene pegmatite dykes.", district_en="Ulan District")
    EstimateFactory(deposit=deposit, competent_person_en="Not named in the source", note_en="Historical.")
    page = _page(client, deposit.get_absolute_url(), "kk")
    assert '<p lang="en">Spodumene pegmatite dykes.</p><p class="untranslated" role="note">' in page
    assert '<span lang="en">Ulan District</span> <span class="untranslated" role="note">' in page
    assert '<span lang="en">Not named in the source</span>' in page and '<span lang="en">Historical.</span>' in page
    assert page.count('class="untranslated"') == 5  # and the summary, which the factory writes in English and Russian
    english = _page(client, deposit.get_absolute_url(), "en")
    assert "Spodumene pegmatite dykes." in english and 'class="untranslated"' not in english


def test_the_cached_page_is_one_per_language(client) -> None:
    deposit = DepositFactory(geology_en="Granite.", geology_ru="Гранит.", geology_kk="Гранит (қазақша).")
    url = deposit.get_absolute_url()
    for _ in range(2):  # the second round comes from the cache
        assert "Гранит (қазақша)." in _page(client, url, "kk")
        assert "Гранит." in _page(client, url, "ru") and "қазақша" not in _page(client, url, "ru")
        assert "Granite." in _page(client, url, "en")


def test_the_list_shows_the_district_in_the_page_language(client) -> None:
    DepositFactory(district_en="Ulan District", district_kk="Ұлан ауданы")
    page = _page(client, "/deposits/", "kk")
    assert '<span lang="kk">Ұлан ауданы</span>' in page and "Ulan District" not in page


def test_the_admin_puts_the_three_versions_side_by_side(client, registrar) -> None:
    deposit = DepositFactory(geology_en="Granite.")
    EstimateFactory(deposit=deposit)
    client.force_login(registrar)
    page = client.get(f"/admin/deposits/deposit/{deposit.pk}/change/").content.decode()
    for name in ("district", "summary", "geology", "history"):
        row = re.search(rf'<div class="form-row field-{name}_en field-{name}_ru field-{name}_kk">', page)
        assert row, name
    assert "field-competent_person_en field-competent_person_ru field-competent_person_kk" in page
    assert "field-note_en field-note_ru field-note_kk" in page
    assert side_by_side(["slug", "name_en", "name_ru", "name_kk", "geology_en"]) == [
        "slug",
        ("name_en", "name_ru", "name_kk"),
        "geology_en",
    ]


def test_the_licence_type_admin_puts_the_three_versions_side_by_side(client, make_user) -> None:
    client.force_login(make_user(Role.ADMIN))
    exploration = LicenceType.objects.get(code="exploration")
    page = client.get(f"/admin/licensing/licencetype/{exploration.pk}/change/").content.decode()
    assert "field-source_en field-source_ru field-source_kk" in page
    assert "field-extension_rule_en field-extension_rule_ru field-extension_rule_kk" in page


def test_an_import_reads_the_english_of_the_old_keys_and_each_language_of_the_new(registrar) -> None:
    record = {
        "slug": "bakennoe",
        "name_en": "Bakennoe",
        "region": "east_kazakhstan",
        "district": "Ulan District",
        "latitude": 49.2,
        "longitude": 83.1,
        "deposit_type": "pegmatite",
        "stage": "exploration",
        "commodities": ["Li"],
        "geology_en": "Pegmatite.",
        "geology_kk": "Пегматит.",
        "history": "Explored.",
        "estimates": [
            {
                "commodity": "Li",
                "code": "jorc",
                "category": "inferred",
                "grade_unit": "% Li2O",
                "effective_date": "2024-01-01",
                "tonnage_t": 1000,
                "competent_person": "KIGAM",
                "note_ru": "Предварительно.",
            }
        ],
    }
    deposit = services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    deposit = Deposit.objects.get(pk=deposit.pk)
    assert (deposit.district_en, deposit.geology_en, deposit.geology_kk, deposit.history_en) == (
        "Ulan District",
        "Pegmatite.",
        "Пегматит.",
        "Explored.",
    )
    estimate = deposit.estimates.get()
    assert (estimate.competent_person_en, estimate.note_en, estimate.note_ru) == ("KIGAM", "", "Предварительно.")


def test_the_licence_types_page_speaks_kazakh_and_russian(client) -> None:
    kazakh = _page(client, "/licence-types/", "kk")
    assert "Жер қойнауы және жер қойнауын пайдалану туралы" in kazakh and "adilet.zan.kz/kaz/docs/K1700000125" in kazakh
    assert "Subsoil Code of the Republic" not in kazakh and "One extension of 5 years" not in kazakh
    assert "барлауға жұмсалатын ең төменгі жылдық шығыстар, қатты пайдалы қазбалар" in kazakh  # a tier's source
    assert "solid minerals" not in kazakh
    russian = _page(client, "/licence-types/", "ru")
    assert "О недрах и недропользовании" in russian and "Одно продление на 5 лет" in russian
    assert "Subsoil Code of the Republic" not in russian


def test_the_demo_deposits_are_written_in_all_three_languages_with_their_sources() -> None:
    from demo.deposits import DEPOSITS

    untranslated = []
    for record in DEPOSITS:
        assert record["sources"], record["slug"]
        parts = [(record["slug"], record)] + [(f"{record['slug']} estimate", e) for e in record.get("estimates", [])]
        for where, part in parts:
            for name in ("district", "geology", "history", "competent_person", "note"):
                if part.get(name) and not (part.get(f"{name}_ru") and part.get(f"{name}_kk")):
                    untranslated.append(f"{where}: {name}")
    assert untranslated == []


def test_a_demo_deposit_page_in_kazakh_has_nothing_left_in_english(client, registrar) -> None:
    from demo.deposits import DEPOSITS

    record = next(r for r in DEPOSITS if r["slug"] == "severny-katpar")
    deposit = services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    page = _page(client, deposit.get_absolute_url(), "kk")
    assert 'class="untranslated"' not in page
    assert "Успен белдемінің" in page and "Шет ауданы" in page and "тексеру бұрғылауымен" in page
    assert "Historical data on the reserves of the Northern Katpar field" in page  # the source, as cited


def test_a_new_version_of_the_agreement_is_written_side_by_side(client, make_user) -> None:
    client.force_login(make_user(Role.ADMIN))
    page = client.get("/admin/investors/confidentialityagreement/add/").content.decode()
    assert "field-text_en field-text_ru field-text_kk" in page
