"""Every user-visible string is translated into Russian and Kazakh."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from tests.po import messages

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


# What `make messages` scans: everything but these top-level folders (its --ignore list, plus
# what holds no source). Caches and compiled files are never copied.
NOT_SOURCE = {".git", ".venv", "node_modules", "var", "test-artifacts"}


def _copy_ignoring(folder: str, names: list[str]) -> set[str]:
    skipped = {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".mo", "_cache"))}
    if Path(folder) == ROOT:
        skipped |= NOT_SOURCE & set(names)
    return skipped


def _message_keys(po: Path) -> set[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every live message of a .po or .pot file."""
    return {(m.get("msgctxt"), m["msgid"], m.get("msgid_plural")) for m in messages(po)}


def _describe(keys: set[tuple[str | None, str, str | None]], limit: int = 20) -> str:
    shown = [f"  [{c}] {m!r}" if c else f"  {m!r}" for c, m, _p in sorted(keys, key=lambda k: (k[1], k[0] or ""))]
    return "\n".join(shown[:limit] + ([f"  … and {len(shown) - limit} more"] if len(shown) > limit else []))


def test_catalogues_hold_exactly_the_messages_of_the_source(tmp_path: Path) -> None:
    """A user-visible string added, changed or removed in the code or templates without
    `make messages` (and a translation) fails here. makemessages runs on a copy of the tree,
    so the working tree, its .po files included, is never touched."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed to extract the messages (apt-get install gettext)")
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=_copy_ignoring)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.test_settings")}
    command = [sys.executable, "manage.py", "makemessages", "--locale", "ru", "--keep-pot", "--no-obsolete"]
    for pattern in (".venv/*", "node_modules/*", "var/*"):  # as in the Makefile's `messages` target
        command += ["--ignore", pattern]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    source = _message_keys(copy / "locale" / "django.pot")
    assert len(source) > 100, "makemessages found almost no messages: is the copy of the tree complete?"
    for language in ("ru", "kk"):
        catalogue = _message_keys(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
        missing, stale = source - catalogue, catalogue - source
        assert not missing and not stale, (
            f"locale/{language}/LC_MESSAGES/django.po is out of date with the source: run `make messages`, "
            f"then translate what it adds.\nIn the source but not in the catalogue:\n{_describe(missing)}\n"
            f"In the catalogue but no longer in the source:\n{_describe(stale)}"
        )
