"""Per-request rules for signed-in people: their language, and two-factor sign-in for officials."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OFFICIAL_ROLES

Handler = Callable[[HttpRequest], HttpResponse]


def preferred_language(get_response: Handler) -> Handler:
    """A signed-in person reads pages in their preferred language unless they chose another
    with the language switcher (which sets the cookie) in this browser."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            request.LANGUAGE_CODE = user.preferred_language
            # Only for this request: the thread serves others next (and runs tests after).
            with translation.override(user.preferred_language):
                return get_response(request)
        return get_response(request)

    return middleware


def is_official(user: User) -> bool:
    return user.is_staff or user.is_superuser or user.groups.filter(name__in=[r.value for r in OFFICIAL_ROLES]).exists()


def has_two_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Paths an official without an authenticator may still reach: setting one up, signing out,
# and what the pages themselves load.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz", "/readyz")


def officials_need_two_factor(get_response: Handler) -> Handler:
    """Reviewers, approvers, registrars and admins must sign in with a second factor: until
    they have set up an authenticator app, every page (the admin included) sends them to
    the set-up page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.session.get("two_factor_checked")
        ):
            if is_official(user) and not has_two_factor(user):
                messages.warning(
                    request,
                    _("Officials must use two-factor authentication. Set up an authenticator app to continue."),
                )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            request.session["two_factor_checked"] = True
        return get_response(request)

    return middleware
