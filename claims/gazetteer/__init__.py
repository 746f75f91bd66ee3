"""The gazetteer shipped with the project: every governorate of Iraq and Syria and the towns the
records name, each with its Arabic name and usual transliterations (places.csv; sources and how to
add a place: docs/gazetteer.md).

The one home of what a place is called: the importer stores a governorate's canonical name
(`canonical_province`), the province filter accepts any of its names, the pages show a place's
Arabic name (`arabic_name`), and the search expands a known name to all of a place's names
(`names_matching`).
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..normalise import normalised

DATA = Path(__file__).with_name("places.csv")
GOVERNORATE, TOWN = "governorate", "town"
# What a name's key ignores: case, marks (normalised()), spaces, hyphens, apostrophes.
_SEPARATORS = re.compile(r"[\s\-'`‘’]+")
_ARTICLE = "ال"


def key_of(name: str) -> str:
    """A name as looked up: "Al-Mawsil", "al mawsil" and "AL-MAWSIL" have one key, and so have
    "Şalāḩ ad Dīn" and "Salah ad-Din" (every combining mark dropped: ISO 3166-2's cedillas too)."""
    marks = unicodedata.normalize("NFKD", normalised(name))
    bare = "".join(c for c in marks if not unicodedata.combining(c))
    return _SEPARATORS.sub("", unicodedata.normalize("NFC", normalised(bare)))


@dataclass(frozen=True)
class Place:
    country: str
    kind: str
    name: str  # the canonical (English) name: what the records store for a governorate
    name_ar: str
    governorate: str  # a town's governorate; "" for a governorate
    variants: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.name_ar, *self.variants)

    def search_forms(self) -> frozenset[str]:
        """The normalised strings whose presence in a text names this place: each name as
        written, with spaces for hyphens, run together, and an Arabic name of four or more
        letters without its article too (للموصل "to Mosul" does not contain الموصل)."""
        forms = set()
        for name in self.names:
            form = normalised(name)
            forms |= {form, form.replace("-", " "), form.replace("-", "")}
            if form.startswith(_ARTICLE) and len(form) - len(_ARTICLE) >= 4:
                forms.add(form.removeprefix(_ARTICLE))
        return frozenset(form for form in forms if form.strip())


@cache
def places() -> tuple[Place, ...]:
    with DATA.open(encoding="utf-8", newline="") as file:
        return tuple(
            Place(
                country=row["country"],
                kind=row["kind"],
                name=row["name"],
                name_ar=row["name_ar"],
                governorate=row["governorate"],
                variants=tuple(v.strip() for v in row["variants"].split(";") if v.strip()),
            )
            for row in csv.DictReader(file)
        )


@cache
def _by_key() -> dict[str, tuple[Place, ...]]:
    """Every name's key -> the places it names (a town named like its governorate: both)."""
    found: dict[str, list[Place]] = {}
    for place in places():
        for name in place.names:
            key = key_of(name)
            # An Arabic name without its article too, as search_forms() (موصل, الموصل).
            bare = key.removeprefix(_ARTICLE) if len(key) - len(_ARTICLE) >= 4 else key
            for each in {key, bare}:
                at = found.setdefault(each, [])
                if place not in at:
                    at.append(place)
    return {key: tuple(named) for key, named in found.items()}


def places_named(name: str) -> tuple[Place, ...]:
    return _by_key().get(key_of(name), ())


def canonical_province(name: str, country: str = "") -> str:
    """The governorate's canonical name if `name` is one of its names ("Nineveh" -> "Ninawa"),
    else `name` as given. With `country`, only that country's governorates."""
    for place in places_named(name):
        if place.kind == GOVERNORATE and country in ("", place.country):
            return place.name
    return name


def province_names(name: str) -> tuple[str, ...]:
    """Every spelling a record may have stored for the governorate called `name` (before the
    importer stored canonical names): the filter's values; just `name` if it is unknown."""
    for place in places_named(name):
        if place.kind == GOVERNORATE:
            return place.names
    return (name,)


def arabic_name(name: str) -> str:
    """The Arabic name of the place called `name` (any of its names), or ""."""
    named = places_named(name)
    return named[0].name_ar if named else ""


def names_matching(words: str) -> frozenset[str]:
    """The search forms of every place `words` names (empty if none)."""
    forms: set[str] = set()
    for place in places_named(words):
        forms |= place.search_forms()
    return frozenset(forms)


def longest_name() -> int:
    """The most words in one of the gazetteer's names (the search joins up to this many)."""
    return max(len(name.split()) for place in places() for name in place.names)
