"""The partner guide: how a partner system gets a client, a token, calls the API and checks
a webhook's signature."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from partners.scopes import SCOPES


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    context = {
        "scopes": SCOPES.items(),
        "site": request.build_absolute_uri("/").rstrip("/"),
        "token_seconds": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"],
        "token_minutes": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] // 60,
        "grace_hours": int(settings.PARTNERS_SECRET_GRACE_HOURS),
        "idempotency_hours": settings.PARTNERS_IDEMPOTENCY_HOURS,
    }
    return render(request, "partners/guide.html", context)
