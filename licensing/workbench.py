"""The reviewer workbench: queues, the case page and its actions. Officials only: every view
checks the role before reading any input, and every action is one service of the licensing core."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from deposits.models import Commodity, Region
from investors.ownership import ownership_profile
from licensing import grid, selectors, services, workdays
from licensing.models import Application, ApplicationState, ObjectionOutcome, OpeningReason
from licensing.rubric import CRITERIA

S = ApplicationState
View = Callable[..., HttpResponse]


def officials_only(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.is_official(request.user):
            raise PermissionDenied(_("The workbench is for officials."))
        return view(request, *args, **kwargs)

    return wrapped


class QueueFilter(forms.Form):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), required=False, choices=[("", gettext_lazy("Any open stage"))]
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Assigned"),
        required=False,
        choices=[("", gettext_lazy("Anyone")), ("me", gettext_lazy("Me")), ("none", gettext_lazy("Nobody"))],
    )
    licence_type = forms.ModelChoiceField(
        label=gettext_lazy("Licence type"),
        required=False,
        queryset=selectors.licence_types(),
        empty_label=gettext_lazy("Any licence type"),
    )
    country = forms.CharField(label=gettext_lazy("Investor country (code)"), required=False, max_length=2)
    commodity = forms.ModelChoiceField(
        label=gettext_lazy("Commodity (a deposit of it lies in the blocks)"),
        required=False,
        queryset=Commodity.objects.all(),
        empty_label=gettext_lazy("Any commodity"),
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any open stage"))] + [
            (s, S(s).label) for s in selectors.WORKBENCH_STATES
        ]


@officials_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilter(request.GET or None)
    if request.GET and not form.is_valid():
        counts = selectors.workbench_counts(user=request.user)
        return render(request, "licensing/workbench.html", {"form": form, "rows": [], "counts": counts}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    rows = selectors.workbench_queue(user=request.user, **filters)
    return render(
        request,
        "licensing/workbench.html",
        {"form": form, "rows": rows, "counts": selectors.workbench_counts(user=request.user)},
    )


# The case page and its actions ---------------------------------------------------------


class InfoForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("What is needed"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(
        label=gettext_lazy("Answer due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: 20 working days from today."),
    )


class AssessForm(forms.Form):
    programme_adequate = forms.BooleanField(
        label=gettext_lazy("The work programme is technically adequate"), required=False
    )
    financially_capable = forms.BooleanField(label=gettext_lazy("The applicant is financially capable"), required=False)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScreeningForm(forms.Form):
    cleared = forms.TypedChoiceField(
        label=gettext_lazy("Screening result"),
        choices=[("yes", gettext_lazy("Cleared")), ("no", gettext_lazy("Not cleared"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Recommendation"),
        choices=[("grant", gettext_lazy("Grant")), ("refuse", gettext_lazy("Refuse"))],
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=[("grant", gettext_lazy("Grant")), ("refuse", gettext_lazy("Refuse"))]
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when deciding against the recommendation."),
    )


class ObjectionForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ObjectionOutcome.choices)
    response = forms.CharField(label=gettext_lazy("Response, with reasons"), widget=forms.Textarea(attrs={"rows": 3}))


def _answer(objection: Any) -> dict[str, Any]:
    return {"objection": objection.pk, "outcome": objection.outcome, "response": objection.response}


def _handle_objection(actor: User, application: Application, data: dict[str, Any]) -> object:
    objection = next((o for o in application.objections.all() if o.pk == data["objection"]), None)
    if objection is None:
        raise ValidationError(_("That objection is not on this application."))
    return services.objection_handle(
        actor=actor, objection=objection, outcome=data["outcome"], response=data["response"]
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        required=False,
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.officials()


class EmptyForm(forms.Form):
    pass


def _assign(actor: User, application: Application, data: dict[str, Any]) -> object:
    return services.application_assign(actor=actor, application=application, assignee=data["assignee"])


# action -> (form, service call, success message)
ACTIONS: dict[str, tuple[type[forms.Form], Callable[[User, Application, dict[str, Any]], object], Any]] = {
    "claim": (
        EmptyForm,
        lambda actor, app, data: services.application_assign(actor=actor, application=app, assignee=actor),
        gettext_lazy("The case is yours."),
    ),
    "release": (
        EmptyForm,
        lambda actor, app, data: services.application_assign(actor=actor, application=app, assignee=None),
        gettext_lazy("The case is back in the queue."),
    ),
    "assign": (AssignForm, _assign, gettext_lazy("Assignment changed.")),
    "objection": (ObjectionForm, _handle_objection, gettext_lazy("The objection was answered.")),
    "note": (
        NoteForm,
        lambda actor, app, data: services.note_add(actor=actor, application=app, text=data["text"]),
        gettext_lazy("Note added."),
    ),
    "accept": (
        EmptyForm,
        lambda actor, app, data: services.application_accept(actor=actor, application=app),
        gettext_lazy("Accepted for review."),
    ),
    "request-info": (
        InfoForm,
        lambda actor, app, data: services.application_request_info(
            actor=actor, application=app, message=data["message"], due_on=data["due_on"]
        ),
        gettext_lazy("Information requested; the clock is stopped until the applicant answers."),
    ),
    "publish-notice": (
        EmptyForm,
        lambda actor, app, data: services.application_publish_notice(actor=actor, application=app),
        gettext_lazy("Published; the objection period runs."),
    ),
    "close-objections": (
        EmptyForm,
        lambda actor, app, data: services.application_close_objections(actor=actor, application=app),
        gettext_lazy("Objection period closed; assessment begins."),
    ),
    "assess": (
        AssessForm,
        lambda actor, app, data: services.application_assess(actor=actor, application=app, **data),
        gettext_lazy("Assessment recorded."),
    ),
    "refer-screening": (
        EmptyForm,
        lambda actor, app, data: services.application_refer_screening(actor=actor, application=app),
        gettext_lazy("Referred to screening."),
    ),
    "screening-result": (
        ScreeningForm,
        lambda actor, app, data: services.application_screening_result(actor=actor, application=app, **data),
        gettext_lazy("Screening result recorded."),
    ),
    "recommend": (
        RecommendForm,
        lambda actor, app, data: services.application_recommend(actor=actor, application=app, **data),
        gettext_lazy("Recommendation recorded; an approver decides."),
    ),
    "decide": (
        DecideForm,
        lambda actor, app, data: services.application_decide(actor=actor, application=app, **data),
        gettext_lazy("Decision recorded."),
    ),
}

# Which actions each state offers (the services check again, with the role).
OFFERED = {
    S.LODGED: ["accept", "request-info"],
    S.UNDER_REVIEW: ["publish-notice", "request-info"],
    S.OBJECTION_PERIOD: ["close-objections"],
    S.ASSESSMENT: ["assess", "refer-screening", "recommend", "request-info"],
    S.SCREENING: ["screening-result"],
    S.RECOMMENDED: ["decide"],
}


def _case_context(request: HttpRequest, application: Application, **forms_: Any) -> dict[str, Any]:
    user = request.user
    offered = OFFERED.get(application.state, [])
    if not services.is_reviewer(user):
        offered = [a for a in offered if a == "decide"]
    if not services.is_approver(user) or application.recommended_by_id == user.pk:
        offered = [a for a in offered if a != "decide"]
    today = selectors.today()
    if application.objection_closes_on and today <= application.objection_closes_on:
        offered = [a for a in offered if a != "close-objections"]  # objections still open
    if not application.screening_required:
        offered = [a for a in offered if a != "refer-screening"]
    profile = ownership_profile(application.organisation)
    return {
        "application": application,
        "clock": selectors.application_clock(application),
        "timeline": selectors.application_timeline(application, internal=True),
        "claims": selectors.claims_of(application),
        "codes": " ".join(grid.code(b) for b in application.blocks),
        "area": grid.total_area_km2(application.blocks),
        "checklist": selectors.completeness(application),
        "profile": profile,
        "owners": list(application.organisation.owners.all()),
        "notes": list(application.notes.select_related("author")),
        "objections": [
            (o, ObjectionForm(prefix="objection", auto_id=f"objection-{o.pk}-%s", initial=_answer(o)))
            for o in application.objections.select_related("lodged_by", "document", "handled_by")
        ],
        "assessment": getattr(application, "assessment", None),
        "criteria": CRITERIA,
        "offered": offered,
        "forms": {name: forms_.get(name) or ACTIONS[name][0](prefix=name) for name in offered},
        "note_form": forms_.get("note") or NoteForm(prefix="note"),
        "assign_form": forms_.get("assign") or AssignForm(prefix="assign"),
        "is_registrar": services.is_registrar(user),
        "overdue": application.stage_due_on is not None and application.stage_due_on < today,
    }


@officials_only
@require_safe
def case(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.case_for(request.user, pk)
    return render(request, "licensing/case.html", _case_context(request, application))


@officials_only
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.case_for(request.user, pk)
    if action not in ACTIONS:
        return render(
            request,
            "licensing/case.html",
            {**_case_context(request, application), "errors": [_("Unknown action.")]},
            status=400,
        )
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    status, errors = 400, []
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    else:
        try:
            call(request.user, application, form.cleaned_data)
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        except services.TransitionError as exc:
            status, errors = 409, [str(exc)]
        except PermissionDenied as exc:
            status, errors = 403, [str(exc)]
        else:
            messages.success(request, str(done))
            return redirect("licensing:case", pk=application.pk)
    context = _case_context(request, selectors.case_for(request.user, pk), **{action: form})
    context["errors"] = errors
    return render(request, "licensing/case.html", context, status=status)


# Openings of ground and their auctions -----------------------------------------------------


class OpenGroundForm(forms.Form):
    codes = forms.CharField(
        label=gettext_lazy("Block codes"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy("The ground opens at 09:00 Astana time on a coming working day; the time is published."),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), choices=Region.choices)


@officials_only
@require_http_methods(["GET", "POST"])
def openings(request: HttpRequest) -> HttpResponse:
    """Ground the state opens (registrars), and every opening with its equal-ranking window and auction."""
    form = OpenGroundForm(request.POST or None, prefix="open")
    status, errors = 200, []
    if request.method == "POST":
        if not services.is_registrar(request.user):
            raise PermissionDenied(_("Only registrars may open ground."))
        if form.is_valid():
            codes = form.cleaned_data["codes"].replace(",", " ").replace(";", " ").split()
            try:
                opening = services.ground_open(
                    actor=request.user,
                    blocks=services.parse_blocks(codes),
                    reason=OpeningReason.RELEASED_BY_STATE,
                    region=form.cleaned_data["region"],
                )
            except ValidationError as exc:
                errors = [str(m) for m in exc.messages]
            else:
                messages.success(
                    request,
                    _("The ground opens at %(when)s (Astana time).")
                    % {"when": date_format(workdays.local(opening.opens_at), "DATETIME_FORMAT")},
                )
                return redirect("licensing:workbench-openings")
        status = 400
    return render(
        request,
        "licensing/openings.html",
        {
            "form": form,
            "errors": errors,
            "openings": selectors.openings_list(),
            "is_registrar": services.is_registrar(request.user),
        },
        status=status,
    )
