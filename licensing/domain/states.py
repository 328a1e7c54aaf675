"""The application's state machine, once: for each action, the states it may be taken from and
the states it leads to. The services check it before they act and the workbench offers exactly
the actions it allows; `licensing.workflow` is the only writer of the state field.

States are the values of `ApplicationState` (the database's words), kept here as plain strings
so that the rules stay pure."""

from dataclasses import dataclass

DRAFT = "draft"
LODGED = "lodged"
UNDER_REVIEW = "under_review"
INFO_REQUESTED = "info_requested"
OBJECTION_PERIOD = "objection_period"
ASSESSMENT = "assessment"
SCREENING = "screening"
RECOMMENDED = "recommended"
GRANTED = "granted"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"

CLOSED = frozenset({GRANTED, REFUSED, WITHDRAWN, LAPSED})
OPEN = frozenset({LODGED, UNDER_REVIEW, INFO_REQUESTED, OBJECTION_PERIOD, ASSESSMENT, SCREENING, RECOMMENDED})


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    targets: frozenset[str] = frozenset()  # empty: the application stays in its state


def _step(sources: set[str], targets: set[str] | None = None) -> Step:
    return Step(frozenset(sources), frozenset(targets or ()))


TRANSITIONS: dict[str, Step] = {
    # the applicant
    "edit": _step({DRAFT}),
    "lodge": _step({DRAFT}, {LODGED}),
    "answer": _step({INFO_REQUESTED}, {UNDER_REVIEW, ASSESSMENT}),
    # Not a draft: it was never lodged, has no priority, and the database holds every
    # application past the draft to one.
    "withdraw": _step(OPEN, {WITHDRAWN}),
    # anyone signed in
    "object": _step({OBJECTION_PERIOD}),
    # officials, on the workbench
    "accept": _step({LODGED}, {UNDER_REVIEW}),
    "request-info": _step({LODGED, UNDER_REVIEW, ASSESSMENT}, {INFO_REQUESTED}),
    "publish-notice": _step({UNDER_REVIEW}, {OBJECTION_PERIOD}),
    "close-objections": _step({OBJECTION_PERIOD}, {ASSESSMENT}),
    "assess": _step({ASSESSMENT}),
    "refer-screening": _step({ASSESSMENT}, {SCREENING}),
    "screening-result": _step({SCREENING}, {ASSESSMENT}),
    "recommend": _step({ASSESSMENT}, {RECOMMENDED}),
    "decide": _step({RECOMMENDED}, {GRANTED, REFUSED}),
    "assign": _step(OPEN),
    # the daily task
    "lapse": _step({INFO_REQUESTED}, {LAPSED}),
}

# The case actions the workbench offers, in the order it shows them.
WORKBENCH_ACTIONS = [
    "accept",
    "publish-notice",
    "close-objections",
    "assess",
    "refer-screening",
    "screening-result",
    "recommend",
    "decide",
    "request-info",
]


def sources(action: str) -> frozenset[str]:
    """The states `action` may be taken from."""
    return TRANSITIONS[action].sources


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action].sources


def workbench_actions(state: str) -> list[str]:
    """The workbench's actions the table allows from `state` (roles are checked apart)."""
    return [action for action in WORKBENCH_ACTIONS if allowed(action, state)]
