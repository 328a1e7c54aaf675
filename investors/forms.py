from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deposits.models import Commodity, Region
from investors import services
from investors.models import (
    BeneficialOwner,
    CheckKind,
    DocumentDecision,
    DueDiligenceKind,
    MemberRole,
    Organisation,
    OwnerKind,
)
from investors.services import ORGANISATION_FIELDS, REGISTRAR_DECISIONS


class PrefixedIds:
    """Forms that share a page get ids of their own (both the owner and the document form have `kind`)."""

    id_prefix = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:
        pass  # the service validates, and the database holds, uniqueness


class OwnerForm(PrefixedIds, forms.ModelForm):
    id_prefix = "owner"

    class Meta:
        model = BeneficialOwner
        fields = ["kind", "name", "country", "share", "held_through", "state_owned", "politically_exposed"]

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_through"].queryset = organisation.owners.filter(kind=OwnerKind.LEGAL)
        self.fields["held_through"].empty_label = _("Directly")
        self.fields["share"].widget.attrs.update({"min": "0.001", "max": "100", "step": "0.001"})


class OrganisationDocumentForm(PrefixedIds, forms.Form):
    id_prefix = "document"
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DueDiligenceKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF for certificates, charter and letters; PDF, PNG or JPEG for the chart; "
            "PDF or XLSX for accounts. At most 50 MB."
        ),
    )


class InviteForm(PrefixedIds, forms.Form):
    id_prefix = "invite"
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[*MemberRole.choices, ("", _("Remove from the organisation"))], required=False
    )


class DecisionForm(PrefixedIds, forms.Form):
    id_prefix = "decision"

    def __init__(self, *args: object, status: str | None = None, **kwargs: object) -> None:
        """With `status`, offer only the decisions allowed from it (the service checks again)."""
        super().__init__(*args, **kwargs)
        if status is not None:
            field = self.fields["decision"]
            field.choices = [(k, v) for k, v in field.choices if status in REGISTRAR_DECISIONS[k][0]]

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("verify", _("Verify")),
            ("reject", _("Reject")),
            ("return", _("Return for correction")),
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate")),
        ],
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to reject, return for correction or suspend; the organisation's people read them."),
    )


class DocumentDecisionForm(forms.Form):
    """The registrar's decision on one document; each document's form has ids of its own."""

    def __init__(self, *args: object, document_id: int, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"doc-{document_id}-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DocumentDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to accept or return the document.")},
    )
    reason = forms.CharField(
        label=_("Why it is returned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return it; the organisation's people read it."),
    )


class CheckForm(forms.Form):
    """One item of the registrar's checklist, recorded as done."""

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"check-{kind}-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].initial = kind

    kind = forms.ChoiceField(choices=CheckKind.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note or reference"),
        required=False,
        max_length=2000,
        help_text=_("Optional: the extract's number, the lists searched, a case reference."),
    )


class SubmitForm(forms.Form):
    ownership_explanation = forms.CharField(
        label=_("Why the declared direct ownership does not add up to 100 %"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: shares listed on a stock exchange and widely held, or treasury shares. The registrar "
            "reads it."
        ),
    )


class DocumentReplaceForm(forms.Form):
    def __init__(self, *args: object, document_id: int, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"replace-{document_id}-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    file = forms.FileField(label=_("New file"), help_text=OrganisationDocumentForm.base_fields["file"].help_text)


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=_("I have read the agreement and accept it on behalf of my organisation."),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )


class WatchForm(forms.Form):
    deposit = forms.SlugField(required=False, widget=forms.HiddenInput)
    commodity = forms.ModelChoiceField(
        label=_("Commodity"), queryset=Commodity.objects.order_by("code"), required=False, to_field_name="code"
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices], required=False)


def _consent_links() -> SafeString:
    return format_html(
        _('Read the <a href="{}">terms of use</a> and the <a href="{}">privacy notice</a>.'),
        reverse_lazy("terms"),
        reverse_lazy("privacy"),
    )


class SignupForm(forms.Form):
    """allauth's sign-up form takes these fields too (ACCOUNT_SIGNUP_FORM_CLASS): the person's
    name, and consent to the processing of their personal data (Kazakhstan's personal-data law)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to the processing of my personal data for licensing on AshyqKen, as the privacy notice "
            "describes (Law of the Republic of Kazakhstan No. 94-V “On personal data and their protection”)."
        ),
        help_text=lazy(_consent_links, SafeString)(),
        error_messages={"required": _("Give your consent to the processing of your personal data to sign up.")},
    )

    def signup(self, request: Any, user: Any) -> None:
        services.person_signed_up(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            language=get_language() or "en",
        )
