"""The investor portal: organisations, owners, due diligence, members, the data room,
watchlists, the dashboard; and the registrar's queue and decisions."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.errors import TransitionError, refusal
from accounts.formatting import format_moment
from accounts.roles import is_registrar
from deposits.models import Commodity, Deposit
from documents.models import DocumentStatus
from documents.responses import attachment
from investors import selectors, services
from investors.forms import (
    AgreementForm,
    CheckForm,
    DecisionForm,
    DocumentDecisionForm,
    DocumentReplaceForm,
    InviteForm,
    MemberRoleForm,
    OrganisationDocumentForm,
    OrganisationForm,
    OwnerForm,
    SubmitForm,
    WatchForm,
)
from investors.models import CheckKind, MemberRole, Organisation, OrganisationStatus, Watch
from investors.ownership import ownership_profile
from investors.permissions import MANAGING_ROLES
from investors.stamping import stamp_pdf
from investors.verification import (
    declared_direct_share,
    organisation_check_record,
    organisation_document_decide,
    ownership_short,
    percent,
    verification_state,
)

View = Callable[..., HttpResponse]


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _next_or(request: HttpRequest, default: str) -> str:
    """The page to go back to, when it is one of ours; never another site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _require_role(request: HttpRequest, organisation: Organisation, roles: frozenset[str] = MANAGING_ROLES) -> None:
    """Refuse (403) before reading any input, whatever the input: the services check again."""
    membership = selectors.membership_of(request.user, organisation)
    if membership is None or membership.role not in roles:
        raise PermissionDenied(_("Your role in this organisation does not allow this."))


def registrar_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_registrar(request.user):
            raise PermissionDenied(_("This page is for registrars."))
        return view(request, *args, **kwargs)

    return wrapped


