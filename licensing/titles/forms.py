"""The forms of changes of title: the holder's lodgement of each kind (with the confirmation an
irreversible step needs), its withdrawal, and the officials' recommendation and decision."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from investors.models import Organisation, OrganisationStatus
from licensing.domain import grid

CONFIRM_LODGE = gettext_lazy("I confirm that this is true and complete. Once lodged it cannot be changed.")


class ChangeForm(forms.Form):
    """The fields every kind shares: the holder's statement and the confirmation."""

    statement = forms.CharField(
        label=gettext_lazy("Your statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
        help_text=gettext_lazy("Why you ask for this change; the officials read it."),
    )
    confirm = forms.BooleanField(label=CONFIRM_LODGE)

    def kind_fields(self) -> dict[str, Any]:
        """The kind's own keyword arguments for title_change_lodge."""
        return {}

    def uploads(self) -> list[Any]:
        return []


class ExtensionForm(ChangeForm):
    extension_years = forms.IntegerField(label=gettext_lazy("Extension, years"), min_value=1, max_value=50)
    field_order = ["extension_years", "statement", "confirm"]

    def kind_fields(self) -> dict[str, Any]:
        return {"extension_years": self.cleaned_data["extension_years"]}


class SurrenderForm(ChangeForm):
    final_report = forms.FileField(
        label=gettext_lazy("Final report"), help_text=gettext_lazy("PDF: the work done and the state of the ground.")
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm the surrender of the whole licence. Once approved it cannot be undone: "
            "its blocks open to others."
        )
    )
    field_order = ["final_report", "statement", "confirm"]

    def uploads(self) -> list[Any]:
        return [self.cleaned_data["final_report"]]


def verified_organisation_named(text: str) -> Organisation | None:
    """The one verified organisation with this registration number, or else this exact name
    (Kazakh/Russian or Latin); None when there is none or more than one."""
    text = (text or "").strip()
    verified = Organisation.objects.filter(status=OrganisationStatus.VERIFIED)
    found = list(verified.filter(registration_number=text)[:2]) or list(
        verified.filter(Q(legal_name__iexact=text) | Q(legal_name_latin__iexact=text))[:2]
    )
    return found[0] if len(found) == 1 else None


class TransferForm(ChangeForm):
    transferee = forms.CharField(
        label=gettext_lazy("The organisation the licence goes to"),
        max_length=300,
        help_text=gettext_lazy("Its registration number (BIN), or its exact legal name. It must be verified here."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm the transfer of the whole licence to this organisation. Once it accepts and the "
            "officials approve, the licence is re-issued to it and we lose it."
        )
    )
    field_order = ["transferee", "statement", "confirm"]

    def clean_transferee(self) -> Organisation:
        organisation = verified_organisation_named(self.cleaned_data["transferee"])
        if organisation is None:
            raise forms.ValidationError(
                gettext_lazy("No single verified organisation has this registration number or name.")
            )
        return organisation

    def kind_fields(self) -> dict[str, Any]:
        return {"transferee": self.cleaned_data["transferee"]}


class PickForm(forms.Form):
    """The relinquishment planner's choice: which of the licence's blocks to give up (codes)."""

    blocks = forms.MultipleChoiceField(
        label=gettext_lazy("Blocks to give up"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Pick at least one block to give up.")},
    )

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blocks"].choices = [(code, code) for code in codes]


class RelinquishmentForm(ChangeForm):
    """The confirmation after the preview: the blocks chosen (hidden), the statement, the confirmation."""

    blocks = forms.MultipleChoiceField(widget=forms.MultipleHiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm the relinquishment of these blocks. Once approved it cannot be undone: they open to others."
        )
    )
    field_order = ["blocks", "statement", "confirm"]

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blocks"].choices = [(code, code) for code in codes]

    def kind_fields(self) -> dict[str, Any]:
        return {"blocks": [grid.parse(code) for code in self.cleaned_data["blocks"]]}


LODGE_FORMS: dict[str, type[ChangeForm]] = {
    "extension": ExtensionForm,
    "surrender": SurrenderForm,
    "transfer": TransferForm,
    "relinquishment": RelinquishmentForm,
}


class AnswerForm(forms.Form):
    """The transferee's acceptance or refusal of a transfer, confirmed."""

    confirm = forms.BooleanField(label=gettext_lazy("I confirm, for my organisation. It cannot be undone."))


class WaiverForm(forms.Form):
    waiver = forms.CharField(
        label=gettext_lazy("The competent body's waiver"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        help_text=gettext_lazy("Its letter's reference, date and text."),
    )
    confirm = forms.BooleanField(label=gettext_lazy("I confirm. This step cannot be undone."))


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("I confirm the withdrawal. It cannot be undone."))


class DecisionForm(forms.Form):
    """A recommendation or a decision: approve or refuse, with reasons, confirmed."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm. This step cannot be undone."))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["outcome"] == "approve"
