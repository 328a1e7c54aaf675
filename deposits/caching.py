"""Caching of public, anonymous answers about deposits: the API, the open data and the pages.

A cached answer is keyed by the disclosure revision, which every deposits service bumps
inside its transaction (and a deposit's file when its checks end): once a change commits, the
next request computes afresh, on every web process, whatever the cache backend. Reading the
revision is one primary-key query. Signed-in users (who may see previews) are never served
from the cache. Nothing of one visitor's own is stored for the next: an answer that set a
cookie, carries a CSRF token or shows messages is not kept, and a visitor with messages
waiting is answered afresh.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
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


def _messages_waiting(request: HttpRequest) -> bool:
    # Counting them reads them without marking them shown.
    return bool(len(messages.get_messages(request)))


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer holds nothing of this visitor's own: no cookie, no CSRF token (which
    the middleware would set as a cookie after the view), no message."""
    storage = messages.get_messages(request)
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(storage, "used", False)
        and not len(storage)
    )


def cached_disclosure(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET from the cache while the disclosure is unchanged.
    Works on function views and on a DRF view's `dispatch` (whose first argument is self)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        request = next(a for a in args if isinstance(a, HttpRequest))
        # A caller with credentials (a partner's token) is checked and counted by the view.
        credentials = request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META
        if request.method not in ("GET", "HEAD") or credentials or _messages_waiting(request):
            return view(*args, **kwargs)
        key = _key(request)
        response = _cache().get(key)
        if response is not None:
            return response
        response = view(*args, **kwargs)
        if _shareable(request, response):
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
            # Keep only bytes and headers: a DRF Response would pickle its data and renderers too.
            plain = HttpResponse(response.content, status=response.status_code)
            for header, value in response.items():
                plain[header] = value
            _cache().set(key, plain, TIMEOUT)
        return response

    return wrapped
