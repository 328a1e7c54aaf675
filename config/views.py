"""Pages that span apps (home, the language switch) and the health probes."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from accounts.errors import problem_response
from deposits import selectors as deposit_selectors
from investors.services import PRIVACY_NOTICE_VERSION
from licensing.statistics.selectors import headline_figures


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "figures": deposit_selectors.deposit_headline_figures(),
        "featured": deposit_selectors.deposit_list_public().order_by("-updated_at")[:6],
        "processing": headline_figures(),
    }
    return render(request, "home.html", context)


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/terms.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/privacy.html", {"notice_version": PRIVACY_NOTICE_VERSION})


@never_cache
@require_safe
def language_switch(request: HttpRequest) -> HttpResponseRedirect:
    """The language switcher in every page's header: sets the language cookie and goes back to
    `next`, a page of this site (anything else, or nothing, goes to the home page).

    A GET, so that the form carries no CSRF token and an anonymous page holds nothing of the
    visitor's own: the public pages are cached (deposits.caching). Like Django's own switch
    it changes nothing but this browser's language; an unknown language changes nothing."""
    target = request.GET.get("next", "")
    same_site = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not same_site:
        target = reverse("home")
    response = HttpResponseRedirect(target)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database and the Celery broker are reachable; 503 naming the one that is not."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(500, _("Server error"), _("Something went wrong on our side; it has been logged."))
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refuses before any view (too many fields, a malformed upload, a
    suspicious header): a problem under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return problem_response(400, _("Bad request"), _("The request is malformed or too large to read."))
    return defaults.bad_request(request, exception)
