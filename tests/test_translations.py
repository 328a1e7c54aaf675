"""Every user-visible string is translated into Russian and Kazakh."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("folder", "language"),
    [("locale", "ru"), ("locale", "kk"), ("locale_vendor", "kk")],  # locale_vendor: django-allauth in Kazakh
)
def test_catalogue_has_no_untranslated_or_fuzzy_message(folder: str, language: str) -> None:
    if not shutil.which("msgattrib"):
        pytest.fail("GNU gettext is needed to build the translations (apt-get install gettext)")
    po = ROOT / folder / language / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        leftover = subprocess.run(["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True)
        assert leftover.stdout == "", f"{language} {flag}:\n{leftover.stdout}"


@pytest.mark.parametrize(("language", "expected"), [("ru", "Месторождения"), ("kk", "Кен орындары")])
def test_compiled_catalogue_is_used(language: str, expected: str) -> None:
    with translation.override(language):
        assert translation.gettext("Deposits") == expected


def test_the_sign_in_pages_speak_kazakh(client) -> None:
    client.cookies["django_language"] = "kk"
    page = client.get("/accounts/login/").content.decode()
    assert "Құпиясөзді ұмыттыңыз ба?" in page and "Forgot your password?" not in page
