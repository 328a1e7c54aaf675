"""Texts that officials write (a deposit's geology, a licence type's source, the confidentiality
agreement), kept in each language of the platform: English, Russian and Kazakh.

A translated text is three columns on its model, `<name>_en`, `<name>_ru` and `<name>_kk`
(`in_each_language` makes them), and one `InLanguage()` attribute named `<name>` that answers
in the active language. Where that language's version is empty it answers the English one,
marked: the `Text` it returns knows the language it is written in (for the `lang` attribute)
and whether it stands in for a missing translation (for the "not yet translated" note that
`templates/_in_language.html` shows).

The columns are laid out as django-modeltranslation lays them (the same names), so that moving
to it later is a registration, not a data migration. We do not use it now because the names
and summaries of deposits, commodities and licence types and the agreement's text were already
kept this way and are queried by column (ordering, indexes, imports, the API, open data): one
way for every translated text is worth more than a second way for the new ones.

It lives here, beside accounts.formatting, because every app renders such texts and the layers
contract lets no app import config.
"""

from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FALLBACK = "en"
LANGUAGE_NAMES = {"en": _("English"), "ru": _("Russian"), "kk": _("Kazakh")}
CONTENT_LANGUAGES = tuple(LANGUAGE_NAMES)


class Text(str):
    """A text with the language it is written in (`lang`) and whether it is the English
    version standing in for a translation not yet written (`fallback`)."""

    lang: str
    fallback: bool

    def __new__(cls, value: str = "", lang: str = FALLBACK, fallback: bool = False) -> "Text":
        text = super().__new__(cls, value)
        text.lang, text.fallback = lang, fallback
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), self.lang, self.fallback))


def active_language() -> str:
    language = (get_language() or FALLBACK)[:2]
    return language if language in CONTENT_LANGUAGES else FALLBACK


def text_in(instance: object, name: str, language: str) -> Text:
    """`instance`'s text `name` in `language`, or else in English (marked as standing in)."""
    value = getattr(instance, f"{name}_{language}", "") if language in CONTENT_LANGUAGES else ""
    if value or language == FALLBACK:
        return Text(value or "", language)
    english = getattr(instance, f"{name}_{FALLBACK}", "") or ""
    return Text(english, FALLBACK, fallback=bool(english))


class InLanguage:
    """`deposit.geology`: the text in the active language, falling back to English. Read only:
    write the column of the language meant (`geology_ru`)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return text_in(instance, self.name, active_language())

    def __set__(self, instance: object, value: object) -> None:
        raise AttributeError(f"{self.name} answers in the active language: set {self.name}_en, _ru or _kk instead")


def in_each_language(field: type[models.Field], verbose_name: Any, **options: Any) -> tuple[models.Field, ...]:
    """The English, Russian and Kazakh columns of one text, in that order:
    `geology_en, geology_ru, geology_kk = in_each_language(models.TextField, _("geology"), blank=True)`.
    Only English may be required (`required=True`): the others may wait for their translator."""
    required = options.pop("required", False)
    return tuple(
        field(
            format_lazy("{} ({})", verbose_name, LANGUAGE_NAMES[language]),
            blank=not (required and language == FALLBACK),
            **options,
        )
        for language in CONTENT_LANGUAGES
    )


def side_by_side(fields: Any) -> list[Any]:
    """An admin field list with each text's English, Russian and Kazakh columns joined into
    one row (a tuple, which the admin lays out side by side)."""
    rows: list[Any] = []
    fields = list(fields)
    i = 0
    while i < len(fields):
        field = fields[i]
        if isinstance(field, str) and field.endswith("_en"):
            row = (field, f"{field[:-3]}_ru", f"{field[:-3]}_kk")
            if tuple(fields[i : i + 3]) == row:
                rows.append(row)
                i += 3
                continue
        rows.append(field)
        i += 1
    return rows


class InEachLanguageAdmin:
    """A ModelAdmin or inline mixin: the three versions of each text side by side."""

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return side_by_side(super().get_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        return [
            (title, {**options, "fields": side_by_side(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)  # type: ignore[misc]
        ]
