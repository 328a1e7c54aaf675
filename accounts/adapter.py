"""How django-allauth fits AshyqKen: new accounts take the language they signed up in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils import translation

from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: object, commit: bool = True) -> User:
        language = translation.get_language() or "en"
        user.preferred_language = language if language in {"en", "ru", "kk"} else "en"
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Officials must keep their authenticator app: two-factor sign-in is required of them."""
        from accounts.middleware import is_official

        if authenticator.type == Authenticator.Type.TOTP and is_official(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
