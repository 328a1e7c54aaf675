"""The deposit filters, shared by the list page and the API so that both answer alike."""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from deposits.models import Commodity, Deposit, Region, ReportingCode, Stage


class CodeChoiceField(forms.ModelChoiceField):
    """A commodity by its code, whatever its case (li, LI, Li)."""

    def to_python(self, value: Any) -> Commodity | None:
        if value in self.empty_values:
            return None
        try:
            return self.queryset.get(code__iexact=str(value))
        except Commodity.DoesNotExist as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from exc


class CommodityFilter(django_filters.ModelChoiceFilter):
    field_class = CodeChoiceField


SORTS = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("-updated", _("Recently updated first")),
    ("region", _("Region")),
    ("stage", _("Development stage")),
]


class DepositFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name", max_length=100)
    commodity = CommodityFilter(
        label=_("Commodity"),
        field_name="commodities",
        to_field_name="code",
        queryset=Commodity.objects.all(),
        empty_label=_("Any commodity"),
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, empty_label=_("Any region"))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    code = django_filters.ChoiceFilter(
        label=_("Reporting code"), choices=ReportingCode.choices, method="filter_code", empty_label=_("Any code")
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, method="filter_sort", empty_label=None)

    class Meta:
        model = Deposit
        fields = ["q", "commodity", "region", "stage", "code"]

    def filter_queryset(self, queryset: QuerySet[Deposit]) -> QuerySet[Deposit]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "name")
        return queryset

    def filter_name(self, queryset: QuerySet[Deposit], name: str, value: str) -> QuerySet[Deposit]:
        return queryset.filter(Q(name_en__icontains=value) | Q(name_ru__icontains=value) | Q(name_kk__icontains=value))

    def filter_code(self, queryset: QuerySet[Deposit], name: str, value: str) -> QuerySet[Deposit]:
        return queryset.filter(estimates__code=value).distinct()

    def filter_sort(self, queryset: QuerySet[Deposit], name: str, value: str) -> QuerySet[Deposit]:
        """Names sort in the reader's language (falling back to English where a name is missing)."""
        language = (translation.get_language() or "en")[:2]
        local = f"name_{language}" if language in ("ru", "kk") else "name_en"
        queryset = queryset.annotate(sort_name=Coalesce(NullIf(F(local), Value("")), F("name_en")))
        order = {
            "name": ["sort_name"],
            "-name": ["-sort_name"],
            "-updated": ["-updated_at", "sort_name"],
            "region": ["region", "sort_name"],
            "stage": ["stage", "sort_name"],
        }[value]
        return queryset.order_by(*order)
