"""The public processing-statistics page: SVG charts with the same numbers in tables."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from licensing.statistics.charts import OUTCOME_COLOURS, STAGE_COLOURS, backlog_chart, outcome_chart
from licensing.statistics.forms import StatisticsQuery
from licensing.statistics.selectors import (
    CACHE_SECONDS,
    OUTCOME_LABELS,
    OUTCOMES,
    STAGES,
    ProcessingStatistics,
)

# Page and API --------------------------------------------------------------------------------


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
        # The rendered numbers are kept with the numbers, under their key (the last event, the
        # language, the window), so a cached page is not drawn again.
        "cache_seconds": CACHE_SECONDS,
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
