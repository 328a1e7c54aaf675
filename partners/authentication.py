"""Partner tokens on the API: a bearer token from /o/token/ (client credentials).

A token reaches only the operations that say which scope they need (`partner_scopes` on the
view: DRF action name, or HTTP method in lower case, to a scope or a tuple of scopes any of
which will do), and only with that scope: any other operation answers 403, whatever its other
permissions would allow. The request then acts
as the client's own account (`PartnerClient.user`), which events record as the actor. A bearer
token that is unknown, expired or revoked answers 401, never anonymous access."""

from typing import Any

from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_backends import get_oauthlib_core
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.models import User

PartnerScopes = dict[str, str | tuple[str, ...]]


def operation_scopes(view: Any, method: str, action: str | None = None) -> tuple[str, ...]:
    """The scopes (any one will do) an operation needs from a token; empty when tokens may not
    call it. `action` is the ViewSet's action (from the router's map when not yet set)."""
    scopes: PartnerScopes = getattr(view, "partner_scopes", None) or {}
    if action is None:
        action = getattr(view, "action", None) or (getattr(view, "action_map", None) or {}).get(method.lower())
    needed = scopes.get(action or "") or scopes.get(method.lower()) or ()
    return (needed,) if isinstance(needed, str) else tuple(needed)


def bearer_token_given(request: Request) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header[:7].lower() == "bearer "


class PartnerTokenAuthentication(OAuth2Authentication):
    www_authenticate_realm = "ashyqken"

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        if not bearer_token_given(request):
            return None
        # The token is checked on Django's request, not DRF's: oauthlib reads the body's form
        # fields, and DRF would parse the body first (a body the view does not take would answer
        # 415 before the token, and its scope, were ever checked).
        valid, checked = get_oauthlib_core().verify_request(request._request, scopes=[])
        if not valid:
            error = getattr(checked, "oauth2_error", {}) or {}
            raise exceptions.AuthenticationFailed(
                error.get("error_description") or _("The access token is unknown, expired or revoked.")
            )
        token = checked.access_token
        client = token.application
        if client is None or client.user is None:
            raise exceptions.AuthenticationFailed(_("The access token belongs to no partner client."))
        view = request.parser_context.get("view") if request.parser_context else None
        needed = operation_scopes(view, request.method)
        if not needed:
            raise exceptions.PermissionDenied(_("Partner clients may not use this operation."))
        if not any(token.allow_scopes([scope]) and client.has_scope(scope) for scope in needed):
            raise exceptions.PermissionDenied(
                _("This operation needs the scope %(scope)s, which this token does not have.")
                % {"scope": _(" or ").join(needed)}
            )
        return client.user, token

    def authenticate_header(self, request: Request) -> str | None:
        """401 with a Bearer challenge for a caller that sent a token; a caller that sent none
        is answered as before partners came (403 from the session's rules)."""
        return super().authenticate_header(request) if bearer_token_given(request) else None
