"""Paging and incremental sync for API lists that grow (the register: tens of thousands of rows).

`ChangeCursorPagination` pages with an opaque cursor, not a page number: a page costs the same
at row 50 and at row 50,000 (no OFFSET), and rows written while a client pages do not shift
the pages it has still to read. It orders by the time a row last changed, then its id, oldest
first, so a row that changes while a client pages moves to the end and is read again, never
skipped. A view may order otherwise (a calendar by date) with `cursor_ordering`.

`ChangedSinceFilterSet` gives a list `changed_since`: the rows changed at or after a moment.
A partner keeps the largest `updated_at` it has read and asks for `changed_since` of it next
time (a row at exactly that moment is sent again, never lost).

It lives here, beside accounts.errors (the problem-details shape every app answers with), and
not in config: every app's API uses it, and the layers contract lets no app import config.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class ChangeCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("Rows per page: 50 unless given, at most 500.")
    cursor_query_description = _("The `next` or `previous` link's cursor; leave it out for the first page.")
    max_page_size = 500
    ordering = ("updated_at", "id")

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> tuple[str, ...]:
        return tuple(getattr(view, "cursor_ordering", self.ordering))


class ChangedSinceFilterSet(django_filters.FilterSet):
    """A FilterSet whose model has `updated_at` (auto_now): adds `changed_since`. A malformed
    value answers 400 naming the parameter."""

    changed_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Changed since"),
        help_text=_(
            "ISO 8601 date-time, e.g. 2026-11-24T10:00:00+05:00 (without an offset: Astana time). "
            "Only rows changed at or after it."
        ),
    )
