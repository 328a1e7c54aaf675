"""How django-allauth fits AshyqKen: new accounts take the language they signed up in."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from accounts.models import User

SERVICE_NAME = "AshyqKen"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Reviewers and approvers start at their workbench, registrars at their verification
        queue; everyone else at the dashboard (or where they were going)."""
        from accounts.roles import Role

        user = request.user
        wanted = super().get_login_redirect_url(request)
        going_home = wanted == resolve_url(settings.LOGIN_REDIRECT_URL)
        if going_home and (user.has_role(Role.REVIEWER) or user.has_role(Role.APPROVER)):
            return reverse("licensing:workbench")
        if going_home and user.has_role(Role.REGISTRAR):
            return reverse("investors:registrar-queue")
        return wanted

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails greet from "the site": name the service, not the host it runs on."""
        host = settings.SITE_URL.split("://", 1)[-1].rstrip("/")
        context = {**context, "current_site": SimpleNamespace(name=SERVICE_NAME, domain=host)}
        super().send_mail(template_prefix, email, context)

    def save_user(self, request: HttpRequest, user: User, form: object, commit: bool = True) -> User:
        language = translation.get_language() or "en"
        user.preferred_language = language if language in {"en", "ru", "kk"} else "en"
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Officials must keep their authenticator app: two-factor sign-in is required of them."""
        from accounts.roles import is_official

        if authenticator.type == Authenticator.Type.TOTP and is_official(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
