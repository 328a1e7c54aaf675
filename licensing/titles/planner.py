"""The relinquishment planner, `/investor/licences/<number>/changes/new/relinquishment/`: pick the
blocks to give up (on the map, or the list of boxes that works without scripts), see the preview
the server computes (what remains and whether it may, the fees it would owe, when the freed
blocks would open), then confirm and lodge."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import refusal
from licensing.domain import grid
from licensing.models import Licence, TitleChangeKind
from licensing.titles import relinquishment, services
from licensing.titles.extension import blocks_at_grant, blocks_held
from licensing.titles.forms import PickForm, RelinquishmentForm


def _codes(licence: Licence) -> list[str]:
    return [grid.code(b) for b in blocks_held(licence)]


def relinquishment_planner(request: HttpRequest, licence: Licence) -> HttpResponse:
    """GET: the choice, or (with `preview`) the preview of the blocks chosen and the
    confirmation form; POST: the confirmed lodgement (the preview again, 400, when refused)."""
    codes = _codes(licence)
    granted = blocks_at_grant(licence)
    context = {
        "licence": licence,
        "kind": TitleChangeKind.RELINQUISHMENT,
        "codes": codes,
        "granted": granted,
        "given_before": granted - len(codes),
        "errors": [],
    }
    status = 200
    if request.method == "POST":
        form = RelinquishmentForm(request.POST, codes=codes)
        pick = PickForm({"blocks": request.POST.getlist("blocks")}, codes=codes)
        if form.is_valid():
            with refusal() as refused:
                change = services.title_change_lodge(
                    actor=request.user,
                    licence=licence,
                    kind=TitleChangeKind.RELINQUISHMENT,
                    statement=form.cleaned_data["statement"],
                    **form.kind_fields(),
                )
            if not refused:
                messages.success(request, _("Lodged as %(number)s.") % {"number": change.number})
                return redirect("licensing:holder-title-change", number=licence.number, change=change.number)
            context["errors"], status = refused.messages, refused.status
        else:
            status = 400
    elif "preview" in request.GET:
        pick = PickForm(request.GET, codes=codes)
        form = RelinquishmentForm(initial={"blocks": request.GET.getlist("blocks")}, codes=codes)
        status = 200 if pick.is_valid() else 400
    else:
        pick = PickForm(initial={"blocks": request.GET.getlist("blocks")}, codes=codes)
        form = None
    if form is not None and pick.is_valid():
        chosen = [grid.parse(code) for code in pick.cleaned_data["blocks"]]
        context["plan"] = relinquishment.plan(licence=licence, blocks=chosen, now=timezone.now())
        context["form"] = form
    context["pick"] = pick
    return render(request, "licensing/titles/relinquish.html", context, status=status)
