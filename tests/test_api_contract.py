"""The API answers what its OpenAPI document says: every GET operation, called anonymously and
as an investor with real, another organisation's, nonexistent and malformed ids and with each
query parameter well-formed, empty and malformed, answers a status documented for that
operation (never 5xx) with a JSON body that validates against the documented schema. Unknown
addresses under /api/ answer a JSON problem, and enums are the real choices."""

import copy
import json
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator

from tests.world import World, build

pytestmark = pytest.mark.django_db

FORGED = ["999999999", "0", "no-such-thing", "%2E%2E"]


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` as JSON Schema: null becomes one of the allowed types."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    root = {"allOf": [_nullable(schema)], "components": _nullable(document["components"])}
    return jsonschema.Draft202012Validator(root, format_checker=FORMATS)


def _query_samples(parameter: dict[str, Any]) -> list[str]:
    schema = parameter.get("schema", {})
    good = {"bbox": "81.1,49.1,81.2,49.2", "format": "json"}.get(parameter["name"])
    if good is None:
        good = (schema.get("enum") or [None])[0] or {"integer": "1", "string": "a"}.get(schema.get("type"), "1")
        if schema.get("format") == "date":
            good = "2026-01-31"
    return [str(good), "", "%%%", "2026-02-30", "-1", "1e999"]


def _path_samples(world: World, path: str) -> list[str]:
    own = {
        "/api/v1/applications/": [world.lodged.pk, world.draft.pk],
        "/api/v1/organisations/": [world.home.pk, world.stranger_org.pk],
        "/api/v1/notifications/": [world.notification.pk],
        "/api/v1/deposits/": [world.deposit.slug],
        "/api/v1/commodities/": ["Li", "li"],
        "/api/v1/licence-types/": [world.lodged.licence_type_id],
        "/api/v1/blocks/": ["N4910E08110", "S9999W99999"],
        "/api/v1/licences/": [world.licence.number, world.licence.number.lower()],
        "/api/v1/invoices/": [world.invoice.number, world.invoice.number.lower()],
        "/api/v1/title-changes/": [world.title_change.number],
        "/api/v1/webhooks/": [world.notification.pk],  # partner tokens only: people are refused any id
    }
    for prefix, values in own.items():
        if path.startswith(prefix):
            return [str(v) for v in values] + FORGED
    raise AssertionError(f"{path}: add real ids for it to _path_samples")


def _calls(world: World, path: str, operation: dict[str, Any]) -> list[str]:
    """Addresses to call for one operation: each path sample, and each query sample alone."""
    params = operation.get("parameters", [])
    required = {p["name"]: _query_samples(p)[0] for p in params if p["in"] == "query" and p.get("required")}
    bases = [path]
    for p in (p for p in params if p["in"] == "path"):
        bases = [b.replace("{" + p["name"] + "}", v) for b in bases for v in _path_samples(world, path)]
    calls = []
    for base in bases:
        calls.append(base + ("?" + "&".join(f"{k}={v}" for k, v in required.items()) if required else ""))
    for p in (p for p in params if p["in"] == "query"):
        for sample in _query_samples(p):
            query = {**required, p["name"]: sample}
            calls.append(bases[0] + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    calls.append(bases[0] + ("&" if "?" in bases[0] else "?") + "page=999")
    return calls


def _content_schema(response_doc: dict[str, Any], content_type: str) -> dict[str, Any] | None:
    content = response_doc.get("content", {})
    media = content_type.split(";")[0].strip()
    return (content.get(media) or {}).get("schema")


@pytest.fixture
def world(make_user, time_machine) -> World:
    from tests.licensing.conftest import WORKING_MORNING

    time_machine.move_to(WORKING_MORNING)
    return build(make_user)


def test_every_get_operation_answers_a_documented_status_and_body(world: World) -> None:
    document = Client().get("/api/schema/?format=json").json()
    callers = {"anonymous": Client(), "investor": Client()}
    callers["investor"].force_login(world.users["owner"])
    problems, calls = [], 0
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        for address in _calls(world, path, operation):
            for who, client in callers.items():
                calls += 1
                response = client.get(address, HTTP_ACCEPT="application/json")
                status = str(response.status_code)
                where = f"{who} GET {address} -> {status}"
                if response.status_code >= 500 or status not in operation["responses"]:
                    problems.append(f"{where}: not documented {sorted(operation['responses'])}")
                    continue
                content_type = response.get("Content-Type", "")
                if "json" not in content_type:
                    problems.append(f"{where}: answered {content_type}")
                    continue
                schema = _content_schema(operation["responses"][status], content_type)
                if schema is None:
                    problems.append(f"{where}: no schema documented for {content_type}")
                    continue
                error = jsonschema.exceptions.best_match(_validator(document, schema).iter_errors(response.json()))
                if error is not None:
                    problems.append(f"{where}: {error.message} at {list(error.absolute_path)}")
    assert calls > 200
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/api/v1/nope/"),
        ("get", "/api/nope"),
        ("post", "/api/v1/nope/"),
        ("delete", "/api/v2/deposits/"),
        ("get", "/api/v1/deposits/a/b/c/"),
    ],
)
def test_unknown_api_addresses_answer_a_json_problem(client, method: str, address: str) -> None:
    response = getattr(client, method)(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail"} and body["status"] == 404


def test_a_missing_slash_is_named_in_the_problem(client) -> None:
    body = client.get("/api/v1/deposits").json()
    assert "/api/v1/deposits/" in body["detail"]


def test_methods_an_operation_lacks_answer_json(client, make_user) -> None:
    client.force_login(make_user())
    for address in ("/api/v1/deposits/", "/api/v1/me/", "/api/v1/statistics/", "/api/v1/licence-types/"):
        response = client.delete(address)
        assert response.status_code == 405 and response.json()["detail"], address


@pytest.mark.parametrize("query", ["until=", "since=", "weeks=", "until=2026-13-01", "weeks=abc", "since=31.01.2026"])
def test_statistics_refuse_an_empty_or_malformed_filter_naming_it(client, query: str) -> None:
    response = client.get(f"/api/v1/statistics/?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [query.split("=")[0]]


def test_every_enum_in_the_document_is_the_choices_of_its_field() -> None:
    """Named enums are shared by every field with the same name; two fields with the same name
    and different choices must not share one (one would document the other's values)."""
    named = SchemaGenerator().get_schema(request=None, public=True)
    with override_settings(SPECTACULAR_SETTINGS={**settings.SPECTACULAR_SETTINGS, "POSTPROCESSING_HOOKS": []}):
        raw = SchemaGenerator().get_schema(request=None, public=True)
    components = named["components"]["schemas"]

    def resolve(node: dict[str, Any]) -> set[Any]:
        if "$ref" in node:
            return resolve(components[node["$ref"].split("/")[-1]])
        if "enum" in node:
            return set(node["enum"]) - {None, ""}
        values: set[Any] = set()
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key, []):
                values |= resolve(part)
        return values

    drift = []
    for name, component in raw["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            if "enum" not in spec:
                continue
            documented = resolve(copy.deepcopy(components[name]["properties"][prop]))
            if documented != set(spec["enum"]) - {None, ""}:
                drift.append(f"{name}.{prop}: documented {sorted(documented)}, real {sorted(spec['enum'])}")
    assert not drift, json.dumps(drift, indent=1)
