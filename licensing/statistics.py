"""Processing statistics: outcomes and working days from lodgement to decision, by licence type
and by investor country, and the backlog by stage over time, rebuilt from the event log.

`processing_statistics` and `headline_figures` are the selectors: each runs a fixed number of
queries whatever the number of applications. The public page (server-rendered SVG charts with
the same numbers in tables) and the API endpoint show what `processing_statistics` returns.

Definitions, as the page and the API state them:
- working days are Kazakh working days (`licensing.workdays`) after the day an application was
  deemed received, up to and including the day it was decided;
- the median is the middle value (the mean of the two middle ones for an even count); the 90th
  percentile is the nearest rank: the smallest value that at least 90 % of the decisions reach;
- a decision is within the target time when no stage of the application ran past its published
  service time (`Application.late_stages` is 0 when it was decided)."""

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Event
from licensing import workdays
from licensing.models import OPEN_STATES, Application, ApplicationState, LicenceType

S = ApplicationState
CACHE_SECONDS = 60
DEFAULT_WEEKS = 26
MAX_WEEKS = 104

# The open stages in the order an application meets them: the backlog's series.
STAGES = [s for s in ApplicationState if s in OPEN_STATES]
OUTCOMES = ["granted", "refused", "withdrawn", "lapsed", "pending"]
OUTCOME_LABELS = {
    "granted": S.GRANTED.label,
    "refused": S.REFUSED.label,
    "withdrawn": S.WITHDRAWN.label,
    "lapsed": S.LAPSED.label,
    "pending": pgettext_lazy("application outcome", "Pending"),
}
# Okabe-Ito colours (told apart with colour-blindness); every shape also has a dark outline.
OUTCOME_COLOURS = {
    "granted": "#009E73",
    "refused": "#D55E00",
    "withdrawn": "#7A7A7A",
    "lapsed": "#E69F00",
    "pending": "#0072B2",
}
STAGE_COLOURS = {
    S.LODGED: "#56B4E9",
    S.UNDER_REVIEW: "#0072B2",
    S.INFO_REQUESTED: "#E69F00",
    S.OBJECTION_PERIOD: "#CC79A7",
    S.ASSESSMENT: "#009E73",
    S.SCREENING: "#D55E00",
    S.RECOMMENDED: "#3D3D3D",
}


# Numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """What became of the applications of one licence type or one country (or of all)."""

    key: str  # the licence type's code, the country's ISO code, or "" for all applications
    label: str = ""
    lodged: int = 0
    granted: int = 0
    refused: int = 0
    withdrawn: int = 0
    lapsed: int = 0
    pending: int = 0
    within_target: int = 0  # decisions with no stage past its published service time
    median_days: float | None = None  # working days from receipt to decision
    p90_days: int | None = None

    @property
    def decided(self) -> int:
        return self.granted + self.refused

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.decided if self.decided else None

    @property
    def within_target_percent(self) -> float | None:
        share = self.within_target_share
        return None if share is None else share * 100

    def outcome(self, name: str) -> int:
        return int(getattr(self, name))


@dataclass(frozen=True)
class BacklogPoint:
    """How many applications were open in each stage at the end of one day."""

    as_at: date
    by_state: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    def counts(self) -> list[int]:
        return [self.by_state.get(stage, 0) for stage in STAGES]


@dataclass(frozen=True)
class ProcessingStatistics:
    since: date | None
    until: date
    weeks: int
    total: OutcomeRow
    by_licence_type: list[OutcomeRow] = field(default_factory=list)
    by_country: list[OutcomeRow] = field(default_factory=list)
    backlog: list[BacklogPoint] = field(default_factory=list)


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The smallest value that at least `percent` % of the values are less than or equal to."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * percent / 100), 1) - 1]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=workdays.ASTANA)


@dataclass
class _Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)
    within_target: int = 0

    def row(self, key: str) -> OutcomeRow:
        return OutcomeRow(
            key=key,
            lodged=sum(self.outcomes.values()),
            within_target=self.within_target,
            median_days=median(self.days),
            p90_days=nearest_rank(self.days, 90),
            **{name: self.outcomes[name] for name in OUTCOMES},
        )


def _outcome(state: str) -> str:
    return state if state in OUTCOMES else "pending"


def _working_day_numbers(start: date, end: date) -> dict[date, int]:
    """Each day of the span with the number of working days from `start` to it: the working
    days between two days are the difference of their numbers. One calendar, one query."""
    calendar = workdays.WorkingCalendar(start, end)
    numbers, count, day = {}, 0, start
    while day <= end:
        count += calendar.is_working_day(day)
        numbers[day] = count
        day += timedelta(days=1)
    return numbers


