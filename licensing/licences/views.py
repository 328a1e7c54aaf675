"""The public licence register, a licence's page and verification, its certificate, the
published licence types, and the open data of licences (GeoJSON and CSV)."""

import hashlib
from math import ceil
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.pagination import page_of
from deposits import open_data
from deposits.models import Commodity, Region
from licensing.domain import grid
from licensing.licences import certificates, register_selectors, selectors, services, signing
from licensing.licences.certificates import pdf_response
from licensing.licences.forms import CertificateCheckForm
from licensing.licences.selectors import (
    RegisterQuery,
    is_current,
    licence_for,
    licence_numbered,
    licence_public,
    register_licences,
)
from licensing.models import Licence, LicenceStatus, LicenceType
from licensing.permissions import may_see_licence, works_cases

PAGE_SIZE = 25


MAP_CODES_LIMIT = 2000  # blocks drawn on the register's map; beyond that the map would be unreadable


def _row(licence: Licence) -> dict[str, Any]:
    blocks = certificates.held_blocks(licence)
    return {"licence": licence, "blocks": blocks, "area": grid.total_area_km2(blocks)}


# Pages ---------------------------------------------------------------------------------


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "licence_type": [(t.code, t.name) for t in LicenceType.objects.all()],
        "status": [(str(v), str(label)) for v, label in LicenceStatus.choices],
        "region": [(str(v), str(label)) for v, label in Region.choices],
        "commodity": [(c.code, f"{c.name} ({c.code})") for c in Commodity.objects.all()],
    }


@require_safe
def licence_register(request: HttpRequest) -> HttpResponse:
    choices = _choices()
    values = {name: request.GET.get(name, "").strip() for name in choices}
    for name, value in values.items():
        if value and value not in {v for v, _label in choices[name]}:
            message = _("Unknown filter value: %(value)s") % {"value": value[:40]}
            return render(request, "400.html", {"message": message}, status=400)
    query = RegisterQuery(q=request.GET.get("q", "").strip()[:100], **values)
    page = page_of(register_licences(query), request.GET.get("page"), PAGE_SIZE)
    rows = [_row(licence) for licence in page]
    codes = [grid.code(b) for row in rows for b in row["blocks"]][:MAP_CODES_LIMIT]
    context = {"page": page, "rows": rows, "query": query, "choices": choices, "codes": codes}
    return render(request, "licensing/register_licences.html", context)


@require_safe
def licence_detail(request: HttpRequest, number: str) -> HttpResponse:
    licence = licence_public(number)
    blocks = certificates.held_blocks(licence)
    held = set(blocks)
    ended = [t for t in licence.tenures.all() if not t.is_active and t.block not in held]
    context = {
        "licence": licence,
        "codes": [grid.code(b) for b in blocks],
        "area": grid.total_area_km2(blocks),
        "ended": [{"code": grid.code(t.block), "ended_at": t.ended_at} for t in ended],
        "history": register_selectors.status_history(licence),
        "changes": register_selectors.changes_of_title(licence),
        "versions": register_selectors.certificate_versions(licence),
        "years": register_selectors.obligations_public(licence),
        "is_current": is_current(licence),
        "may_download": request.user.is_authenticated and may_see_licence(request.user, licence.holder_id),
        "is_official": request.user.is_authenticated and works_cases(request.user),
    }
    return render(request, "licensing/register_licence.html", context)


