"""Paging for lists that grow (the register: tens of thousands of rows): incremental sync for the
API, and `page_of` for the server-rendered pages.

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

from datetime import UTC, datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView

MAX_ID = 2**63 - 1


class StrictCursorPagination(CursorPagination):
    """DRF's cursor pagination, refusing what it would quietly change or crash on: a page size
    out of range answers 400 naming `page_size` (DRF caps it), and a cursor that is not one we
    gave (undecodable, or holding a position of the wrong kind for the ordering) 400 naming
    `cursor` (DRF answers 404, or lets the database refuse the position)."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("Rows per page: 50 unless given, at most 500.")
    cursor_query_description = gettext_lazy("The `next` or `previous` link's cursor; leave it out for the first page.")
    max_page_size = 500
    ordering: Any = "id"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [_("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = False
        if cursor is False or (cursor is not None and not self._position_fits(cursor.position)):
            raise exceptions.ValidationError(
                {"cursor": [_("This cursor is not one we gave: follow the next and previous links as they are.")]}
            )
        return cursor

    def _position_fits(self, position: str | None) -> bool:
        """Whether the position can be a value of the first ordering field (an id or a moment)."""
        if position is None:
            return True
        field = (self.ordering if isinstance(self.ordering, str) else self.ordering[0]).lstrip("-")
        if field in ("id", "pk"):
            return position.isdigit() and int(position) <= MAX_ID
        try:
            return parse_datetime(position) is not None
        except ValueError:
            return False


class NewestFirstPagination(StrictCursorPagination):
    """A person's or an endpoint's own list, newest first (notifications, deliveries)."""

    ordering = "-id"
    page_size = 20
    max_page_size = 100
    page_size_query_description = gettext_lazy("Rows per page: 20 unless given, at most 100.")


class ChangeCursorPagination(StrictCursorPagination):
    ordering = ("updated_at", "id")

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> tuple[str, ...]:
        ordering = tuple(getattr(view, "cursor_ordering", self.ordering))
        self.ordering = ordering  # the position checked against the view's own ordering
        return ordering


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, given to the database in UTC. Python takes offsets up to 24 hours
    and PostgreSQL only up to 16 (`-18:36` failed the query); and a time near the year 1 or
    9999 with an offset can fall outside the range of dates once in UTC: that is refused."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise ValidationError(_("Give a date-time between the years 1 and 9999."), code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class RefusesEmptyValues:
    """For a FilterSet of the API: a filter given with no value answers 400 naming it
    (`?region=` is a mistake to point out, not a request for everything). The pages' forms
    send empty values for "any", and keep the plain FilterSet."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            given = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if name in self.data and not any(str(v).strip() for v in given):
                if name in self.form.fields and name not in self.form.errors:
                    self.form.add_error(name, _("Give a value or leave the parameter out."))
                valid = False
        return valid


class ChangedSinceFilterSet(RefusesEmptyValues, django_filters.FilterSet):
    """A FilterSet whose model has `updated_at` (auto_now): adds `changed_since`. A malformed
    value answers 400 naming the parameter, and so does any filter given with no value."""

    changed_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=gettext_lazy("Changed since"),
        help_text=gettext_lazy(
            "ISO 8601 date-time, e.g. 2026-11-24T10:00:00+05:00 (without an offset: Astana time). "
            "Only rows changed at or after it."
        ),
    )


def page_of(rows: QuerySet[Any], number: object, per_page: int) -> Page:
    """One page of `rows` for a server-rendered list, by its number (`?page=`; a malformed or
    out-of-range number gives the first or the last page, as `Paginator.get_page`).

    The paginator counts and orders the plain rows and reads the ids of the page only; then the
    page's rows are read in full by id, with the joins, annotations and prefetches `rows` asks
    for. So a join or a per-row subquery runs for the rows shown, never for every row that
    matches, and a deep page skips index entries rather than joined rows: a page costs about
    the same at row 25 as at row 50,000. One query more than a plain paginator, whatever the
    page's size."""
    page = Paginator(rows.prefetch_related(None).values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)} if ids else {}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page
