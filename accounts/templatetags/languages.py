"""`{% in_language text %}`: an official's text (accounts.languages.Text) marked with the language
it is written in, and, where it is the English standing in for a missing translation, a note
saying so in the page's language."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("_in_language.html")
def in_language(text: Any, paragraph: bool = False) -> dict[str, Any]:
    """paragraph: the text is a block of its own (line breaks kept), not a phrase in a line."""
    return {
        "text": text,
        "lang": getattr(text, "lang", ""),
        "fallback": getattr(text, "fallback", False),
        "paragraph": paragraph,
    }
