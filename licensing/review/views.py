"""The reviewer workbench (queue, case, its actions, openings) and the public register of
applications with objections."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import roles
from accounts.errors import TransitionError, messages_of, refusal
from accounts.formatting import format_moment
from accounts.models import User
from accounts.pagination import page_of
from investors import selectors as investor_selectors
from investors.ownership import ownership_profile
from licensing import permissions
from licensing.domain import grid, states
from licensing.domain.rubric import CRITERIA
from licensing.ground import selectors as ground_selectors
from licensing.ground import services as ground_services
from licensing.models import Application, OpeningReason
from licensing.review import information, selectors, services
from licensing.review.forms import (
    AssessForm,
    AssignForm,
    DecideForm,
    EmptyForm,
    InfoForm,
    NoteForm,
    ObjectionAnswerForm,
    ObjectionForm,
    OpenGroundForm,
    QueueFilter,
    RecommendForm,
    RegisterFilter,
    ScreeningForm,
)

View = Callable[..., HttpResponse]


def officials_only(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.works_cases(request.user):
            raise PermissionDenied(_("The workbench is for officials."))
        return view(request, *args, **kwargs)

    return wrapped


QUEUE_PAGE_SIZE = 25


@officials_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The open applications, a page at a time, with how many match the filters and how many
    wait in each queue; the filters stay in the links to the other pages."""
    form = QueueFilter(request.GET or None)
    counts = selectors.workbench_counts(user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "licensing/workbench.html", {"form": form, "rows": [], "counts": counts}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    page = page_of(selectors.workbench_queue(user=request.user, **filters), request.GET.get("page"), QUEUE_PAGE_SIZE)
    context = {"form": form, "page": page, "rows": selectors.queue_rows(page), "counts": counts}
    return render(request, "licensing/workbench.html", context)


def _answer(objection: Any) -> dict[str, Any]:
    return {"objection": objection.pk, "outcome": objection.outcome, "response": objection.response}


def _handle_objection(actor: User, application: Application, data: dict[str, Any]) -> object:
    objection = next((o for o in application.objections.all() if o.pk == data["objection"]), None)
    if objection is None:
        raise ValidationError(_("That objection is not on this application."))
    return services.objection_handle(
        actor=actor, objection=objection, outcome=data["outcome"], response=data["response"]
    )


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
    "objection": (ObjectionAnswerForm, _handle_objection, gettext_lazy("The objection was answered.")),
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
        lambda actor, app, data: information.application_request_info(
            actor=actor,
            application=app,
            message=data["message"],
            due_on=data["due_on"],
            document_wanted=data["document_wanted"],
            document_kind=data["document_kind"],
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


def _case_context(request: HttpRequest, application: Application, **forms_: Any) -> dict[str, Any]:
    user = request.user
    offered = states.workbench_actions(application.state)
    if not permissions.is_reviewer(user):
        offered = [a for a in offered if a == "decide"]
    if not permissions.is_approver(user) or application.recommended_by_id == user.pk:
        offered = [a for a in offered if a != "decide"]
    today = timezone.localdate()
    if application.objection_closes_on and today <= application.objection_closes_on:
        offered = [a for a in offered if a != "close-objections"]  # objections still open
    if not application.screening_required:
        offered = [a for a in offered if a != "refer-screening"]
    profile = ownership_profile(application.organisation)
    return {
        "application": application,
        "clock": selectors.application_clock(application),
        "timeline": selectors.application_timeline(application, internal=True),
        "claims": ground_selectors.claims_of(application),
        "codes": " ".join(grid.code(b) for b in application.blocks),
        "area": grid.total_area_km2(application.blocks),
        "checklist": selectors.completeness(application),
        "profile": profile,
        "owners": list(application.organisation.owners.all()),
        "notes": list(application.notes.select_related("author")),
        "information_requests": list(application.information_requests.select_related("answer_document")),
        "objections": [
            (o, ObjectionAnswerForm(prefix="objection", auto_id=f"objection-{o.pk}-%s", initial=_answer(o)))
            for o in application.objections.select_related("lodged_by", "organisation", "document", "handled_by")
        ],
        "assessment": getattr(application, "assessment", None),
        "licence": selectors.licence_of(application),
        "criteria": CRITERIA,
        "offered": offered,
        "forms": {name: forms_.get(name) or ACTIONS[name][0](prefix=name) for name in offered},
        "note_form": forms_.get("note") or NoteForm(prefix="note"),
        "assign_form": forms_.get("assign") or AssignForm(prefix="assign"),
        "is_registrar": roles.is_registrar(user),
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
        with refusal() as refused:
            call(request.user, application, form.cleaned_data)
        if not refused:
            messages.success(request, str(done))
            return redirect("licensing:case", pk=application.pk)
        status, errors = refused.status, refused.messages
    context = _case_context(request, selectors.case_for(request.user, pk), **{action: form})
    context["errors"] = errors
    return render(request, "licensing/case.html", context, status=status)


@officials_only
@require_http_methods(["GET", "POST"])
def openings(request: HttpRequest) -> HttpResponse:
    """Ground the state opens (registrars), and every opening with its equal-ranking window and auction."""
    form = OpenGroundForm(request.POST or None, prefix="open")
    status, errors = 200, []
    if request.method == "POST":
        if not roles.is_registrar(request.user):
            raise PermissionDenied(_("Only registrars may open ground."))
        if form.is_valid():
            codes = form.cleaned_data["codes"].replace(",", " ").replace(";", " ").split()
            try:
                opening = ground_services.ground_open(
                    actor=request.user,
                    blocks=ground_selectors.parse_blocks(codes),
                    reason=OpeningReason.RELEASED_BY_STATE,
                    region=form.cleaned_data["region"],
                )
            except ValidationError as exc:
                errors = [str(m) for m in exc.messages]
            else:
                messages.success(
                    request,
                    _("The ground opens at %(when)s (Astana time).") % {"when": format_moment(opening.opens_at)},
                )
                return redirect("licensing:workbench-openings")
        status = 400
    return render(
        request,
        "licensing/openings.html",
        {
            "form": form,
            "errors": errors,
            "openings": page_of(ground_selectors.openings_list(), request.GET.get("page"), QUEUE_PAGE_SIZE),
            "is_registrar": roles.is_registrar(request.user),
        },
        status=status,
    )


# The public register -------------------------------------------------------------------


@require_safe
def register_applications(request: HttpRequest) -> HttpResponse:
    form = RegisterFilter(request.GET or None, states=selectors.REGISTER_STATES)
    if form.is_bound and not form.is_valid():
        return render(request, "licensing/register_applications.html", {"form": form, "page": []}, status=400)
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if k != "q"}
    query = form.cleaned_data.get("q", "").strip() if form.is_bound else ""
    page = page_of(selectors.register_applications(query=query, **filters), request.GET.get("page"), 25)
    return render(request, "licensing/register_applications.html", {"page": page, "form": form})


@require_http_methods(["GET", "POST"])
def register_application(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.register_application(reference)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Sign in to lodge an objection."))
        if form.is_valid():
            try:
                services.objection_lodge(
                    actor=request.user,
                    application=application,
                    grounds=form.cleaned_data["grounds"],
                    upload=form.cleaned_data["file"],
                    organisation=investor_selectors.active_organisation(request),
                )
            except (ValidationError, TransitionError) as exc:
                form.add_error(None, messages_of(exc))
            else:
                messages.success(request, _("Your objection was lodged. The reviewer will consider it."))
                return redirect(request.path)
        status = 400
    codes = [grid.code(b) for b in application.blocks]
    return render(
        request,
        "licensing/register_application.html",
        {
            "application": application,
            "codes": codes,
            "form": form,
            "area": grid.total_area_km2(application.blocks),
            "timeline": selectors.application_timeline(application),
        },
        status=status,
    )
