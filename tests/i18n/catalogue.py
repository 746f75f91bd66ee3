"""A few lines that read a gettext catalogue (.po): its entries with their references and flags
(polib is not a dependency)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARABIC = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"

# Where the public site's words come from: every template a reader sees, and the Python modules
# whose strings reach a public page, chart, map or the API's labels. The admin's are not here.
PUBLIC_SOURCES = (
    re.compile(r"^templates/(?!admin/|drf_spectacular/)[^ ]+\.html$"),
    re.compile(
        r"^(claims/(definitions|pages|forms|map|countries)"
        r"|reports/(catalogue|definitions|narrative|comparison|periods|views/\w+)"
        r"|casualty_tracker/(languages|errors))\.py$"
    ),
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_public(self) -> bool:
        return any(p.match(ref) for ref in self.references for p in PUBLIC_SOURCES)

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def entries(path: Path = ARABIC) -> list[Entry]:
    """The catalogue's entries, the header (msgid "") left out."""
    found, entry, key = [], Entry(), None

    def close():
        nonlocal entry
        if entry.msgid or entry.msgstr:
            found.append(entry)
        entry = Entry()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            key = None
        elif line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#:"):
            entry.references += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
        else:
            name, _, value = line.partition(" ")
            key = name
            _append(entry, key, ast.literal_eval(value), start=True)
    return [e for e in found if e.msgid and not e.obsolete]


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key == "msgid":
        entry.msgid += text
    elif key == "msgid_plural":
        entry.msgid_plural += text
    elif key == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif key.startswith("msgstr"):
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
