"""The pages of changes of title: the holder lodges (per kind, confirmed), follows and withdraws
its changes under its licence; officials work them on the workbench (recommend, then another
decides)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import refusal
from accounts.pagination import page_of
from investors.permissions import manages
from licensing.licences.selectors import licence_for
from licensing.models import TitleChange, TitleChangeKind, TitleChangeState
from licensing.permissions import may_decide_title_change, may_recommend_title_change, works_cases
from licensing.titles import selectors, services
from licensing.titles.extension import longest_extension
from licensing.titles.forms import LODGE_FORMS, DecisionForm, WithdrawForm
from licensing.titles.planner import relinquishment_planner

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def holder_change_new(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """The lodgement form of one kind of change of the licence, with its confirmation."""
    licence = licence_for(request.user, number)
    if kind not in LODGE_FORMS:
        raise Http404(_("This kind of change of title cannot be lodged here."))
    if kind == TitleChangeKind.RELINQUISHMENT:
        return relinquishment_planner(request, licence)
    initial = {"extension_years": longest_extension(licence)} if kind == TitleChangeKind.EXTENSION else {}
    form = LODGE_FORMS[kind](request.POST or None, request.FILES or None, initial=initial)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            with refusal() as refused:
                change = services.title_change_lodge(
                    actor=request.user,
                    licence=licence,
                    kind=kind,
                    statement=form.cleaned_data["statement"],
                    documents=form.uploads(),
                    **form.kind_fields(),
                )
            if not refused:
                messages.success(request, _("Lodged as %(number)s.") % {"number": change.number})
                return redirect("licensing:holder-title-change", number=licence.number, change=change.number)
            errors, status = refused.messages, refused.status
        else:
            status = 400
    context = {"licence": licence, "kind": TitleChangeKind(kind), "form": form, "errors": errors}
    return render(request, "licensing/titles/lodge.html", context, status=status)


@login_required
@require_safe
def holder_change(request: HttpRequest, number: str, change: str) -> HttpResponse:
    licence = licence_for(request.user, number)
    title_change = selectors.title_change_for(request.user, change, licence=licence)
    context = {
        "licence": licence,
        "change": title_change,
        "timeline": selectors.title_change_timeline(title_change),
        "may_withdraw": title_change.is_open and manages(request.user, title_change.holder_id),
    }
    return render(request, "licensing/titles/change.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def holder_change_withdraw(request: HttpRequest, number: str, change: str) -> HttpResponse:
    """Confirm, then withdraw an open change."""
    licence = licence_for(request.user, number)
    title_change = selectors.title_change_for(request.user, change, licence=licence)
    form = WithdrawForm(request.POST or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            with refusal() as refused:
                services.title_change_withdraw(actor=request.user, change=title_change)
            if not refused:
                messages.success(request, _("The change of title is withdrawn."))
                return redirect("licensing:holder-title-change", number=licence.number, change=title_change.number)
            errors, status = refused.messages, refused.status
        else:
            status = 400
    context = {"licence": licence, "change": title_change, "form": form, "errors": errors}
    return render(request, "licensing/titles/withdraw.html", context, status=status)


def officials_only(request: HttpRequest) -> None:
    if not works_cases(request.user):
        raise PermissionDenied(_("The workbench is for officials."))


@login_required
@require_safe
def workbench_changes(request: HttpRequest) -> HttpResponse:
    """The officials' queue of changes of title, the earliest decision date first."""
    officials_only(request)
    everything = request.GET.get("all") == "on"
    changes = selectors.title_change_queue(open_only=not everything)
    page = page_of(changes, request.GET.get("page"), PAGE_SIZE)
    return render(request, "licensing/titles/workbench.html", {"page": page, "everything": everything})


def _step(request: HttpRequest, change: TitleChange) -> str:
    """What this official may do now: recommend, decide, or nothing."""
    if change.state == TitleChangeState.UNDER_REVIEW and may_recommend_title_change(request.user):
        return "recommend"
    if (
        change.state == TitleChangeState.RECOMMENDED
        and may_decide_title_change(request.user)
        and change.recommended_by_id != request.user.pk
    ):
        return "decide"
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def workbench_change(request: HttpRequest, change: str) -> HttpResponse:
    """A change of title as a case: its facts, documents, timeline, and the recommendation or decision."""
    officials_only(request)
    title_change = selectors.title_change_for(request.user, change)
    step = _step(request, title_change)
    form = DecisionForm(request.POST or None)
    errors, status = [], 200
    if request.method == "POST":
        if not step:
            raise PermissionDenied(_("There is nothing for you to do on this change of title now."))
        if form.is_valid():
            service = services.title_change_recommend if step == "recommend" else services.title_change_decide
            with refusal() as refused:
                service(
                    actor=request.user, change=title_change, approve=form.approve, reasons=form.cleaned_data["reasons"]
                )
            if not refused:
                messages.success(request, _("Recorded."))
                return redirect("licensing:workbench-title-change", change=title_change.number)
            errors, status = refused.messages, refused.status
        else:
            status = 400
    context: dict[str, Any] = {
        "change": title_change,
        "licence": title_change.licence,
        "timeline": selectors.title_change_timeline(title_change),
        "step": step,
        "form": form,
        "errors": errors,
    }
    return render(request, "licensing/titles/case.html", context, status=status)
