"""The registry of the kinds of change of title.

A kind is one module (`extension.py`, `surrender.py`, `relinquishment.py`, `transfer.py`) that
builds a `Kind` and calls `register(...)` at import; its module path is listed in `KIND_MODULES`
so the registry imports it the first time it is asked. The lodging and deciding services in
`licensing.titles.services` are the same for every kind; a kind says only:

- `fields`: the TitleChange fields its lodgement takes from the caller's keyword arguments
  (e.g. `("extension_years",)`); any other keyword is refused.
- `prepare(*, licence, change) -> None`: fill derived fields of the unsaved change (e.g. the
  new expiry) from those; called before `problems` at lodgement. Optional.
- `problems(*, licence, change) -> list[str]`: why this change may not be made on this licence
  now, as translated sentences (empty: it may). Checked at lodgement (the change not yet saved,
  the licence row locked) and again when an official approves (the change saved, with its
  documents). Reads only; never writes.
- `apply(*, actor, change, now) -> None`: the effect of an approval, inside the decision's
  transaction with the licence row locked (and the priority counter locked before it, the
  order expiry and grants use, so a kind may free ground through
  `licensing.ground.services.ground_open`). It issues the licence's new certificate version
  with `licensing.licences.services.certificate_issue` and the matching `CertificateReason`.
  The change's state is set by the service after it.
- `initial_state`: the state a lodged change starts in (a transfer waits for the transferee).
- `document`: when set, the lodgement must carry at least one document, and this is the
  description given to it (e.g. "Final report").
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from licensing.models import Licence, TitleChange, TitleChangeKind, TitleChangeState

# One line per kind module (each adds its own line).
KIND_MODULES: tuple[str, ...] = (
    "licensing.titles.extension",
    "licensing.titles.surrender",
    "licensing.titles.transfer",
    "licensing.titles.relinquishment",
)

Problems = Callable[..., list[str]]
Apply = Callable[..., None]


def _nothing_to_prepare(*, licence: Licence, change: TitleChange) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    kind: TitleChangeKind
    problems: Problems
    apply: Apply
    fields: tuple[str, ...] = ()
    prepare: Callable[..., None] = _nothing_to_prepare
    initial_state: TitleChangeState = TitleChangeState.UNDER_REVIEW
    document: Any = None  # a lazy translation, or None when no document is required

    @property
    def label(self) -> Any:
        return self.kind.label


_KINDS: dict[str, Kind] = {}
_loaded = False


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (its module calls this once, at import)."""
    existing = _KINDS.get(kind.kind.value)
    if existing is not None and existing != kind:
        raise ValueError(f"change of title kind {kind.kind.value} is registered twice, differently")
    _KINDS[kind.kind.value] = kind
    return kind


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in KIND_MODULES:
            importlib.import_module(module)
        _loaded = True


def get(kind: str) -> Kind:
    """The registered kind, or ValidationError (field `kind`) when it is not one that can be lodged."""
    _load()
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValidationError({"kind": [_("This kind of change of title cannot be lodged here.")]}) from None


def registered() -> list[Kind]:
    """Every kind that can be lodged, in the order of TitleChangeKind."""
    _load()
    return [_KINDS[k] for k in TitleChangeKind.values if k in _KINDS]
