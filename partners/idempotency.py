"""`Idempotency-Key` on every POST to the API (the IETF httpapi draft "The Idempotency-Key HTTP
Header Field"): a retried request does nothing twice.

The first POST with a key claims it (a row committed before the view runs, unique per caller
and key); a second one with the same key while the first runs answers 409 with Retry-After;
once the first has answered, a retry gets the same status and body, marked
`Idempotent-Replayed: true`, and the view does not run again. The same key with a different
request (method, path, query or body) answers 422. Answers that a retry should not repeat
(5xx, 401, 403, 429) release the key. Records are kept for PARTNERS_IDEMPOTENCY_HOURS.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import problem_response
from partners.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY = 255
# Printable ASCII, not starting or ending with a space (headers are Latin-1; keys are opaque).
KEY_PATTERN = r"^[!-~]([ -~]{0,253}[!-~])?$"
MAX_STORED_BODY = 1024 * 1024
NOT_KEPT = {401, 403, 429}


def _principal(request: HttpRequest) -> str | None:
    """Who is calling, before DRF has authenticated: the partner client of a bearer token, or
    the signed-in person. None: nobody we can tell apart (the view refuses them anyway)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        from oauth2_provider.models import AccessToken

        checksum = hashlib.sha256(header[7:].strip().encode()).hexdigest()
        application_id = (
            AccessToken.objects.filter(token_checksum=checksum).values_list("application_id", flat=True).first()
        )
        return f"client:{application_id}" if application_id else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        # An upload is not read into memory here: its size and type stand for it.
        digest.update(f"{content_type} {request.META.get('CONTENT_LENGTH', '')}".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent_posts(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return get_response(request)
        if not re.fullmatch(KEY_PATTERN, key):
            return problem_response(
                400,
                None,
                _("The Idempotency-Key must be 1 to %(max)s printable ASCII characters, without spaces at either end.")
                % {"max": MAX_KEY},
            )
        principal = _principal(request)
        if principal is None:
            return get_response(request)
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(principal=principal, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return _answer_repeat(principal, key, fingerprint)
        response = get_response(request)
        _keep(record, response)
        return response

    return middleware


def _answer_repeat(principal: str, key: str, fingerprint: str) -> HttpResponse:
    record = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if record is None:  # released meanwhile: the caller may simply send it again
        response = problem_response(409, None, _("A request with this Idempotency-Key just failed; retry it."))
        response["Retry-After"] = "1"
        return response
    if record.fingerprint != fingerprint:
        return problem_response(
            422,
            None,
            _("This Idempotency-Key was used for a different request; use a new key for a new request."),
        )
    if record.completed_at is None:
        response = problem_response(
            409, None, _("A request with this Idempotency-Key is still being processed; retry later.")
        )
        response["Retry-After"] = "1"
        return response
    return _replay(record)


def _keep(record: IdempotencyRecord, response: HttpResponse) -> None:
    body = b"" if response.streaming else response.content
    if response.status_code >= 500 or response.status_code in NOT_KEPT or len(body) > MAX_STORED_BODY:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        completed_at=timezone.now(),
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=body,
        location=response.get("Location", "")[:500],
    )


def idempotency_records_purge() -> int:
    """Forget keys older than PARTNERS_IDEMPOTENCY_HOURS (a beat task calls it)."""
    cutoff = timezone.now() - timedelta(hours=settings.PARTNERS_IDEMPOTENCY_HOURS)
    deleted, _kinds = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
