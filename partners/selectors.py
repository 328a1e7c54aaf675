"""Reads on partner clients: which client (if any) a request or an account stands for."""

from typing import Any

from accounts.models import User
from partners.models import SERVICE_EMAIL_DOMAIN, PartnerClient


def client_of_request(request: Any) -> PartnerClient | None:
    """The partner client whose token authenticated this API request; None for people."""
    client = getattr(getattr(request, "auth", None), "application", None)
    return client if isinstance(client, PartnerClient) else None


def request_has_scope(request: Any, scope: str) -> bool:
    """Whether the request's token (and its client, still) holds `scope`."""
    client = client_of_request(request)
    return client is not None and client.has_scope(scope) and request.auth.allow_scopes([scope])


def client_of_user(user: User) -> PartnerClient | None:
    """The active partner client whose own account `user` is (the actor of its calls)."""
    if not user.is_authenticated or not user.email.endswith("@" + SERVICE_EMAIL_DOMAIN):
        return None  # people: no query
    return PartnerClient.objects.filter(user=user, revoked_at__isnull=True).first()


def user_has_scope(user: User, scope: str) -> bool:
    client = client_of_user(user)
    return client is not None and client.has_scope(scope)
