from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.services import user_profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own details: name and the language of pages and notifications."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(actor=request.user, **form.cleaned_data)
        translation.activate(request.user.preferred_language)
        messages.success(request, _("Your details are saved."))
        response = redirect("accounts:profile")
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)  # the saved preference now decides
        return response
    return render(request, "accounts/profile.html", {"form": form})
