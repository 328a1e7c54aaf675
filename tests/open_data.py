"""The open-data files are built ahead (licensing.licences.publication), not in the request:
tests about their content build them, then download them."""

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

from licensing.licences.publication import open_data_build


def read(response: Any) -> Any:
    """A served file's answer with its body read (`content`, `json()`), as a plain response."""
    if not response.streaming:
        return response
    body = b"".join(response.streaming_content)
    plain = HttpResponse(body, status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    plain.json = lambda: json.loads(body)  # type: ignore[attr-defined]
    return plain


def fetch(client: Client, url: str, **headers: str) -> Any:
    """The file at `url` as a build of the register as it stands now publishes it."""
    open_data_build()
    return read(client.get(url, headers=headers))