def _outcome_rows(since: date | None, until: date) -> tuple[OutcomeRow, dict[str, OutcomeRow], dict[str, OutcomeRow]]:
    """Applications received in the window, tallied in total, by licence type and by country:
    one query for the applications and one for the calendar."""
    received = Q(received_at__lt=_start_of(until + timedelta(days=1)), received_at__isnull=False)
    if since is not None:
        received &= Q(received_at__gte=_start_of(since))
    rows = list(
        Application.objects.filter(received)
        .exclude(state=S.DRAFT)
        .values_list("licence_type__code", "organisation__country", "state", "received_at", "decided_at", "late_stages")
    )
    decided = [
        (workdays.local(got).date(), workdays.local(done).date())
        for _type, _country, state, got, done, _late in rows
        if state in (S.GRANTED, S.REFUSED) and done is not None
    ]
    today = workdays.local(timezone.now()).date()
    first = min((got for got, _done in decided), default=today)
    numbers = _working_day_numbers(first, max((done for _got, done in decided), default=first))
    total, by_type, by_country = _Tally(), defaultdict(_Tally), defaultdict(_Tally)
    for code, country, state, got, done, late in rows:
        tallies = (total, by_type[code], by_country[str(country or "")])
        for tally in tallies:
            tally.outcomes[_outcome(state)] += 1
        if state in (S.GRANTED, S.REFUSED) and done is not None:
            days = numbers[workdays.local(done).date()] - numbers[workdays.local(got).date()]
            for tally in tallies:
                tally.days.append(days)
                tally.within_target += late == 0
    return (
        total.row(""),
        {code: tally.row(code) for code, tally in by_type.items()},
        {country: tally.row(country) for country, tally in by_country.items()},
    )


def backlog(*, until: date, weeks: int = DEFAULT_WEEKS) -> list[BacklogPoint]:
    """The open applications in each stage at the end of `until` and of each of the `weeks` - 1
    weeks before it, rebuilt from the state changes in the event log: one query."""
    days = [until - timedelta(weeks=n) for n in reversed(range(weeks))]
    moments = [_start_of(day + timedelta(days=1)) for day in days]
    # Only applications that may have been open at one of the moments: lodged before the last
    # one and still open, or changed (so closed, if closed) after the first.
    candidates = (
        Application.objects.filter(lodged_at__lt=moments[-1])
        .filter(Q(state__in=OPEN_STATES) | Q(updated_at__gte=moments[0]))
        .annotate(subject=Cast("pk", CharField()))
        .values("subject")
    )
    changes = (
        Event.objects.filter(
            subject_type__app_label="licensing",
            subject_type__model="application",
            subject_id__in=candidates,
            type__startswith="application.",
            occurred_at__lt=moments[-1],
        )
        .filter(Q(type="application.lodged") | Q(payload__has_key="state"))
        .order_by("occurred_at", "id")
        .values_list("subject_id", "occurred_at", "type", "payload__state")
    )
    state_of: dict[str, str] = {}
    open_now: Counter[str] = Counter()
    points: list[BacklogPoint] = []

    def snapshot(day: date) -> None:
        points.append(BacklogPoint(as_at=day, by_state={s.value: open_now[s] for s in STAGES}))

    pending = iter(zip(days, moments, strict=True))
    day, moment = next(pending)
    for subject, occurred_at, kind, state in changes:
        while occurred_at >= moment:
            snapshot(day)
            day, moment = next(pending)
        state = S.LODGED if kind == "application.lodged" else state
        previous = state_of.get(subject)
        if previous in OPEN_STATES:
            open_now[previous] -= 1
        if state in OPEN_STATES:
            open_now[state] += 1
        state_of[subject] = state
    snapshot(day)
    for day, _moment in pending:
        snapshot(day)
    return points


def _numbers(since: date | None, until: date, weeks: int) -> ProcessingStatistics:
    total, by_type, by_country = _outcome_rows(since, until)
    return ProcessingStatistics(
        since=since,
        until=until,
        weeks=weeks,
        total=total,
        by_licence_type=list(by_type.values()),
        by_country=list(by_country.values()),
        backlog=backlog(until=until, weeks=weeks),
    )


def processing_statistics(
    *, since: date | None = None, until: date | None = None, weeks: int = DEFAULT_WEEKS, cached: bool = True
) -> ProcessingStatistics:
    """Outcomes and working days of the applications received from `since` (or the start) to
    `until` (or today), by licence type (every type, in its published order) and by investor
    country (most applications first), and the backlog by stage for `weeks` weeks up to `until`.

    The numbers are cached for a minute (they do not depend on the language); the labels are
    added for the current language on every call. Four queries, whatever the number of
    applications: applications, calendar, events, licence types (and none but the licence
    types when cached)."""
    until = until or workdays.local(timezone.now()).date()
    key = f"licensing:statistics:{since}:{until}:{weeks}"
    numbers = cache.get(key) if cached else None
    if numbers is None:
        numbers = _numbers(since, until, weeks)
        cache.set(key, numbers, CACHE_SECONDS)
    by_code = {row.key: row for row in numbers.by_licence_type}
    by_type = [
        replace(by_code.get(t.code, OutcomeRow(key=t.code)), label=t.name)
        for t in LicenceType.objects.order_by("sort_order", "code")
    ]
    by_country = sorted(
        (replace(row, label=countries.name(row.key) or _("Not stated")) for row in numbers.by_country),
        key=lambda row: (-row.lodged, row.label),
    )
    return replace(
        numbers,
        total=replace(numbers.total, label=_("All applications")),
        by_licence_type=by_type,
        by_country=by_country,
    )