@require_safe
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone holding a certificate checks it here: 200 with what the register says, 404 if unknown."""
    licence = licence_numbered(number)
    if licence is None:
        context = {"number": number[:40], "message": _("No licence with this number.")}
        return render(request, "licensing/verify.html", context, status=404)
    blocks = certificates.held_blocks(licence)
    context = {
        "licence": licence,
        "codes": [grid.code(b) for b in blocks],
        "area": grid.total_area_km2(blocks),
        "is_current": is_current(licence),
        "versions": register_selectors.certificate_versions(licence),
        "signing_key": signing.signing_key(),
        "form": CertificateCheckForm(),
    }
    return render(request, "licensing/verify.html", context)


UPLOAD_OVERHEAD = 64 * 1024  # the multipart envelope around the file, at most


class CertificateCheckRate(SimpleRateThrottle):
    """Checks per address (CERTIFICATE_VERIFY_RATE, in the shared cache): each reads a PDF and
    validates its signature, so one address may not keep the workers busy. The address is the
    peer's, or the one the trusted proxies name (REST_FRAMEWORK's NUM_PROXIES); a header the
    client writes itself would give it a fresh allowance each time."""

    scope = "certificate_check"

    def get_rate(self) -> str:
        return settings.CERTIFICATE_VERIFY_RATE

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = self.get_ident(request) if api_settings.NUM_PROXIES is not None else request.META.get("REMOTE_ADDR")
        return self.cache_format % {"scope": self.scope, "ident": ident}


@require_http_methods(["GET", "HEAD", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate file here: its SHA-256 against every issued version (genuine
    and current, genuine but superseded, or unknown: altered or never issued), and its signature
    with pyHanko. The file is read in memory and kept nowhere. Bad uploads answer 400 (none,
    empty), 413 (too large) or 415 (not a PDF), with the reason on the page."""
    context: dict[str, Any] = {"signing_key": signing.signing_key()}
    if request.method != "POST":
        context["form"] = CertificateCheckForm()
        return render(request, "licensing/verify_upload.html", context)
    rate = CertificateCheckRate()
    if not rate.allow_request(request, None):
        # Refused before the body is read, like a file too large.
        form = CertificateCheckForm(data={}, files={})
        minutes = max(1, ceil((rate.wait() or 60) / 60))
        form.errors["file"] = form.error_class(
            [
                ngettext(
                    "Too many checks from your address. Try again in %(minutes)d minute.",
                    "Too many checks from your address. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes}
            ]
        )
        context["form"] = form
        response = render(request, "licensing/verify_upload.html", context, status=429)
        response["Retry-After"] = str(minutes * 60)
        return response
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > settings.CERTIFICATE_VERIFY_MAX_BYTES + UPLOAD_OVERHEAD:
        # Refused before the body is read: nothing of it is parsed or spooled to disk.
        form = CertificateCheckForm(data={}, files={})
        form.errors["file"] = form.error_class(
            [
                _("The file is larger than %(size)s; a licence certificate is much smaller.")
                % {"size": filesizeformat(settings.CERTIFICATE_VERIFY_MAX_BYTES)}
            ]
        )
        context["form"] = form
        return render(request, "licensing/verify_upload.html", context, status=413)
    form = CertificateCheckForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "licensing/verify_upload.html", context, status=form.status)
    content: bytes = form.cleaned_data["file"]
    context["result"] = selectors.certificate_by_fingerprint(hashlib.sha256(content).hexdigest())
    context["signature"] = signing.check(content)
    context["form"] = CertificateCheckForm()
    return render(request, "licensing/verify_upload.html", context)


@login_required
@require_safe
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The stored certificate, byte for byte as issued (its SHA-256 is the one the API reports):
    the current version, or `?version=N`. For the holder's members and officials."""
    licence = licence_for(request.user, number)
    if "version" in request.GET:
        version = selectors.certificate_version(licence, request.GET["version"])
        filename = f"{licence.number}-v{version.version}.pdf"
    else:
        version = services.certificate_current(actor=request.user, licence=licence)
        filename = f"{licence.number}.pdf"
    with version.file.open("rb") as stored:
        return pdf_response(stored.read(), filename)


# Open data: built ahead (licensing.licences.publication), served as stored ------------------


@require_safe
def licences_geojson(request: HttpRequest) -> HttpResponse:
    """Every licence as a feature: the blocks it holds (or held when it ended) and its register
    facts, under the collection's licence, date and field descriptions."""
    return open_data.stored_response(request, "licences.geojson", "application/geo+json")


@require_safe
def licences_csv(request: HttpRequest) -> HttpResponse:
    return open_data.stored_response(request, "licences.csv", "text/csv; charset=utf-8", "attachment")


@require_safe
def licence_types(request: HttpRequest) -> HttpResponse:
    return render(request, "licensing/licence_types.html", {"types": selectors.licence_types()})
