"""Reading gettext catalogues (.po, .pot) in tests, without a library."""

import ast
from collections.abc import Iterator
from pathlib import Path


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def messages(po: Path) -> Iterator[dict[str, str]]:
    """Every live message of a catalogue as {keyword: text}: msgctxt, msgid, msgid_plural, msgstr,
    msgstr[0], msgstr[1]… as present. The header, comments and obsolete (#~) entries are left out."""
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                if current is not None:
                    fields[current].append(line)
                continue
            current, _, rest = line.partition(" ")
            fields[current] = [rest]
        if "msgid" not in fields:
            continue
        message = {keyword: _string(lines) for keyword, lines in fields.items()}
        if message["msgid"] == "" and "msgctxt" not in message:
            continue  # the header
        yield message