@dataclass(frozen=True)
class Headline:
    """The home page's figures: applications in progress now, and the last 12 months."""

    in_progress: int
    lodged: int
    granted: int
    decided: int
    within_target: int

    @property
    def within_target_percent(self) -> float | None:
        return self.within_target * 100 / self.decided if self.decided else None


def headline_figures() -> Headline:
    """One query: applications open now; lodged, granted, decided, and decided with no stage
    past its target, in the last 365 days."""
    year_ago = timezone.now() - timedelta(days=365)
    decided = Q(state__in=[S.GRANTED, S.REFUSED], decided_at__gte=year_ago)
    figures = Application.objects.aggregate(
        in_progress=Count("pk", filter=Q(state__in=OPEN_STATES)),
        lodged=Count("pk", filter=Q(received_at__gte=year_ago)),
        granted=Count("pk", filter=Q(state=S.GRANTED, decided_at__gte=year_ago)),
        decided=Count("pk", filter=decided),
        within_target=Count("pk", filter=decided & Q(late_stages=0)),
    )
    return Headline(**figures)


# Charts (server-rendered SVG) ----------------------------------------------------------------
# Geometry in viewBox units; the template draws it and writes every text, so it is escaped and
# translated there. The charts scale with the width of the page (viewBox, width 100 %).

CHART_WIDTH = 320


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class OutcomeBar:
    label: str
    label_y: float
    total: int
    total_x: float
    total_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class OutcomeChart:
    width: int
    height: int
    bars: list[OutcomeBar]


def outcome_chart(rows: Iterable[OutcomeRow]) -> OutcomeChart:
    """Horizontal bars, one per row, stacked by outcome, the name above each bar."""
    rows = list(rows)
    room = CHART_WIDTH - 48  # the rest holds the total at the end of the bar
    scale = room / max([r.lodged for r in rows] + [1])
    bars, y = [], 0.0
    for row in rows:
        x, segments = 0.0, []
        for name in OUTCOMES:
            value = row.outcome(name)
            if value:
                width = value * scale
                segments.append(Segment(x, y + 20, width, 22, OUTCOME_COLOURS[name], str(OUTCOME_LABELS[name]), value))
                x += width
        bars.append(OutcomeBar(row.label, y + 14, row.lodged, x + 6, y + 36, segments))
        y += 58
    return OutcomeChart(CHART_WIDTH, max(int(y), 58), bars)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class Column:
    as_at: date
    x: float
    total: int
    segments: list[Segment]
    label_x: float
    labelled: bool


