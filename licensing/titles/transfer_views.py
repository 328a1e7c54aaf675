"""The pages of a transfer's own steps: the transferee's owners and managers see the transfers
offered to them and accept or decline (confirmed); an official records the waiver of the state's
pre-emptive right (confirmed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import refusal
from investors.permissions import manages
from licensing.models import TitleChangeState
from licensing.titles import selectors, services
from licensing.titles.forms import AnswerForm, WaiverForm
from licensing.titles.views import officials_only

ANSWERS = {"accept": services.title_change_accept, "decline": services.title_change_decline}


@login_required
@require_safe
def incoming_transfer(request: HttpRequest, change: str) -> HttpResponse:
    """A transfer offered to the user's organisation: its facts, and Accept / Decline while it waits."""
    title_change = selectors.incoming_transfer_for(request.user, change)
    context = {
        "change": title_change,
        "licence": title_change.licence,
        "timeline": selectors.title_change_timeline(title_change),
        "may_answer": title_change.state == TitleChangeState.AWAITING_ACCEPTANCE
        and manages(request.user, title_change.transferee_id),
    }
    return render(request, "licensing/titles/incoming.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def incoming_transfer_answer(request: HttpRequest, change: str, answer: str) -> HttpResponse:
    """Confirm, then accept or decline the transfer for the transferee."""
    if answer not in ANSWERS:
        raise Http404(_("No such answer."))
    title_change = selectors.incoming_transfer_for(request.user, change)
    form = AnswerForm(request.POST or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            with refusal() as refused:
                ANSWERS[answer](actor=request.user, change=title_change)
            if not refused:
                done = _("Accepted: the officials review the transfer now.") if answer == "accept" else _("Declined.")
                messages.success(request, done)
                return redirect("licensing:incoming-transfer", change=title_change.number)
            errors, status = refused.messages, refused.status
        else:
            status = 400
    context = {"change": title_change, "answer": answer, "form": form, "errors": errors}
    return render(request, "licensing/titles/answer.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def workbench_preemptive_waiver(request: HttpRequest, change: str) -> HttpResponse:
    """Record the competent body's waiver of the state's pre-emptive right, confirmed."""
    officials_only(request)
    title_change = selectors.title_change_for(request.user, change)
    form = WaiverForm(request.POST or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            with refusal() as refused:
                services.title_change_record_preemptive_waiver(
                    actor=request.user, change=title_change, waiver=form.cleaned_data["waiver"]
                )
            if not refused:
                messages.success(request, _("Recorded."))
                return redirect("licensing:workbench-title-change", change=title_change.number)
            errors, status = refused.messages, refused.status
        else:
            status = 400
    context = {"change": title_change, "form": form, "errors": errors}
    return render(request, "licensing/titles/waiver.html", context, status=status)
