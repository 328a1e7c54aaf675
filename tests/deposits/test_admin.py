import pytest

from deposits.models import Deposit
from events.models import Event
from tests.deposits.factories import DepositFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/deposits/deposit/"


def test_the_admin_is_closed_to_the_public_and_to_investors(client, investor) -> None:
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(investor)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ["reviewer", "approver"])
def test_other_officials_read_deposits_but_cannot_change_them(client, make_user, role: str) -> None:
    from accounts.roles import Role

    deposit = DepositFactory(is_published=False, published_at=None)
    client.force_login(make_user(Role(role)))
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [deposit.pk]})
    assert not Deposit.objects.get(pk=deposit.pk).is_published and not Event.objects.exists()


def test_registrar_publishes_from_the_admin_and_the_event_is_recorded(client, registrar) -> None:
    deposit = DepositFactory(is_published=False, published_at=None)
    client.force_login(registrar)
    assert client.get(CHANGELIST).status_code == 200
    response = client.post(CHANGELIST, {"action": "publish", "_selected_action": [deposit.pk]}, follow=True)
    assert response.status_code == 200
    assert "1 deposit(s) published." in response.content.decode()
    assert Deposit.objects.get(pk=deposit.pk).is_published
    assert Event.objects.filter(type="deposit.published", actor=registrar).count() == 1


def test_publishing_an_already_published_deposit_warns_and_changes_nothing(client, registrar) -> None:
    deposit = DepositFactory()
    client.force_login(registrar)
    response = client.post(CHANGELIST, {"action": "publish", "_selected_action": [deposit.pk]}, follow=True)
    assert "is already published" in response.content.decode()
    assert not Event.objects.exists()


def test_registrars_cannot_delete_a_disclosure(client, registrar) -> None:
    deposit = DepositFactory()
    client.force_login(registrar)
    assert client.post(f"{CHANGELIST}{deposit.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Deposit.objects.filter(pk=deposit.pk).exists()


def _form(deposit_fields: dict) -> dict:
    data = {
        "slug": "new-deposit",
        "name_en": "New deposit",
        "name_ru": "",
        "name_kk": "",
        "region": "karaganda",
        "district_en": "",
        "district_ru": "",
        "district_kk": "",
        "latitude": "48.5",
        "longitude": "73.0",
        "outline": "null",
        "deposit_type": "greisen",
        "stage": "exploration",
        "summary_en": "",
        "summary_ru": "",
        "summary_kk": "",
        "geology_en": "",
        "geology_ru": "",
        "geology_kk": "",
        "history_en": "",
        "history_ru": "",
        "history_kk": "",
        "rail_km": "",
        "road_km": "",
        "power_km": "",
        "water_km": "",
    }
    for prefix in ("deposit_commodities", "estimates", "sources", "documents"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "deposit_commodities-TOTAL_FORMS": "1",
            "deposit_commodities-0-commodity": "",
            "deposit_commodities-0-is_primary": "on",
        }
    )
    data.update(deposit_fields)
    return data


def test_registrar_adds_a_deposit_through_the_service(client, registrar) -> None:
    from deposits.models import Commodity

    client.force_login(registrar)
    w = Commodity.objects.get(code="W").pk
    response = client.post(f"{CHANGELIST}add/", _form({"deposit_commodities-0-commodity": str(w)}))
    assert response.status_code == 302, response.content.decode()[:3000]
    deposit = Deposit.objects.get(slug="new-deposit")
    assert not deposit.is_published
    assert list(Event.objects.values_list("type", flat=True)) == ["deposit.created", "deposit.commodities_changed"]


def test_moving_the_main_commodity_to_another_row_saves(client, registrar) -> None:
    from deposits.models import DepositCommodity

    deposit = DepositFactory(commodities=["Li", "Ta"])
    li, ta = (DepositCommodity.objects.get(deposit=deposit, commodity__code=c) for c in ("Li", "Ta"))
    client.force_login(registrar)
    data = _form(
        {
            "slug": deposit.slug,
            "name_en": deposit.name_en,
            "latitude": str(deposit.latitude),
            "longitude": str(deposit.longitude),
            "deposit_type": deposit.deposit_type,
            "stage": deposit.stage,
            "outline": "",
        }
    )
    data.update(
        {
            "deposit_commodities-TOTAL_FORMS": "2",
            "deposit_commodities-INITIAL_FORMS": "2",
            "deposit_commodities-0-id": str(ta.pk),
            "deposit_commodities-0-deposit": str(deposit.pk),
            "deposit_commodities-0-commodity": str(ta.commodity_id),
            "deposit_commodities-0-is_primary": "on",
            "deposit_commodities-1-id": str(li.pk),
            "deposit_commodities-1-deposit": str(deposit.pk),
            "deposit_commodities-1-commodity": str(li.commodity_id),
        }
    )
    response = client.post(f"{CHANGELIST}{deposit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DepositCommodity.objects.get(deposit=deposit, is_primary=True).commodity.code == "Ta"


def test_two_main_commodities_are_refused_with_a_message(client, registrar) -> None:
    from deposits.models import Commodity

    client.force_login(registrar)
    data = _form({"deposit_commodities-0-commodity": str(Commodity.objects.get(code="W").pk)})
    data.update(
        {
            "deposit_commodities-TOTAL_FORMS": "2",
            "deposit_commodities-1-commodity": str(Commodity.objects.get(code="Mo").pk),
            "deposit_commodities-1-is_primary": "on",
        }
    )
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert "Mark exactly one commodity as the main one." in response.content.decode()
    assert not Deposit.objects.exists()


def test_an_estimate_category_of_another_code_is_refused_next_to_the_field(client, registrar) -> None:
    from deposits.models import Commodity

    client.force_login(registrar)
    data = _form({"deposit_commodities-0-commodity": str(Commodity.objects.get(code="W").pk)})
    data.update(
        {
            "estimates-TOTAL_FORMS": "1",
            "estimates-0-commodity": str(Commodity.objects.get(code="W").pk),
            "estimates-0-code": "jorc",
            "estimates-0-category": "C1",
            "estimates-0-tonnage_t": "1000",
            "estimates-0-grade": "",
            "estimates-0-grade_unit": "% WO3",
            "estimates-0-contained_t": "",
            "estimates-0-cutoff": "",
            "estimates-0-effective_date": "2024-06-30",
            "estimates-0-competent_person_en": "",
            "estimates-0-competent_person_ru": "",
            "estimates-0-competent_person_kk": "",
            "estimates-0-source": "",
            "estimates-0-note_en": "",
            "estimates-0-note_ru": "",
            "estimates-0-note_kk": "",
        }
    )
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert "C1 is not a category of JORC." in response.content.decode()
    assert not Deposit.objects.exists()


def test_a_location_abroad_is_refused_with_a_message(client, registrar) -> None:
    from deposits.models import Commodity

    client.force_login(registrar)
    w = Commodity.objects.get(code="W").pk
    response = client.post(
        f"{CHANGELIST}add/",
        _form({"latitude": "42.87", "longitude": "74.59", "deposit_commodities-0-commodity": str(w)}),
    )
    assert response.status_code == 200
    assert "is not in Kazakhstan" in response.content.decode()
    assert not Deposit.objects.exists() and not Event.objects.exists()
