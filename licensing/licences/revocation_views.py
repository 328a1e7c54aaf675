"""Revocation pages: the holder contests a decided revocation (with a confirmation); officials,
from the licence's ledger on the workbench, recommend a revocation, decide it, decide a contest,
and record force majeure extending a breach's deadline; and the workbench's queue of contests."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import refusal
from accounts.formatting import format_day
from accounts.pagination import page_of
from investors.permissions import manages
from licensing.licences import force_majeure, revocation_selectors, revocations
from licensing.licences.ledger_views import _official_licence
from licensing.licences.selectors import licence_for
from licensing.models import Licence, RevocationState
from licensing.permissions import works_cases

REASONS = {"widget": forms.Textarea(attrs={"rows": 5}), "max_length": 8000}
CONFIRM = gettext_lazy("I confirm: this step cannot be undone.")


class BreachChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(kind)s, licence year %(year)s, remedy by %(date)s") % {
            "kind": obj.get_kind_display(),
            "year": obj.obligation.licence_year,
            "date": format_day(obj.remedy_by),
        }


class RecommendForm(forms.Form):
    breach = BreachChoice(label=gettext_lazy("Breach not remedied by its deadline"), queryset=None)
    reasons = forms.CharField(label=gettext_lazy("Reasons for revoking"), **REASONS)
    confirm = forms.BooleanField(label=CONFIRM)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("revoke", gettext_lazy("Revoke the licence")), ("decline", gettext_lazy("Do not revoke"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for the decision"),
        help_text=gettext_lazy("The holder reads them in the notice."),
        **REASONS,
    )
    confirm = forms.BooleanField(label=CONFIRM)


class ContestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision on the contest"),
        choices=[
            ("uphold", gettext_lazy("Reject the contest: the revocation takes effect now")),
            ("allow", gettext_lazy("Allow the contest: the revocation is cancelled")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons for the decision"), **REASONS)
    confirm = forms.BooleanField(label=CONFIRM)


class ForceMajeureForm(forms.Form):
    breach = BreachChoice(label=gettext_lazy("Breach"), queryset=None)
    remedy_by = forms.DateField(
        label=gettext_lazy("New remedy date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reasons = forms.CharField(label=gettext_lazy("The force majeure, and why it stops the remedy"), **REASONS)
    document = forms.FileField(label=gettext_lazy("Document that shows it (PDF)"))


class ContestForm(forms.Form):
    reasons = forms.CharField(label=gettext_lazy("Grounds of your contest"), **REASONS)
    documents = forms.FileField(label=gettext_lazy("Supporting document (PDF, optional)"), required=False)
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that this contest is true and complete. Once sent it cannot be changed.")
    )


def _act(
    request: HttpRequest,
    licence: Licence,
    form: forms.Form,
    run: Callable[[dict[str, Any]], object],
    done: str,
    back: str,
    page: dict[str, Any],
) -> HttpResponse:
    """Validate, call the service, then back to the licence; otherwise the page with its errors."""
    status, errors = (400 if form.errors else 200), []
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            run(form.cleaned_data)
        if not refused:
            messages.success(request, done)
            return redirect(back, number=licence.number)
        errors, status = refused.messages, refused.status
    context = {"licence": licence, "form": form, "errors": errors, "back": back, **page}
    return render(request, "licensing/revocation_action.html", context, status=status)


def _open(licence: Licence, state: str) -> Any:
    revocation = revocation_selectors.open_revocation(licence)
    if revocation is None or revocation.state != state:
        raise Http404(_("This licence has no revocation at that stage."))
    return revocation


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest, number: str) -> HttpResponse:
    licence = _official_licence(request, number)
    form = RecommendForm(request.POST or None)
    form.fields["breach"].queryset = revocation_selectors.revocable_breaches(licence, timezone.localdate())
    page = {"heading": _("Recommend revoking licence %(number)s") % {"number": licence.number}}
    page["intro"] = _("An approver decides. The holder is told once the revocation is decided.")

    def run(data: dict[str, Any]) -> object:
        return revocations.revocation_recommend(
            actor=request.user, breach=data["breach"], reasons=data["reasons"], confirmed=data["confirm"]
        )

    return _act(request, licence, form, run, _("Revocation recommended."), "licensing:workbench-licence", page)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, number: str) -> HttpResponse:
    licence = _official_licence(request, number)
    revocation = _open(licence, RevocationState.RECOMMENDED)
    form = DecideForm(request.POST or None)
    page = {"heading": _("Decide the revocation of licence %(number)s") % {"number": licence.number}}
    page.update(revocation=revocation, intro=_("A decision to revoke is the notice to the holder, who may contest it."))

    def run(data: dict[str, Any]) -> object:
        revoke = data["decision"] == "revoke"
        return revocations.revocation_decide(
            actor=request.user, revocation=revocation, revoke=revoke, reasons=data["reasons"]
        )

    return _act(request, licence, form, run, _("Decision recorded."), "licensing:workbench-licence", page)


@login_required
@require_http_methods(["GET", "POST"])
def contest_decide(request: HttpRequest, number: str) -> HttpResponse:
    licence = _official_licence(request, number)
    revocation = _open(licence, RevocationState.CONTESTED)
    form = ContestDecisionForm(request.POST or None)
    page = {"heading": _("Decide the contest of the revocation of %(number)s") % {"number": licence.number}}
    page.update(revocation=revocation, intro=_("Read the holder's grounds and documents below."))

    def run(data: dict[str, Any]) -> object:
        uphold = data["decision"] == "uphold"
        return revocations.revocation_contest_decide(
            actor=request.user, revocation=revocation, uphold=uphold, reasons=data["reasons"]
        )

    return _act(request, licence, form, run, _("Decision recorded."), "licensing:workbench-licence", page)


@login_required
@require_http_methods(["GET", "POST"])
def force_majeure_record(request: HttpRequest, number: str) -> HttpResponse:
    licence = _official_licence(request, number)
    form = ForceMajeureForm(request.POST or None, request.FILES or None)
    form.fields["breach"].queryset = revocation_selectors.extendable_breaches(licence)
    page = {"heading": _("Record force majeure on a breach of %(number)s") % {"number": licence.number}}
    page.update(intro=_("The breach's remedy deadline moves to the new date; the holder is told."), upload=True)

    def run(data: dict[str, Any]) -> object:
        return force_majeure.force_majeure_record(
            actor=request.user,
            breach=data["breach"],
            reasons=data["reasons"],
            remedy_by=data["remedy_by"],
            document=data["document"],
        )

    return _act(request, licence, form, run, _("Deadline extended."), "licensing:workbench-licence", page)


@login_required
@require_http_methods(["GET", "POST"])
def holder_contest(request: HttpRequest, number: str) -> HttpResponse:
    """The holder's owners and managers contest a decided revocation within its period."""
    licence = licence_for(request.user, number)
    if not manages(request.user, licence.holder_id):
        raise Http404(_("Only the holder's owners and managers may contest a revocation."))
    revocation = _open(licence, RevocationState.NOTIFIED)
    form = ContestForm(request.POST or None, request.FILES or None)
    page = {"heading": _("Contest the revocation of licence %(number)s") % {"number": licence.number}}
    page.update(revocation=revocation, upload=True, holder=True)
    page["intro"] = _("You may contest until %(date)s. While your contest is decided the licence stays in force.") % {
        "date": format_day(revocation.contest_by)
    }

    def run(data: dict[str, Any]) -> object:
        uploads = [data["documents"]] if data.get("documents") else []
        return revocations.revocation_contest(
            actor=request.user,
            revocation=revocation,
            reasons=data["reasons"],
            confirmed=data["confirm"],
            uploads=uploads,
        )

    return _act(request, licence, form, run, _("Your contest is sent."), "licensing:holder-licence", page)


@login_required
@require_safe
def contests(request: HttpRequest) -> HttpResponse:
    """The workbench's queue of contested revocations to decide."""
    if not works_cases(request.user):
        raise Http404(_("No such page."))
    page = page_of(revocation_selectors.contests_to_decide(), request.GET.get("page"), 25)
    return render(request, "licensing/workbench_contests.html", {"page": page})