# Dashboard and organisations ----------------------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = selectors.active_organisation(request)
    context: dict[str, Any] = {
        "organisation": organisation,
        "memberships": selectors.memberships_of(request.user),
        "watchlist": selectors.watchlist_of(request.user),
        "notifications": selectors.recent_notifications(request.user),
        "is_registrar": is_registrar(request.user),
    }
    if organisation is not None:
        context["missing"] = (
            services.organisation_missing(organisation) if organisation.status in services.EDITABLE else []
        )
        context["accepted_agreement"] = services.has_accepted_current(user=request.user, organisation=organisation)
    return render(request, "investors/dashboard.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, request.POST.get("organisation"))
    if selectors.membership_of(request.user, organisation) is None:
        raise Http404
    request.session[selectors.ACTIVE_ORGANISATION] = organisation.pk
    messages.success(request, _("You now act for %(name)s.") % {"name": organisation})
    return redirect("investors:dashboard")


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            request.session[selectors.ACTIVE_ORGANISATION] = organisation.pk
            messages.success(request, _("Organisation created. Now declare its owners and upload its documents."))
            return redirect(organisation)
    status = 400 if form.errors else 200
    return render(request, "investors/organisation_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, organisation: Organisation, status: int = 200, **forms: Any) -> HttpResponse:
    membership = selectors.membership_of(request.user, organisation)
    owners = list(organisation.owners.all())
    can_edit = membership is not None and membership.role in MANAGING_ROLES and organisation.status in services.EDITABLE
    replace_forms = forms.get("replace_forms", {})
    context = {
        "organisation": organisation,
        "membership": membership,
        "can_edit": can_edit,
        "can_invite": membership is not None and membership.role in MANAGING_ROLES,
        "is_owner": membership is not None and membership.role == MemberRole.OWNER,
        "is_registrar": is_registrar(request.user),
        "owners": owners,
        "profile": ownership_profile(organisation, owners),
        "ownership_complete": not ownership_short(owners),
        "declared_share": percent(declared_direct_share(owners)),
        "missing": services.organisation_missing(organisation) if organisation.status in services.EDITABLE else [],
        "owner_form": forms.get("owner_form") or OwnerForm(organisation=organisation),
        "document_form": forms.get("document_form") or OrganisationDocumentForm(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(status=organisation.status),
        "errors": forms.get("errors", []),
        "documents_pending": any(d.file.status == DocumentStatus.PENDING for d in organisation.documents.all()),
        "documents": [
            {"document": d, "replace_form": replace_forms.get(d.pk) or DocumentReplaceForm(document_id=d.pk)}
            for d in organisation.documents.all()
        ],
        "role_choices": MemberRole.choices,
        "history": selectors.organisation_history(organisation, internal=is_registrar(request.user)),
    }
    return render(request, "investors/organisation_detail.html", context, status=status)


@login_required
@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.organisation_detail_for(request.user, pk))


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    if organisation.status not in services.EDITABLE:
        return _detail(request, organisation, status=409, errors=[_("The details can no longer be changed here.")])
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        if not refused:
            messages.success(request, _("Details saved."))
            return redirect(organisation)
        if not isinstance(refused.error, ValidationError):
            return _detail(request, organisation, status=refused.status, errors=refused.messages)
        _form_errors(form, refused.error)
    status = 400 if form.errors else 200
    return render(
        request, "investors/organisation_form.html", {"form": form, "organisation": organisation}, status=status
    )


def _act(
    request: HttpRequest,
    organisation: Organisation,
    action: Callable[[], Any],
    done: Any,
    *,
    page: Callable[..., HttpResponse] | None = None,
    done_url: str | None = None,
    form: Any = None,
    **forms: Any,
) -> HttpResponse:
    """Run a service; on success say `done` and go to `done_url` (the organisation page); on
    refusal show `page` (the organisation page) again with the reasons and a 4xx status, having
    changed nothing. The refusal's field errors go on `form` (the first of `forms`)."""
    with refusal() as refused:
        action()
    if not refused:
        messages.success(request, done)
        return redirect(done_url or organisation)
    page = page or _detail
    form = form if form is not None else next(iter(forms.values()), None)
    if isinstance(refused.error, ValidationError) and form is not None:
        _form_errors(form, refused.error)
        return page(request, organisation, status=refused.status, **forms)
    return page(request, organisation, status=refused.status, errors=refused.messages, **forms)


@login_required
@require_POST
def owner_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    form = OwnerForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _detail(request, organisation, status=400, owner_form=form)
    fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
    return _act(
        request,
        organisation,
        lambda: services.owner_add(actor=request.user, organisation=organisation, **fields),
        _("Owner added."),
        owner_form=form,
    )


@login_required
@require_POST
def owner_remove(request: HttpRequest, pk: int, owner_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    owner = get_object_or_404(organisation.owners, pk=owner_id)
    return _act(
        request, organisation, lambda: services.owner_remove(actor=request.user, owner=owner), _("Owner removed.")
    )


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    form = OrganisationDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, organisation, status=400, document_form=form)
    return _act(
        request,
        organisation,
        lambda: services.organisation_document_add(
            actor=request.user,
            organisation=organisation,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        ),
        _("Document uploaded. Its checks are running; this page shows the result."),
        document_form=form,
    )


@login_required
@require_POST
def document_replace(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    document = get_object_or_404(organisation.documents, pk=document_id)
    form = DocumentReplaceForm(request.POST, request.FILES, document_id=document.pk)
    if not form.is_valid():
        return _detail(request, organisation, status=400, replace_forms={document.pk: form})
    with refusal() as refused:
        services.organisation_document_replace(actor=request.user, document=document, upload=form.cleaned_data["file"])
    if not refused:
        messages.success(request, _("Document replaced. Its checks are running; this page shows the result."))
        return redirect(organisation)
    if isinstance(refused.error, ValidationError):
        _form_errors(form, refused.error)
        return _detail(request, organisation, status=refused.status, replace_forms={document.pk: form})
    return _detail(request, organisation, status=refused.status, errors=refused.messages)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    document = get_object_or_404(organisation.documents, pk=document_id)
    return _act(
        request,
        organisation,
        lambda: services.organisation_document_remove(actor=request.user, document=document),
        _("Document removed."),
    )


@login_required
def organisation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (the details lock once sent); POST sends."""
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    owners = list(organisation.owners.all())
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        initial={"ownership_explanation": organisation.ownership_explanation},
    )
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            services.organisation_submit(
                actor=request.user,
                organisation=organisation,
                ownership_explanation=form.cleaned_data["ownership_explanation"],
            )
        if not refused:
            messages.success(
                request, _("Sent to the registrar for verification. You will be notified of the decision.")
            )
            return redirect(organisation)
        if not isinstance(refused.error, ValidationError) or not hasattr(refused.error, "error_dict"):
            return _detail(request, organisation, status=refused.status, errors=refused.messages)
        _form_errors(form, refused.error)
    context = {
        "organisation": organisation,
        "missing": services.organisation_missing(organisation),
        "ownership_short": ownership_short(owners),
        "declared_share": percent(declared_direct_share(owners)),
        "form": form,
    }
    return render(request, "investors/organisation_submit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _detail(request, organisation, status=400, invite_form=form)
    return _act(
        request,
        organisation,
        lambda: services.member_invite(actor=request.user, organisation=organisation, **form.cleaned_data),
        _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        invite_form=form,
    )


@login_required
@require_POST
def member_change(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation, {MemberRole.OWNER})
    membership = get_object_or_404(organisation.memberships, pk=member_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _detail(request, organisation, status=400, errors=[_("Choose a role.")])
    role = form.cleaned_data["role"] or None
    return _act(
        request,
        organisation,
        lambda: services.member_change(actor=request.user, membership=membership, role=role),
        _("Member removed.") if role is None else _("Role changed."),
    )


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    _require_role(request, organisation)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_id)
    return _act(
        request,
        organisation,
        lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
        _("Invitation withdrawn."),
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees what they are invited to; accepting needs the invited address signed in."""
    from investors.models import Invitation

    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(request, "investors/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        with refusal() as refused:
            membership = services.invitation_accept(actor=request.user, token=token)
        if refused:
            context = {"invitation": invitation, "error": " ".join(refused.messages)}
            return render(request, "investors/invitation.html", context, status=refused.status)
        request.session[selectors.ACTIVE_ORGANISATION] = membership.organisation_id
        messages.success(request, _("You joined %(name)s.") % {"name": membership.organisation})
        return redirect("investors:dashboard")
    return render(request, "investors/invitation.html", {"invitation": invitation})


# Registrar -----------------------------------------------------------------------------


REGISTRAR_PAGE_SIZE = 50


@registrar_required
@require_safe
def registrar_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in OrganisationStatus.values:
        return render(request, "400.html", {"message": _("Unknown status.")}, status=400)
    organisations = selectors.registrar_queue() if not status else selectors.organisations_for_registrar(status)
    page = Paginator(organisations, REGISTRAR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "investors/registrar_queue.html",
        {"page": page, "status": status, "statuses": OrganisationStatus.choices},
    )


@registrar_required
@require_POST
def organisation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    form = DecisionForm(request.POST)
    # Sent from the verification page: answered there (and back to the organisation when done).
    page = _verification if request.POST.get("page") == "verification" else _detail
    if not form.is_valid():
        return page(request, organisation, status=400, decision_form=form)
    return _act(
        request,
        organisation,
        lambda: services.organisation_decide(actor=request.user, organisation=organisation, **form.cleaned_data),
        DECISION_DONE[form.cleaned_data["decision"]],
        page=page,
        decision_form=form,
    )


# What the registrar is told once a decision is recorded (lazy: read in the request's language).
DECISION_DONE = {
    "verify": gettext_lazy("Organisation verified."),
    "reject": gettext_lazy("Organisation rejected; its people have the reasons."),
    "return": gettext_lazy("Organisation returned for correction; its people have your message."),
    "suspend": gettext_lazy("Organisation suspended."),
    "reinstate": gettext_lazy("Organisation reinstated."),
}


def _verification(request: HttpRequest, organisation: Organisation, status: int = 200, **forms: Any) -> HttpResponse:
    """The registrar's verification page: documents with their decisions, the checklist, the
    ownership, and the decision. `forms` carries bound forms (with their errors) to show again."""
    state = verification_state(
        organisation,
        owners=organisation.owners.all(),
        documents=organisation.documents.all(),
        checks=organisation.checks.all(),
    )
    document_forms = forms.get("document_forms", {})
    check_forms = forms.get("check_forms", {})
    open_for_decisions = organisation.status == OrganisationStatus.SUBMITTED
    context = {
        "organisation": organisation,
        "state": state,
        "open_for_decisions": open_for_decisions,
        "documents": [
            {"document": d, "form": document_forms.get(d.pk) or DocumentDecisionForm(document_id=d.pk)}
            for d in state.documents
        ],
        "checks": [
            {"item": item, "form": check_forms.get(item.kind) or CheckForm(kind=item.kind)} for item in state.items
        ],
        "explanation_form": check_forms.get(CheckKind.OWNERSHIP_EXPLANATION)
        or CheckForm(kind=CheckKind.OWNERSHIP_EXPLANATION),
        "profile": ownership_profile(organisation, organisation.owners.all()),
        "decision_form": forms.get("decision_form") or DecisionForm(status=organisation.status),
        "errors": forms.get("errors", []),
    }
    return render(request, "investors/organisation_verification.html", context, status=status)


def _registrar_act(
    request: HttpRequest,
    organisation: Organisation,
    action: Callable[[], Any],
    done: Any,
    forms: dict[str, Any],
    form: Any = None,
    done_url: str | None = None,
) -> HttpResponse:
    """`_act` for a registrar's decision: back to the verification page (or `done_url`)."""
    return _act(
        request,
        organisation,
        action,
        done,
        page=_verification,
        done_url=done_url or reverse("investors:organisation-verification", kwargs={"pk": organisation.pk}),
        form=form if form is not None else forms.get("decision_form"),
        **forms,
    )


@registrar_required
@require_safe
def organisation_verification(request: HttpRequest, pk: int) -> HttpResponse:
    return _verification(request, selectors.organisation_detail_for(request.user, pk))


@registrar_required
@require_POST
def document_decide(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    document = get_object_or_404(organisation.documents, pk=document_id)
    form = DocumentDecisionForm(request.POST, document_id=document.pk)
    forms = {"document_forms": {document.pk: form}}
    if not form.is_valid():
        return _verification(request, organisation, status=400, **forms)
    decision = form.cleaned_data["decision"]
    return _registrar_act(
        request,
        organisation,
        lambda: organisation_document_decide(
            actor=request.user, document=document, decision=decision, reason=form.cleaned_data["reason"]
        ),
        _("Document accepted.") if decision == "accepted" else _("Document returned; the reason is recorded."),
        forms,
        form,
    )


@registrar_required
@require_POST
def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_detail_for(request.user, pk)
    kind = request.POST.get("kind", "")
    if kind not in CheckKind.values:
        return _verification(request, organisation, status=400, errors=[_("Unknown check.")])
    form = CheckForm(request.POST, kind=kind)
    forms = {"check_forms": {kind: form}}
    if not form.is_valid():
        return _verification(request, organisation, status=400, **forms)
    return _registrar_act(
        request,
        organisation,
        lambda: organisation_check_record(
            actor=request.user, organisation=organisation, kind=kind, note=form.cleaned_data["note"]
        ),
        _("Check recorded."),
        forms,
        form,
    )


@registrar_required
@require_safe
def data_room_log(request: HttpRequest) -> HttpResponse:
    deposit = organisation = None
    if request.GET.get("deposit"):
        deposit = get_object_or_404(Deposit, slug=request.GET["deposit"])
    if request.GET.get("organisation"):
        organisation = selectors.organisation_detail_for(request.user, request.GET["organisation"])
    page = Paginator(selectors.data_room_log(deposit=deposit, organisation=organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "investors/data_room_log.html", {"page": page, "deposit": deposit, "organisation": organisation}
    )


# Data room -----------------------------------------------------------------------------


@login_required
def agreement(request: HttpRequest) -> HttpResponse:
    organisation = selectors.active_organisation(request)
    current = services.agreement_current()
    if organisation is None or current is None:
        return render(request, "investors/agreement.html", {"organisation": organisation, "agreement": current})
    form = AgreementForm(request.POST or None, initial={"version": current.version})
    if request.method == "POST" and form.is_valid():
        with refusal(TransitionError) as refused:  # a refused right is the 403 page, as before
            services.agreement_accept(
                actor=request.user, organisation=organisation, version=form.cleaned_data["version"]
            )
        if refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("Agreement accepted. You can open data-room documents."))
            return redirect(_next_or(request, "investors:dashboard"))
    context = {
        "organisation": organisation,
        "agreement": current,
        "text": current.text_in(get_language() or "en"),
        "form": form,
        "accepted": services.has_accepted_current(user=request.user, organisation=organisation),
        "next": request.GET.get("next", request.POST.get("next", "")),
    }
    return render(request, "investors/agreement.html", context, status=400 if form.errors else 200)


@require_safe
def data_room_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Serve a data-room document to a member of a verified organisation that accepted the
    agreement in force, stamped (PDFs) with the organisation and the time; otherwise say
    what is missing."""
    document = selectors.data_room_document_for(slug, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.active_organisation(request)
    try:
        if organisation is None:
            raise PermissionDenied(_("Create or join an investor organisation first."))
        access = services.data_room_open(actor=request.user, organisation=organisation, document=document)
    except PermissionDenied as exc:
        context = {"document": document, "organisation": organisation, "reason": str(exc)}
        return render(request, "investors/data_room_closed.html", context, status=403)
    stored = document.file
    if stored.content_type != "application/pdf":
        return attachment(stored)
    # Who opened it (the person and the organisation) and when, in Astana time with the zone named.
    person = request.user.get_full_name() or request.user.email
    stamp = _("Confidential · opened by %(person)s, %(organisation)s · %(when)s (Astana time) · AshyqKen data room") % {
        "person": person,
        "organisation": organisation.legal_name_latin,
        "when": format_moment(access.opened_at),
    }
    with stored.file.open("rb") as handle:
        return attachment(stored, stamp_pdf(handle, stamp))


# Watchlists ----------------------------------------------------------------------------


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deposit = None
        if form.cleaned_data["deposit"]:
            deposit = Deposit.objects.filter(slug=form.cleaned_data["deposit"], is_published=True).first()
            if deposit is None:
                raise Http404
        commodity: Commodity | None = form.cleaned_data["commodity"]
        try:
            watch = services.watch_add(
                actor=request.user, deposit=deposit, commodity=commodity, region=form.cleaned_data["region"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("You now follow %(target)s.") % {"target": watch})
            return redirect(_next_or(request, "investors:watchlist"))
    context = {"form": form, "watchlist": selectors.watchlist_of(request.user)}
    return render(request, "investors/watchlist.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def watch_remove(request: HttpRequest, pk: int) -> HttpResponse:
    watch = get_object_or_404(Watch, pk=pk, user=request.user)
    label = str(watch)
    services.watch_remove(actor=request.user, watch=watch)
    messages.success(request, _("You no longer follow %(target)s.") % {"target": label})
    return redirect("investors:watchlist")
