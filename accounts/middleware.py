"""Per-request rules for signed-in people: their language, and two-factor sign-in for officials."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.errors import problem_response
from accounts.models import User
from accounts.roles import is_official

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


def has_two_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_used_second_factor(request: HttpRequest) -> bool:
    """Whether this session's sign-in (or a later confirmation) included a second factor, as
    django-allauth records it in the session for the user signed in now."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def record_second_factor_set_up(
    *, request: HttpRequest | None, user: User, authenticator: object, **kwargs: object
) -> None:
    """Setting up an authenticator app proves, with a code from it, what signing in with it
    would: count it as this session's second factor (allauth records only sign-ins)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is None or getattr(request, "user", None) != user:
        return
    if isinstance(authenticator, Authenticator) and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


# Paths an official may reach before the second factor: setting one up or using it (and
# confirming the password allauth asks for first), signing out, and what pages load.
_OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/readyz",
)


def _refusal(request: HttpRequest, message: str, to: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        # A script gets the reason, not a sign-in page to follow.
        return problem_response(403, _("Two-factor authentication required"), message)
    messages.warning(request, message)
    return HttpResponseRedirect(to)


def officials_need_two_factor(get_response: Handler) -> Handler:
    """Reviewers, approvers, registrars and admins work only in a session signed in with a
    second factor. Decided on every request from the roles the person holds now (a promotion
    counts at once) and from how this session signed in: an official without an
    authenticator app is sent to set one up, one who has it but did not use it in this
    session is asked for a code from it before any page (the admin and the API included)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            # Anonymous requests and sessions signed in with a second factor cost no query.
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not session_used_second_factor(request)
            and is_official(user)
        ):
            if not has_two_factor(user):
                message = _("Officials must use two-factor authentication. Set up an authenticator app to continue.")
                return _refusal(request, message, reverse("mfa_activate_totp"))
            message = _(
                "Officials must sign in with two-factor authentication. "
                "Enter a code from your authenticator app to continue."
            )
            return _refusal(
                request, message, f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
            )
        return get_response(request)

    return middleware
