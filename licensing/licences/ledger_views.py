"""The life of a licence in the portal: the holder's licences, one licence with its compliance
ledger, what falls due in the coming days; and the officials' ledger on the workbench, where an
obligation may be waived with reasons."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import refusal
from accounts.pagination import page_of
from investors.permissions import manages
from investors.selectors import active_organisation
from licensing.domain import grid
from licensing.domain import ledger as rules
from licensing.licences import certificates, ledger_selectors, report_selectors, reports, revocation_selectors, services
from licensing.licences.selectors import incoming_transfers, is_current, licence_for
from licensing.models import Licence, LicenceStatus
from licensing.permissions import works_cases

PAGE_SIZE = 25


def _page(request: HttpRequest, rows: Any) -> Any:
    if isinstance(rows, list):  # no organisation: nothing to page
        return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_of(rows, request.GET.get("page"), PAGE_SIZE)


@login_required
@require_safe
def holder_licences(request: HttpRequest) -> HttpResponse:
    """The licences of the organisation the person acts for, with the next obligation of each."""
    organisation = active_organisation(request)
    page = _page(request, ledger_selectors.holder_licences(organisation.pk) if organisation else [])
    today = timezone.localdate()
    rows = [
        {
            "licence": licence,
            "next_label": ledger_selectors.kind_label(licence.next_kind),
            "next_status": rules.obligation_status(due_on=licence.next_due_on, today=today)
            if licence.next_due_on
            else "",
        }
        for licence in page
    ]
    incoming = list(incoming_transfers(organisation.pk)) if organisation else []
    context = {
        "organisation": organisation,
        "page": page,
        "rows": rows,
        "window": rules.DUE_WINDOW_DAYS,
        "incoming": incoming,
    }
    return render(request, "licensing/holder_licences.html", context)


def _ledger_context(licence: Licence, *, workbench: bool = False) -> dict[str, Any]:
    blocks = certificates.held_blocks(licence)
    revocations = revocation_selectors.licence_revocations(licence)
    years = reports.reportable_years(licence, timezone.localdate())
    return {
        "breaches": report_selectors.licence_breaches(licence),
        "revocations": revocations,
        "open_revocation": next((r for r in revocations if r.is_open), None),
        "report_years": report_selectors.report_years(licence, years, started_only=workbench),
        "workbench": workbench,
        "licence": licence,
        "codes": [grid.code(b) for b in blocks],
        "area": grid.total_area_km2(blocks),
        "is_current": is_current(licence),
        "ledger": ledger_selectors.licence_ledger(licence, timezone.localdate()),
        "window": rules.DUE_WINDOW_DAYS,
    }


@login_required
@require_safe
def holder_licence(request: HttpRequest, number: str) -> HttpResponse:
    """One licence for its holder's members (and officials): term, blocks, certificates, ledger."""
    licence = licence_for(request.user, number)
    managing = manages(request.user, licence.holder_id)
    context = {
        **_ledger_context(licence),
        "versions": ledger_selectors.certificate_versions(licence),
        "title_changes": ledger_selectors.title_changes(licence),
        "may_change": licence.status == LicenceStatus.ACTIVE and managing,
        "may_contest": managing,
    }
    return render(request, "licensing/holder_licence.html", context)


@login_required
@require_safe
def holder_due(request: HttpRequest) -> HttpResponse:
    """Everything open that falls due in the coming days across the organisation's licences."""
    organisation = active_organisation(request)
    today = timezone.localdate()
    page = _page(request, ledger_selectors.holder_due(organisation.pk, today) if organisation else [])
    context = {
        "organisation": organisation,
        "page": page,
        "entries": ledger_selectors.due_entries(list(page), today),
        "days": ledger_selectors.DUE_HORIZON_DAYS,
        "window": rules.DUE_WINDOW_DAYS,
    }
    return render(request, "licensing/holder_due.html", context)


def _official_licence(request: HttpRequest, number: str) -> Licence:
    """The licence for an official; 404 for anyone else (the holder has its own page)."""
    if not works_cases(request.user):
        raise Http404(_("No licence with this number."))
    return licence_for(request.user, number)


@login_required
@require_safe
def workbench_licence(request: HttpRequest, number: str) -> HttpResponse:
    licence = _official_licence(request, number)
    return render(request, "licensing/workbench_licence.html", _ledger_context(licence, workbench=True))


class WaiverForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for the waiver"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy("The holder reads them on its ledger. A waiver cannot be undone."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workbench_obligation_waive(request: HttpRequest, number: str, obligation_id: int) -> HttpResponse:
    """Waive one open obligation: a form with the reasons, then a confirmation before sending."""
    licence = _official_licence(request, number)
    obligation = licence.obligations.filter(pk=obligation_id).first()
    if obligation is None:
        raise Http404(_("No such obligation of this licence."))
    form = WaiverForm(request.POST or None)
    errors: list[str] = []
    status = 400 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            services.obligation_waive(actor=request.user, obligation=obligation, reasons=form.cleaned_data["reasons"])
        if not refused:
            messages.success(request, _("The obligation is waived."))
            return redirect("licensing:workbench-licence", number=licence.number)
        errors, status = refused.messages, refused.status
    context = {
        "licence": licence,
        "obligation": obligation,
        "label": ledger_selectors.kind_label(obligation.kind),
        "form": form,
        "errors": errors,
    }
    return render(request, "licensing/workbench_waive.html", context, status=status)
