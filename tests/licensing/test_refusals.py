"""A refused service call says the same words on the page as in the API, with the same status."""

from django.urls import reverse

from tests.licensing import factories


def test_a_refused_withdrawal_says_the_same_on_the_page_and_in_the_api(client, first) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    client.force_login(owner)
    api = f"/api/v1/applications/{application.pk}/withdraw/"
    assert client.post(api, {"reason": "Changed plans"}, content_type="application/json").status_code == 200
    again = client.post(api, {}, content_type="application/json")
    page = client.post(reverse("licensing:application-withdraw", args=[application.pk]), {"reason": "Again"})
    sentence = "The application is withdrawn already."
    assert (again.status_code, again.json()["detail"]) == (409, sentence)
    assert page.status_code == 409 and sentence in page.content.decode()
