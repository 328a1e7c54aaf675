"""A NUL character anywhere in a request is a 400, never a 500 (PostgreSQL text cannot hold one).

Found by probing: /verify/%00/, /deposits/?commodity=%00 and ?q=%00 answered 500 on PostgreSQL.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role

pytestmark = pytest.mark.django_db
NUL_VALUE = "a%00b"


def _route(pattern: object) -> str:
    """The pattern's path with every parameter filled with a NUL-containing value."""
    text = str(pattern)
    if "(?P<" in text or text.startswith("^"):  # re_path (the admin, the API's format suffixes)
        text = re.sub(r"\(\?P<\w+>[^)]*\)", NUL_VALUE, text)
        text = re.sub(r"\((?:\?:)?[^)]*\)\??", "", text)
        text = text.replace("\\.", ".").replace("\\Z", "")
        return re.sub(r"[\^$?*+\\]", "", text)
    return re.sub(r"<[^>]+>", NUL_VALUE, text)


def _paths(patterns: list, prefix: str = "") -> list[str]:
    paths = []
    for entry in patterns:
        route = prefix + _route(entry.pattern)
        if isinstance(entry, URLResolver):
            paths.extend(_paths(entry.url_patterns, route))
        elif isinstance(entry, URLPattern):
            paths.append("/" + route)
    return sorted(set(paths))


ALL_PATHS = _paths(get_resolver().url_patterns)


def _assert_refused(response, path: str) -> None:
    assert response.status_code == 400, (path, response.status_code)
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json", path
        assert set(response.json()) == {"type", "title", "status", "detail"} and response.json()["status"] == 400
    else:
        assert response["Content-Type"].startswith("text/html") and b"NUL character" in response.content


def test_the_url_conf_is_covered() -> None:
    assert len(ALL_PATHS) > 50 and "/verify/a%00b/" in ALL_PATHS and any(p.startswith("/admin/") for p in ALL_PATHS)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_url_refuses_a_nul_in_its_path_or_query(client, path: str) -> None:
    if "%00" in path:
        _assert_refused(client.get(path), path)
    # Every page also refuses one in the query, whatever the path's own parameters.
    bare = path.replace(NUL_VALUE, "x")
    _assert_refused(client.get(bare, {"q": "\x00"}), bare)


@pytest.mark.parametrize(
    "path",
    ["/verify/%00/", "/deposits/?commodity=%00", "/deposits/?q=%00", "/api/v1/deposits/?commodity=%00", "/?%00=1"],
)
def test_the_probes_answer_400(client, path: str) -> None:
    _assert_refused(client.get(path), path)


def test_signed_in_pages_refuse_it_too(client, make_user) -> None:
    client.force_login(make_user(Role.REVIEWER))
    _assert_refused(client.get("/workbench/?q=%00"), "/workbench/")
    _assert_refused(client.get("/admin/accounts/user/?q=%00"), "/admin/accounts/user/")


def test_a_form_field_with_a_nul_is_refused(client, make_user) -> None:
    user = make_user(Role.INVESTOR)
    _assert_refused(
        client.post("/accounts/login/", {"login": "a\x00@example.com", "password": "x"}), "/accounts/login/"
    )
    client.force_login(user)
    form = {"first_name": "Ai\x00gerim", "last_name": "", "preferred_language": "en"}
    _assert_refused(client.post("/accounts/profile/", form), "/accounts/profile/")
    # A NUL in a field's name counts as in its value.
    _assert_refused(client.post("/accounts/profile/", {"first\x00": "x"}), "/accounts/profile/")
    user.refresh_from_db()
    assert user.first_name == ""


def test_a_multipart_field_with_a_nul_is_refused_but_not_file_contents(client, make_user) -> None:
    client.force_login(make_user(Role.INVESTOR))
    named = SimpleUploadedFile("report.pdf", b"%PDF-1.4", content_type="application/pdf")
    _assert_refused(client.post("/accounts/profile/", {"fi\x00le": named}), "/accounts/profile/")
    # Django's parser drops non-printable characters from file names itself: never a 500.
    named = SimpleUploadedFile("report\x00.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post("/accounts/profile/", {"file": named}).status_code == 200
    _assert_refused(client.post("/accounts/profile/", {"first_name": "a\x00", "file": b""}), "/accounts/profile/")
    binary = SimpleUploadedFile("report.pdf", b"%PDF-1.4\x00\x00binary", content_type="application/pdf")
    form = {"first_name": "Aigerim", "last_name": "", "preferred_language": "en", "file": binary}
    assert client.post("/accounts/profile/", form).status_code == 302  # contents are the uploads' business


@pytest.mark.parametrize(
    "body", ['{"name": "a\\u0000b"}', '{"a\\u0000": 1}', '[{"deep": ["\\u0000"]}]', '{"x": "\x00"}']
)
def test_a_json_body_with_a_nul_is_refused(client, make_user, body: str) -> None:
    client.force_login(make_user(Role.INVESTOR))
    response = client.post("/api/v1/organisations/", body, content_type="application/json")
    _assert_refused(response, "/api/v1/organisations/")


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client, make_user) -> None:
    client.force_login(make_user(Role.INVESTOR))
    response = client.post("/api/v1/organisations/", '{"legal_name": "a\\\\u0000"}', content_type="application/json")
    assert response.status_code != 400 or b"NUL" not in response.content
