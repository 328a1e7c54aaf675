"""Conversion, on the holder's licence page: the holder of an active exploration licence starts a
draft application for a mining licence over blocks of it, prefilled (region, the blocks picked),
and goes on in the usual drafting flow (licensing.drafting)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.errors import refusal
from licensing.domain import grid
from licensing.drafting import services as drafting
from licensing.licences.selectors import licence_for
from licensing.models import Licence, LicenceKind, LicenceStatus, LicenceType
from licensing.permissions import may_apply_for


class ConversionForm(forms.Form):
    licence_type = forms.ModelChoiceField(
        label=gettext_lazy("Mining licence type"),
        queryset=LicenceType.objects.filter(is_open=True, kind=LicenceKind.MINING),
        empty_label=None,
    )
    blocks = forms.MultipleChoiceField(
        label=gettext_lazy("Blocks to convert"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The blocks stay with the exploration licence until the mining licence is granted."),
    )

    def __init__(self, data: QueryDict | None = None, *, codes: list[str]) -> None:
        super().__init__(data)
        self.fields["blocks"].choices = [(c, c) for c in codes]
        self.fields["blocks"].initial = codes


def is_convertible(licence: Licence) -> bool:
    """An active exploration licence: its holder may apply for a mining licence over its blocks."""
    return licence.licence_type.kind == LicenceKind.EXPLORATION and licence.status == LicenceStatus.ACTIVE


@login_required
@require_http_methods(["GET", "POST"])
def licence_convert(request: HttpRequest, number: str) -> HttpResponse:
    """Pick the blocks and the mining licence type, then the draft is started (it is only a draft:
    nothing is lodged until the holder lodges it)."""
    licence = licence_for(request.user, number)
    if not may_apply_for(request.user, licence.holder_id):
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))
    codes = [grid.code(t.block) for t in sorted(licence.tenures.all(), key=lambda t: t.block) if t.is_active]
    form = ConversionForm(request.POST or None, codes=codes)
    errors: list[str] = []
    status = 400 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        with refusal() as refused:
            application = drafting.conversion_draft(
                actor=request.user,
                licence=licence,
                licence_type=form.cleaned_data["licence_type"],
                blocks=form.cleaned_data["blocks"],
            )
        if not refused:
            messages.success(request, _("Draft started over the blocks of %(number)s.") % {"number": licence.number})
            return redirect(application.get_absolute_url() + "#details")
        errors, status = refused.messages, refused.status
    context = {"licence": licence, "form": form, "errors": errors, "convertible": is_convertible(licence) and codes}
    return render(request, "licensing/licence_convert.html", context, status=status)
