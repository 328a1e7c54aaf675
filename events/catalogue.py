"""The catalogue of event types: every type any app records, declared once, where its app lives.

Each app declares its types in its own `events.py` (this app's and accounts' in
`events/types.py`), imported from its AppConfig.ready(); this lower layer never imports the
apps above it. `record_event` refuses a type nobody declared.

An event type says who may learn of it (its audience) and, when partners may, which payload
fields may leave the system. Webhooks carry partner-visible types only (`public` and
`partners`), and of those only the declared fields, a link to the subject's resource and the
schema version `SCHEMA`. Internal and parties' events never leave, whatever a subscription
names.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The version of the webhook body (events.channels.webhook_body). A change that removes or
# renames a field is a new version; adding a declared field is not.
SCHEMA = "ashyqken.events/1"
# A subscription to every partner-visible type.
EVERYTHING = "*"


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal (officials only)")
    PARTIES = "parties", _("The parties (people involved, in-app and email)")
    PUBLIC = "public", _("Public (shown on the public register)")
    PARTNERS = "partners", _("Partners (partner systems by webhook)")


PARTNER_VISIBLE = frozenset({Audience.PUBLIC, Audience.PARTNERS})


@dataclass(frozen=True)
class EventType:
    """One kind of event. `subject` is the model the event is about ("app_label.model", or ""
    for none); `fields` the payload keys a partner may receive (partner-visible types only)."""

    name: str
    label: Any  # a lazy translation
    audience: Audience
    subject: str = ""
    fields: tuple[str, ...] = ()
    app: str = ""

    @property
    def partner_visible(self) -> bool:
        return self.audience in PARTNER_VISIBLE


class UndeclaredEventType(LookupError):
    """An event of a type the catalogue does not hold was recorded (or subscribed to)."""


_TYPES: dict[str, EventType] = {}
# Model label ("licensing.application") → the path of the object's API resource (or page).
_LINKS: dict[str, Callable[[models.Model], str]] = {}


def declare(app: str, *types: EventType) -> None:
    """Declare the event types `app` records. A second declaration of the same name must be
    the same declaration (ready() may run twice in tests), never a different one."""
    for event_type in types:
        if event_type.fields and not event_type.partner_visible:
            raise ValueError(f"{event_type.name}: only public and partner events declare partner fields")
        declared = EventType(**{**event_type.__dict__, "app": app})
        existing = _TYPES.get(declared.name)
        if existing is not None and existing != declared:
            raise ValueError(f"event type {declared.name} is declared twice, differently ({existing.app}, {app})")
        _TYPES[declared.name] = declared


def get(name: str) -> EventType:
    """The declared type, or UndeclaredEventType with a message saying what to do."""
    try:
        return _TYPES[name]
    except KeyError:
        raise UndeclaredEventType(
            f"event type {name!r} is not declared: declare it (events.catalogue.declare) in the events.py "
            "of the app that records it, with its label, subject, audience and partner fields"
        ) from None


def is_declared(name: str) -> bool:
    return name in _TYPES


def types() -> list[EventType]:
    """Every declared type, by name."""
    return sorted(_TYPES.values(), key=lambda t: t.name)


def partner_visible() -> list[EventType]:
    return [t for t in types() if t.partner_visible]


def label(name: str) -> Any:
    event_type = _TYPES.get(name)
    return event_type.label if event_type is not None else name


# Webhook subscriptions -----------------------------------------------------------------------


def subscription_problems(names: object) -> list[str]:
    """Why this list of event types may not be a webhook subscription (empty when it may):
    it must be a list of names of partner-visible types, or "*" for all of them."""
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        return [gettext('Give a list of event types, e.g. ["application.lodged"], or ["*"] for all of them.')]
    problems = []
    for name in names:
        if name == EVERYTHING:
            continue
        event_type = _TYPES.get(name)
        if event_type is None:
            problems.append(gettext("%(type)s is not an event type (see /developers/events/).") % {"type": name})
        elif not event_type.partner_visible:
            problems.append(
                gettext("%(type)s is an internal event type: it is never sent to partners.") % {"type": name}
            )
    return problems


def subscribed(names: Iterable[str], event_type: str) -> bool:
    """Whether a subscription (a stored list, checked or not) receives `event_type`: only ever a
    partner-visible type, named or covered by "*"."""
    declared = _TYPES.get(event_type)
    if declared is None or not declared.partner_visible:
        return False
    names = list(names)
    return EVERYTHING in names or event_type in names


# What leaves the system ----------------------------------------------------------------------


def register_link(model_label: str, link: Callable[[models.Model], str]) -> None:
    """How to name the resource of an object of `model_label` (its API path, or its public page
    where the API has none), for webhook bodies."""
    _LINKS[model_label] = link


def link_for(model_label: str, subject: models.Model | None) -> str:
    """The path of the subject's resource, or "" when there is none."""
    link = _LINKS.get(model_label)
    return link(subject) if link is not None and subject is not None else ""


def partner_data(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The declared partner fields of the payload, and nothing else."""
    declared = get(event_type)
    if not declared.partner_visible:
        return {}
    return {key: payload[key] for key in declared.fields if key in payload}
