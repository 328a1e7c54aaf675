"""The investor's forms on a draft: start, blocks, details, programme, documents, answers, bids."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from deposits.models import Region
from licensing.models import Application, LicenceType, RequiredDocument


class ApplicationStartForm(forms.Form):
    licence_type = forms.ModelChoiceField(
        label=_("Licence type"), queryset=LicenceType.objects.filter(is_open=True), empty_label=None
    )
    title = forms.CharField(label=_("Name of the project"), max_length=200)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)


class BlocksForm(forms.Form):
    codes = forms.CharField(
        label=_("Block codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "characters"}),
        help_text=_(
            "Block codes separated by spaces, commas, semicolons or new lines, e.g. N4910E08110. "
            "Click cells on the map to add or remove them; hold Shift to add a rectangle."
        ),
    )
    boundary = forms.FileField(
        label=_("Or upload a boundary"),
        required=False,
        help_text=_("GeoJSON, or a zipped shapefile, in WGS84 longitude/latitude; replaces the codes above."),
    )

    def block_codes(self) -> list[str]:
        return [c for c in self.cleaned_data["codes"].replace(",", " ").replace(";", " ").split() if c]


class DetailsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "title",
            "region",
            "kazakh_staff_percent",
            "local_goods_percent",
            "training_spend_kzt",
            "in_country_processing",
            "processing_plan",
        ]
        widgets = {"processing_plan": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "region": _(
                "Where the blocks lie: once the regions' boundaries are loaded, saving the blocks sets it; "
                "until then it must match the deposits the blocks hold."
            )
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kazakh_staff_percent", "local_goods_percent"):
            self.fields[name].widget.attrs.update({"min": "0", "max": "100", "step": "0.01"})
            self.fields[name].validators += [
                MinValueValidator(0, _("A share cannot be below zero.")),
                MaxValueValidator(100, _("A share cannot be above 100 percent.")),
            ]
        self.fields["training_spend_kzt"].widget.attrs.update({"min": "0", "step": "1"})
        self.fields["training_spend_kzt"].validators.append(MinValueValidator(0, _("The spend cannot be negative.")))


class ProgrammeYearForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    activities = forms.CharField(label=_("Planned work"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    expenditure_kzt = forms.DecimalField(
        label=_("Planned expenditure, KZT"), min_value=0, max_digits=16, decimal_places=2
    )


ProgrammeFormSet = forms.formset_factory(ProgrammeYearForm, extra=0, max_num=50, absolute_max=50)


class DocumentForm(forms.Form):
    requirement = forms.ModelChoiceField(label=_("Document"), queryset=RequiredDocument.objects.none())
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: object, licence_type: LicenceType, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "doc-%s")
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = licence_type.required_documents.all()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, required=False
    )
    file = forms.FileField(label=_("Attach a document"), required=False)


class BidForm(forms.Form):
    amount_kzt = forms.DecimalField(label=_("Sealed bid, KZT"), min_value=1, max_digits=16, decimal_places=2)
