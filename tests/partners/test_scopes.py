"""Every API operation × partner scopes, read from the OpenAPI document itself: an operation
that names a scope answers 403 to a token holding every other scope and lets a token with it
through; an operation that names none answers 403 to a token holding every scope. A new
operation is covered the day it is added."""

import re
from typing import Any

import pytest
from django.test import Client

from partners.scopes import SCOPES
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations(client: Client) -> list[tuple[str, str, set[str]]]:
    """(method, path with its parameters filled, scopes of which any will do; empty: none)."""
    document = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            scopes = {s for r in item[method].get("security", []) for s in r.get("partnerClient", [])}
            found.append((method, re.sub(r"\{[^}]+\}", "1", path), scopes))
    return found


def call(http: Client, method: str, path: str, headers: dict[str, str]) -> Any:
    return getattr(http, method)(path, {} if method == "get" else "{}", content_type="application/json", **headers)


def test_every_operation_needs_its_scope_and_no_other(client) -> None:
    found = operations(client)
    assert sum(1 for _m, _p, scopes in found if scopes) >= 20  # the partner API is in the document
    tokens: dict[frozenset[str], dict[str, str]] = {}

    def token(scopes: frozenset[str]) -> dict[str, str]:
        if scopes not in tokens:
            tokens[scopes] = bearer(client, partner_client(*sorted(scopes), name=" ".join(sorted(scopes))))
        return tokens[scopes]

    problems = []
    for method, path, scopes in found:
        where = f"{method.upper()} {path}"
        everything = token(frozenset(SCOPES))
        if not scopes:
            answer = call(client, method, path, everything)
            if answer.status_code != 403:
                problems.append(f"{where}: names no scope but a token reached it ({answer.status_code})")
            continue
        without = call(client, method, path, token(frozenset(SCOPES) - scopes))
        if without.status_code != 403:
            problems.append(f"{where}: a token without {sorted(scopes)} got {without.status_code}")
        for scope in scopes:
            with_it = call(client, method, path, token(frozenset({scope})))
            if with_it.status_code in (401, 403):
                problems.append(f"{where}: a token with {scope} was refused ({with_it.status_code})")
    assert not problems, "\n".join(problems)
