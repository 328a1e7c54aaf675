"""Operations for partner systems only: the webhook subscriptions and the event feed answer
partner tokens, and refuse people (signed in or not) with 403, whatever their role: a person
manages webhook endpoints in the admin, and reads events on the pages."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from partners.models import PartnerClient


class PartnerTokenRequired(BasePermission):
    message = _("Only partner systems may use this operation, with a token of their client (OAuth2).")

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        return isinstance(token, AccessToken) and isinstance(token.application, PartnerClient)
