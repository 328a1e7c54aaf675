"""The holder's licence notice contacts page: its members read it, its owners and managers name
and remove contacts (with a confirmation before removing)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.errors import refusal
from investors.models import Membership, Organisation
from investors.selectors import active_organisation
from licensing.licences import contacts


class NoticeContactForm(forms.Form):
    user = forms.TypedChoiceField(
        label=gettext_lazy("Member"),
        coerce=int,
        help_text=gettext_lazy("Any member, whatever their role: a site manager, a finance officer."),
    )

    def __init__(self, *args: object, candidates: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (m.user_id, f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})") for m in candidates
        ]


def _organisation(request: HttpRequest) -> Organisation:
    organisation = active_organisation(request)
    if organisation is None:
        raise PermissionDenied(_("Only members of an investor organisation have licence notice contacts."))
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def notice_contacts(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    page = contacts.notice_contacts_page(request.user, organisation)
    if request.method == "POST" and not page.may_edit:
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))
    form = NoticeContactForm(request.POST or None, candidates=page.candidates)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        member = next(m.user for m in page.candidates if m.user_id == form.cleaned_data["user"])
        with refusal() as refused:
            contacts.notice_contact_add(actor=request.user, organisation=organisation, user=member)
        if not refused:
            messages.success(request, _("%(name)s now receives the licence notices.") % {"name": member.email})
            return redirect("licensing:notice-contacts")
        errors = refused.messages
    status = 400 if form.errors or errors else 200
    return render(
        request, "licensing/notice_contacts.html", {"page": page, "form": form, "errors": errors}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_contact_remove(request: HttpRequest, contact_id: int) -> HttpResponse:
    organisation = _organisation(request)
    contact = contacts.notice_contact_of(organisation, contact_id)
    if contact is None:
        raise Http404(_("No such notice contact."))
    page = contacts.notice_contacts_page(request.user, organisation)
    if not page.may_edit:
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))
    if request.method == "POST":
        with refusal() as refused:
            contacts.notice_contact_remove(actor=request.user, contact=contact)
        if not refused:
            messages.success(
                request, _("%(name)s no longer receives the licence notices.") % {"name": contact.user.email}
            )
            return redirect("licensing:notice-contacts")
        raise PermissionDenied(" ".join(refused.messages))
    return render(request, "licensing/notice_contact_remove.html", {"contact": contact})