@dataclass(frozen=True)
class BacklogChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[Tick]
    columns: list[Column]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def backlog_chart(points: Sequence[BacklogPoint]) -> BacklogChart:
    """Columns, one per point, stacked by stage, with a scale of up to five steps."""
    left, right, top, height = 36, CHART_WIDTH - 22, 10, 240
    bottom = height - 30
    peak = nice_ceiling(max([p.total for p in points] + [1]))
    step = max(peak // 5, 1) if peak > 5 else 1
    scale = (bottom - top) / peak
    ticks = [Tick(bottom - v * scale, v) for v in range(0, peak + 1, step)]
    band = (right - left) / max(len(points), 1)
    every = max(math.ceil(len(points) / 5), 1)
    columns = []
    for n, point in enumerate(points):
        x, y, segments = left + n * band + band * 0.15, float(bottom), []
        for stage in STAGES:
            value = point.by_state.get(stage, 0)
            if value:
                y -= value * scale
                segments.append(Segment(x, y, band * 0.7, value * scale, STAGE_COLOURS[stage], str(stage.label), value))
        labelled = (len(points) - 1 - n) % every == 0  # the last column always has its date
        columns.append(Column(point.as_at, x, point.total, segments, left + n * band + band / 2, labelled))
    return BacklogChart(CHART_WIDTH, height, left, right, top, bottom, ticks, columns)


# Page and API --------------------------------------------------------------------------------


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
        return data

    def statistics(self) -> ProcessingStatistics:
        data = self.cleaned_data
        return processing_statistics(
            since=data.get("since"), until=data.get("until"), weeks=data.get("weeks") or DEFAULT_WEEKS
        )


def _page_context(stats: ProcessingStatistics) -> dict[str, Any]:
    tables = [
        {
            "id": "types",
            "heading": _("By licence type"),
            "caption": _("Outcomes and working days by licence type"),
            "first": _("Licence type"),
            "rows": stats.by_licence_type,
        },
        {
            "id": "countries",
            "heading": _("By investor country"),
            "note": _("The country where the applicant organisation is incorporated."),
            "caption": _("Outcomes and working days by investor country"),
            "first": _("Country"),
            "rows": stats.by_country,
        },
    ]
    return {
        "stats": stats,
        "stages": [(s.value, s.label, STAGE_COLOURS[s]) for s in STAGES],
        "outcomes": [(name, OUTCOME_LABELS[name], OUTCOME_COLOURS[name]) for name in OUTCOMES],
        "tables": tables,
        "outcome_chart": outcome_chart(stats.by_licence_type),
        "backlog_chart": backlog_chart(stats.backlog),
    }


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Processing times and outcomes, by licence type and investor country: charts and tables.
    A malformed window answers 400 with the form's messages."""
    query = StatisticsQuery(request.GET)
    if not query.is_valid():
        return render(request, "licensing/statistics.html", {"query": query}, status=400)
    return render(request, "licensing/statistics.html", {"query": query, **_page_context(query.statistics())})


class OutcomeRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=gettext_lazy("The licence type's code, or the country's ISO 3166 code; empty for all.")
    )
    label = serializers.CharField()
    lodged = serializers.IntegerField(help_text=gettext_lazy("Applications received in the window."))
    granted = serializers.IntegerField()
    refused = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    lapsed = serializers.IntegerField()
    pending = serializers.IntegerField(help_text=gettext_lazy("Still open."))
    decided = serializers.IntegerField(help_text=gettext_lazy("Granted or refused."))
    median_working_days = serializers.FloatField(
        source="median_days",
        allow_null=True,
        help_text=gettext_lazy("Median working days from receipt to decision; null with no decision."),
    )
    p90_working_days = serializers.IntegerField(
        source="p90_days",
        allow_null=True,
        help_text=gettext_lazy("90th percentile (nearest rank) of the working days from receipt to decision."),
    )
    within_target = serializers.IntegerField(
        help_text=gettext_lazy("Decisions with no stage past its published service time.")
    )
    within_target_share = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("within_target / decided, from 0 to 1; null with no decision.")
    )


class BacklogPointSerializer(serializers.Serializer):
    as_at = serializers.DateField(help_text=gettext_lazy("At the end of this day, Astana time."))
    by_state = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=gettext_lazy("Open applications in each stage, by state code."),
    )
    total = serializers.IntegerField()


class ProcessingStatisticsSerializer(serializers.Serializer):
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField()
    weeks = serializers.IntegerField()
    total = OutcomeRowSerializer()
    by_licence_type = OutcomeRowSerializer(many=True)
    by_country = OutcomeRowSerializer(many=True)
    backlog = BacklogPointSerializer(many=True)


class StatisticsView(APIView):
    """Processing statistics, as on the statistics page: for the applications received in the
    window, their outcomes and the working days from receipt to decision (median and 90th
    percentile, nearest rank), and the share decided with no stage past its published service
    time, in total, by licence type and by investor country; and the backlog of open
    applications by stage at the end of `until` and of each week before it. Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description=gettext_lazy("First day of receipt; from the start if absent.")
            ),
            OpenApiParameter(
                "until",
                OpenApiTypes.DATE,
                description=gettext_lazy("Last day of receipt, and of the backlog; today if absent."),
            ),
            OpenApiParameter(
                "weeks",
                OpenApiTypes.INT,
                description=gettext_lazy("Weeks of backlog, 1 to 104; 26 if absent."),
            ),
        ],
        responses={
            200: ProcessingStatisticsSerializer,
            400: OpenApiResponse(description=gettext_lazy("A malformed date or window.")),
        },
    )
    def get(self, request: Request) -> Response:
        # The page's form sends empty fields for "any"; an API caller who sends `until=` meant a
        # day and gave none, so it is refused rather than read as today.
        blank = [name for name in StatisticsQuery.base_fields if request.query_params.get(name, None) == ""]
        if blank:
            raise exceptions.ValidationError({name: [_("Give a value or leave the parameter out.")] for name in blank})
        query = StatisticsQuery(request.query_params)
        if not query.is_valid():
            errors = {
                "non_field_errors" if name == NON_FIELD_ERRORS else name: list(e) for name, e in query.errors.items()
            }
            raise exceptions.ValidationError(errors)
        return Response(ProcessingStatisticsSerializer(query.statistics()).data)
