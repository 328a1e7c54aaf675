"""The investor's applications (draft, lodge, answer, withdraw, bid), their timeline and the refusal letter."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import DOMAIN_ERRORS, messages_of, refusal, status_of
from investors.selectors import active_organisation
from licensing.domain import boundaries, grid
from licensing.drafting import selectors, services
from licensing.drafting.forms import (
    AnswerForm,
    ApplicationStartForm,
    BidForm,
    BlocksForm,
    DetailsForm,
    DocumentForm,
    ProgrammeFormSet,
    ReasonForm,
)
from licensing.ground import selectors as ground_selectors
from licensing.ground import services as ground_services
from licensing.licences import letters
from licensing.licences import selectors as licences_selectors
from licensing.models import Application, ApplicationState, AuctionStatus
from licensing.permissions import may_edit
from licensing.review import information
from licensing.review import selectors as review_selectors

PAGE_SIZE = 25  # the investor's applications, a page at a time


@login_required
@require_safe
def refusal_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return letters.refusal_letter_download(review_selectors.application_for(request.user, pk))


def _require_editor(request: HttpRequest, application: Application) -> None:
    """Refuse (403) before reading any input; the services check again."""
    if not may_edit(request.user, application):
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))


def _back(application: Application, anchor: str = "") -> HttpResponse:
    return redirect(application.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# The investor's applications ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_list(request: HttpRequest) -> HttpResponse:
    organisation = active_organisation(request)
    if request.method == "POST" and organisation is None:
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))
    # Bound on any POST, an empty one too: that answers 400 with what is missing.
    form = ApplicationStartForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            application = services.application_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Draft started. Choose the blocks next."))
            return _back(application, "blocks")
        errors = refused.messages
    applications = review_selectors.applications_of(organisation.pk) if organisation else []
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/application_list.html",
        {"organisation": organisation, "page": page, "form": form, "errors": errors},
        status=refused.status if errors else 400 if form.errors else 200,
    )


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    return render(request, "licensing/application_detail.html", _detail_context(request, application))


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    can_edit = may_edit(request.user, application)
    context: dict[str, Any] = {
        "application": application,
        "can_edit": can_edit,
        "is_draft": application.state == ApplicationState.DRAFT,
        "codes": " ".join(grid.code(b) for b in application.blocks),
        "area": grid.total_area_km2(application.blocks),
        "timeline": review_selectors.application_timeline(application),
        "clock": review_selectors.application_clock(application),
        "open_request": next((r for r in application.information_requests.all() if r.answered_at is None), None),
        **extra,
    }
    if application.state == ApplicationState.DRAFT:
        try:  # the obligations once, for the checks and the table
            duty = licences_selectors.obligations(licence_type=application.licence_type, blocks=application.blocks)
        except ValidationError:
            duty = None
        problems, check = selectors.application_problems(application, duty=duty)
        context.update(problems=problems, check=check, duty=duty)
        context["conditional"] = [(grid.code(b), refs) for b, refs in sorted(check.conditional.items())]
        context["programme_problems"] = selectors.programme_problems(application, duty=duty)
        planned = {row.year: row for row in application.programme.all()}
        context.setdefault(
            "programme",
            ProgrammeFormSet(
                initial=[
                    {
                        "year": y,
                        "activities": planned[y].activities if y in planned else "",
                        "expenditure_kzt": planned[y].expenditure_kzt if y in planned else None,
                    }
                    for y in range(1, application.licence_type.term_years + 1)
                ],
                prefix="programme",
            ),
        )
        context.setdefault("blocks_form", BlocksForm(initial={"codes": context["codes"]}))
        context.setdefault("details_form", DetailsForm(instance=application))
        context.setdefault("document_form", DocumentForm(licence_type=application.licence_type))
    else:
        context["claims"] = ground_selectors.claims_of(application)
        statuses = {row["claim"].block: {"status": row["claim"].status} for row in context["claims"]}
        context["blocks_geojson"] = grid.feature_collection(application.blocks, statuses)
        context["answer_form"] = extra.get("answer_form") or AnswerForm()
        context["bid"] = application.bids.select_related("auction").filter(auction__status=AuctionStatus.OPEN).first()
    return context


def _refused(
    request: HttpRequest, application: Application, errors: list[str], status: int = 400, **forms: Any
) -> HttpResponse:
    context = _detail_context(request, application, errors=errors, **forms)
    return render(request, "licensing/application_detail.html", context, status=status)


def _carry_out(
    request: HttpRequest, application: Application, call: Callable[[], object], done: str | None, anchor: str = ""
) -> HttpResponse:
    """Run one service call for the page: a refusal shows the page again with its reasons and
    the status the API answers it with; otherwise say what was done (if anything needs saying)
    and go back to the section."""
    with refusal() as refused:
        call()
    if refused:
        return _refused(request, application, refused.messages, refused.status)
    if done:
        messages.success(request, done)
    return _back(application, anchor)


@login_required
@require_POST
def application_blocks(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = BlocksForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, application, [], blocks_form=form)
    upload = form.cleaned_data.get("boundary")
    try:
        blocks: list[Any] = (
            boundaries.blocks_from_boundary(upload, upload.name) if upload is not None else form.block_codes()
        )
        application = services.application_update(actor=request.user, application=application, blocks=blocks)
    except boundaries.BoundaryError as exc:
        form.add_error("boundary", str(exc))
        return _refused(request, application, [], blocks_form=form)
    except ValidationError as exc:
        form.add_error("boundary" if upload is not None else "codes", messages_of(exc))
        return _refused(request, application, [], blocks_form=form)  # what was typed stays in the field
    except DOMAIN_ERRORS as exc:
        return _refused(request, application, messages_of(exc), status_of(exc))
    problems = selectors.block_problems(application)
    if problems:
        messages.warning(
            request,
            ngettext(
                "Blocks saved, but %(count)d problem with them must be fixed before you can lodge: %(problems)s",
                "Blocks saved, but %(count)d problems with them must be fixed before you can lodge: %(problems)s",
                len(problems),
            )
            % {"count": len(problems), "problems": " ".join(problems)},
        )
    else:
        messages.success(request, _("Blocks saved."))
    return _back(application, "blocks")


@login_required
@require_POST
def application_details(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = DetailsForm(request.POST, instance=Application.objects.get(pk=application.pk))
    if not form.is_valid():
        return _refused(request, application, [], details_form=form)
    fields = {f: form.cleaned_data[f] for f in DetailsForm.Meta.fields}
    return _carry_out(
        request,
        application,
        lambda: services.application_update(actor=request.user, application=application, **fields),
        _("Details and commitments saved."),
        "details",
    )


@login_required
@require_POST
def application_programme(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    formset = ProgrammeFormSet(request.POST, prefix="programme")
    if not formset.is_valid():
        return _refused(request, application, [], programme=formset)
    with refusal() as refused:
        services.application_programme_set(
            actor=request.user, application=application, years=[f.cleaned_data for f in formset if f.cleaned_data]
        )
    if refused:
        return _refused(request, application, refused.messages, refused.status)
    messages.success(request, _("Work programme saved."))
    for problem in selectors.programme_problems(Application.objects.get(pk=application.pk), missing=False):
        messages.warning(request, problem)
    return _back(application, "programme")


@login_required
@require_POST
def application_document(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = DocumentForm(request.POST, request.FILES, licence_type=application.licence_type)
    if not form.is_valid():
        return _refused(request, application, [], document_form=form)
    return _carry_out(
        request,
        application,
        lambda: services.application_document_add(
            actor=request.user,
            application=application,
            requirement=form.cleaned_data["requirement"],
            upload=form.cleaned_data["file"],
        ),
        _("Document uploaded; it is being checked."),
        "documents",
    )


@login_required
@require_POST
def application_document_remove(request: HttpRequest, pk: int, attached_id: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    attached = next((d for d in application.documents.all() if d.pk == attached_id), None)
    if attached is None:
        return _refused(request, application, [_("That document is not part of this application.")])
    return _carry_out(
        request,
        application,
        lambda: services.application_document_remove(actor=request.user, attached=attached),
        _("Document removed."),
        "documents",
    )


@login_required
@require_POST
def application_declare(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    if request.POST.get("confirm") != "yes":
        return _refused(request, application, [_("Tick the declaration to make it.")])
    return _carry_out(
        request,
        application,
        lambda: services.application_declare(actor=request.user, application=application),
        None,
        "declaration",
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what lodging will do (conditional blocks, obligations); POST: lodge."""
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    if application.state != ApplicationState.DRAFT:
        messages.info(request, _("This application was already lodged, as %(ref)s.") % {"ref": application.reference})
        return _back(application)
    if request.method == "POST":
        with refusal() as refused:
            application = services.application_lodge(actor=request.user, application=application)
        if refused:
            return _refused(request, application, refused.messages, refused.status)
        messages.success(
            request,
            _("Lodged as %(ref)s, priority number %(number)s.")
            % {"ref": application.reference, "number": application.priority_number},
        )
        return _back(application)
    duty = licences_selectors.obligations(licence_type=application.licence_type, blocks=application.blocks)
    problems, check = selectors.application_problems(application, duty=duty)
    codes = " ".join(grid.code(b) for b in application.blocks)
    context = {"application": application, "problems": problems, "check": check, "duty": duty, "codes": codes}
    context["conditional"] = [(grid.code(b), refs) for b, refs in sorted(check.conditional.items())]
    context["equal"] = [grid.code(b) for b in sorted(check.windows)]
    return render(request, "licensing/application_lodge.html", context, status=400 if problems else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            services.application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        if refused:
            return _refused(request, application, refused.messages, refused.status)
        messages.success(request, _("The application was withdrawn."))
        return _back(application)
    return render(request, "licensing/application_withdraw.html", {"application": application, "form": form})


@login_required
@require_POST
def application_answer(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, application, [], answer_form=form)
    answer, upload = form.cleaned_data["answer"], form.cleaned_data["file"]
    try:
        information.application_answer(actor=request.user, application=application, answer=answer, upload=upload)
    except ValidationError as exc:
        # The reasons go beside the field they are about: the file, or the answer.
        by_field = exc.error_dict if hasattr(exc, "error_dict") else {"file": exc.error_list}
        for field, reasons in by_field.items():
            form.add_error(field if field in form.fields else None, reasons)
        return _refused(request, application, [], answer_form=form)
    except DOMAIN_ERRORS as exc:
        return _refused(request, application, messages_of(exc), status_of(exc))
    messages.success(request, _("Answer sent; the clock runs again."))
    return _back(application, "")


@login_required
@require_POST
def application_bid(request: HttpRequest, pk: int) -> HttpResponse:
    application = review_selectors.application_for(request.user, pk)
    _require_editor(request, application)
    form = BidForm(request.POST)
    if not form.is_valid():
        return _refused(request, application, [str(e) for e in form.errors.get("amount_kzt", [])])
    amount = form.cleaned_data["amount_kzt"]
    return _carry_out(
        request,
        application,
        lambda: ground_services.bid_place(actor=request.user, application=application, amount_kzt=amount),
        _("Your sealed bid was recorded."),
    )
