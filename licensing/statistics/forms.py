"""The statistics window a reader chooses, on the page and in the API."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from licensing.statistics.figures import backlog_moments
from licensing.statistics.selectors import DEFAULT_WEEKS, MAX_WEEKS, ProcessingStatistics, processing_statistics

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatisticsQuery(forms.Form):
    since = forms.DateField(label=gettext_lazy("Received from"), required=False, widget=DATE_INPUT)
    until = forms.DateField(label=gettext_lazy("Received until"), required=False, widget=DATE_INPUT)
    weeks = forms.IntegerField(label=gettext_lazy("Weeks of backlog"), required=False, min_value=1, max_value=MAX_WEEKS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The window must start on or before the day it ends."))
        if until:
            try:  # the backlog counts back `weeks` weeks from `until`, each to the next day's start
                backlog_moments(until, data.get("weeks") or DEFAULT_WEEKS)
            except OverflowError:
                raise forms.ValidationError(
                    _("The weeks of backlog reach outside the calendar: choose another day or fewer weeks.")
                ) from None
        return data

    def statistics(self) -> ProcessingStatistics:
        data = self.cleaned_data
        return processing_statistics(
            since=data.get("since"), until=data.get("until"), weeks=data.get("weeks") or DEFAULT_WEEKS
        )
