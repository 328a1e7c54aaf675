"""The workbench's forms (queue filter, case actions, openings) and the public register's."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from deposits.models import Commodity, Region
from documents.kinds import kind_choices
from licensing.licences import selectors as licences_selectors
from licensing.models import ApplicationState, LicenceType, ObjectionOutcome
from licensing.review import selectors


class QueueFilter(forms.Form):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), required=False, choices=[("", gettext_lazy("Any open stage"))]
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Assigned"),
        required=False,
        choices=[("", gettext_lazy("Anyone")), ("me", gettext_lazy("Me")), ("none", gettext_lazy("Nobody"))],
    )
    licence_type = forms.ModelChoiceField(
        label=gettext_lazy("Licence type"),
        required=False,
        queryset=licences_selectors.licence_types(),
        empty_label=gettext_lazy("Any licence type"),
    )
    country = forms.CharField(label=gettext_lazy("Investor country (code)"), required=False, max_length=2)
    commodity = forms.ModelChoiceField(
        label=gettext_lazy("Commodity (a deposit of it lies in the blocks)"),
        required=False,
        queryset=Commodity.objects.all(),
        empty_label=gettext_lazy("Any commodity"),
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any open stage"))] + [
            (s, ApplicationState(s).label) for s in selectors.WORKBENCH_STATES
        ]


# The case page and its actions ---------------------------------------------------------


class InfoForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("What is needed"), widget=forms.Textarea(attrs={"rows": 3}))
    document_wanted = forms.CharField(
        label=gettext_lazy("Document wanted"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("If the answer must attach a document, name it (e.g. “the licence area map”)."),
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of document"),
        required=False,
        choices=[("", "—"), *kind_choices()],
        help_text=gettext_lazy("Its file is checked as this kind."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Answer due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # ISO: what <input type="date"> takes
        help_text=gettext_lazy("Empty: 20 working days from today."),
    )


class AssessForm(forms.Form):
    programme_adequate = forms.BooleanField(
        label=gettext_lazy("The work programme is technically adequate"), required=False
    )
    financially_capable = forms.BooleanField(label=gettext_lazy("The applicant is financially capable"), required=False)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScreeningForm(forms.Form):
    cleared = forms.TypedChoiceField(
        label=gettext_lazy("Screening result"),
        choices=[("yes", gettext_lazy("Cleared")), ("no", gettext_lazy("Not cleared"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Recommendation"),
        choices=[("grant", gettext_lazy("Grant")), ("refuse", gettext_lazy("Refuse"))],
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=[("grant", gettext_lazy("Grant")), ("refuse", gettext_lazy("Refuse"))]
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when deciding against the recommendation."),
    )


class ObjectionAnswerForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ObjectionOutcome.choices)
    response = forms.CharField(label=gettext_lazy("Response, with reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        required=False,
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Nobody"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.officials()


class EmptyForm(forms.Form):
    pass


# Openings of ground and their auctions -----------------------------------------------------


class OpenGroundForm(forms.Form):
    codes = forms.CharField(
        label=gettext_lazy("Block codes"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy("The ground opens at 09:00 Astana time on a coming working day; the time is published."),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), choices=Region.choices)


class ObjectionForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the objection"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    file = forms.FileField(label=_("Supporting document (PDF, optional)"), required=False)


class RegisterFilter(forms.Form):
    """The public register's filters; anything else in the query string is refused (400)."""

    q = forms.CharField(label=_("Applicant or project"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False)
    licence_type = forms.ChoiceField(label=_("Licence type"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    commodity = forms.ChoiceField(label=_("Commodity"), required=False)

    def __init__(self, *args: object, states: list[str], **kwargs: object) -> None:
        from deposits.models import Commodity

        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any"))] + [(s, ApplicationState(s).label) for s in states]
        self.fields["licence_type"].choices = [("", _("Any"))] + [(t.code, t.name) for t in LicenceType.objects.all()]
        self.fields["region"].choices = [("", _("Any")), *Region.choices]
        self.fields["commodity"].choices = [("", _("Any"))] + [
            (c.code, f"{c.name} ({c.code})") for c in Commodity.objects.all()
        ]
