from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events import catalogue, routing, selectors, services
from events.models import Channel


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "events/inbox.html", {"page": page})


@login_required
@require_safe
def bell(request: HttpRequest) -> HttpResponse:
    """The unread count in the header; htmx refreshes it."""
    return render(request, "events/_bell.html", {"unread": selectors.notification_unread_count(user=request.user)})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = request.POST.getlist("notification")
    try:
        parsed = [int(i) for i in ids] if ids else None
    except ValueError:
        return HttpResponseBadRequest(_("Unknown notification."))
    services.notification_mark_read(actor=request.user, notification_ids=parsed)
    return redirect("events:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        choices = {
            (kind, channel): f"{kind}:{channel.value}" in request.POST
            for kind in routing.kinds()
            for channel in (Channel.IN_APP, Channel.EMAIL)
        }
        services.notification_preferences_save(actor=request.user, choices=choices)
        return redirect("events:preferences")
    return render(request, "events/preferences.html", {"rows": selectors.notification_settings_for(user=request.user)})


@require_safe
def event_catalogue(request: HttpRequest) -> HttpResponse:
    """For developers of partner systems: every event type, who may learn of it, and what a
    webhook carries."""
    context = {"types": catalogue.types(), "schema": catalogue.SCHEMA, "audiences": catalogue.Audience}
    return render(request, "events/developers.html", context)
