"""What a search of the claims finds, in Arabic or English: the one home of the rule, for the
claims pages (`?search=`) and the API (`/api/v1/claims/?search=`).

Every term of the query must be found, ignoring case and Arabic marks (claims.normalise), in a
claim's ref, province, locality (both scripts) or summary (both languages) (`Claim.search_text`,
which the database keeps), or in the public rationale (both languages) of one of its approved
assessments (`Assessment.search_text`). A term that names a place of the gazetteer (a word, or up
to a few words together: "Deir ez-Zor", "دير الزور") is found by any of the place's names, so
الموصل, Mosul, al-Mawsil and Mossul find the same claims. Plain substring matching (LIKE) on
normalised text: the same answer on SQLite and PostgreSQL.
"""

import operator
import re
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework.filters import search_smart_split

from .gazetteer import longest_name, names_matching
from .models import Assessment
from .normalise import normalised

DESCRIPTION = (
    "Words to find, in Arabic or English, in the claim's ref, place (province and locality, in "
    "both scripts), summary (both languages) or the public rationale of an approved assessment; "
    "every word must match. Case, Arabic diacritics and tatweel are ignored, أ/إ/آ match ا, ى "
    "matches ي and ة matches ه; a place's name finds it under any of its names (Mosul, "
    "al-Mawsil, Mossul, الموصل)."
)


def search_terms(text: str) -> list[frozenset[str]]:
    """The query's terms, each as the normalised strings any one of which satisfies it: a place's
    name (the longest run of words that is one) gives all of the place's names."""
    words = [word for word in search_smart_split(text) if word.strip()]
    terms, at = [], 0
    while at < len(words):
        for length in range(min(longest_name(), len(words) - at), 0, -1):
            names = names_matching(" ".join(words[at : at + length]))
            if names:
                terms.append(names)
                at += length
                break
        else:
            terms.append(frozenset({normalised(words[at])}))
            at += 1
    return terms


def _any(column: str, forms: frozenset[str]) -> Q:
    return reduce(operator.or_, (Q(**{f"{column}__contains": form}) for form in sorted(forms)))


# What no stored text holds (Django and PostgreSQL refuse both): a word with one finds nothing.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def claims_searched(queryset: QuerySet, text: str) -> QuerySet:
    """The claims of `queryset` that every term of `text` finds (module docstring)."""
    if _UNSTORABLE.search(text):
        return queryset.none()
    for forms in search_terms(text):
        rationales = Assessment.objects.counted().filter(
            _any("search_text", forms), claim=OuterRef("pk")
        )
        queryset = queryset.filter(_any("search_text", forms) | Exists(rationales))
    return queryset
