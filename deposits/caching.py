"""Caching of public, anonymous answers about deposits.

A cached answer is keyed by the disclosure revision, which every deposits service bumps
inside its transaction: once a change commits, the next request computes afresh, on
every web process, whatever the cache backend. Reading the revision is one primary-key
query. Signed-in users (who may see previews) are never served from the cache.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from deposits.models import DisclosureRevision

TIMEOUT = 600


def _cache():  # type: ignore[no-untyped-def]
    return caches["disclosure"]


def disclosure_revision() -> int:
    return DisclosureRevision.objects.values_list("number", flat=True).get(pk=1)


def _key(request: HttpRequest) -> str:
    parts = [
        str(disclosure_revision()),
        translation.get_language() or "",
        request.get_full_path(),
        request.headers.get("Accept", ""),
        request.get_host(),
        request.scheme,
    ]
    return "disclosure:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_disclosure(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET from the cache while the disclosure is unchanged.
    Works on function views and on a DRF view's `dispatch` (whose first argument is self)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        request = next(a for a in args if isinstance(a, HttpRequest))
        # A caller with credentials (a partner's token) is checked and counted by the view.
        credentials = request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META
        if request.method not in ("GET", "HEAD") or credentials:
            return view(*args, **kwargs)
        key = _key(request)
        response = _cache().get(key)
        if response is not None:
            return response
        response = view(*args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
            # Keep only bytes and headers: a DRF Response would pickle its data and renderers too.
            plain = HttpResponse(response.content, status=response.status_code)
            for header, value in response.items():
                plain[header] = value
            _cache().set(key, plain, TIMEOUT)
        return response

    return wrapped
