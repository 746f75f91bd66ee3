"""Which language a record's text is shown in: the one home of the fallback rule.

A record's optional Arabic fields (`locality_ar`, `summary_ar`, an assessment's `rationale_ar`)
are shown on Arabic pages (`get_language() == "ar"`); where one is empty the English text is
shown instead, marked "(English)" so that a reader knows it is not a translation. Other pages
show the English fields. Pages call it through the `bilingual` template filters.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

from .gazetteer import arabic_name

ARABIC = "ar"


def page_language() -> str:
    """The language records are shown in on the page being made: "ar" or "en"."""
    return ARABIC if (get_language() or "").split("-")[0] == ARABIC else "en"


@dataclass(frozen=True)
class Shown:
    text: str
    language: str  # "ar" or "en": the page marks the text with lang and dir
    fallback: bool = False  # the English text on an Arabic page

    def __str__(self):
        return self.text


def text_in(record, field: str, language: str) -> Shown:
    """`record.<field>` in `language`: `<field>_ar` on Arabic pages when it is not empty, the
    English field (a fallback) where it is; on other pages the English field (the Arabic one
    where only it was recorded)."""
    english = getattr(record, field) or ""
    arabic = getattr(record, f"{field}_ar", "") or ""
    if language != ARABIC:
        # A text recorded only in Arabic (a victim's name) is shown as it is.
        return Shown(english, "en") if english or not arabic else Shown(arabic, ARABIC)
    if arabic:
        return Shown(arabic, ARABIC)
    return Shown(english, "en", fallback=bool(english))


def place_in(location, language: str) -> Shown:
    """A place as published (claims.public.Location: locality, locality_ar, province, place) in
    `language`. Arabic: the Arabic locality, or the gazetteer's Arabic names of the locality and
    province; where a part has none, the English place, marked as a fallback."""
    if language != ARABIC:
        return Shown(location.place, "en")
    locality = location.locality_ar or arabic_name(location.locality)
    parts = [(locality, location.locality), (arabic_name(location.province), location.province)]
    if any(arabic for arabic, _ in parts) and all(
        arabic or not english for arabic, english in parts
    ):
        return Shown("، ".join(arabic for arabic, _ in parts if arabic), ARABIC)
    return Shown(location.place, "en", fallback=bool(location.locality or location.province))


def place_text_in(place: str, language: str) -> Shown:
    """A place already written out ("Mosul, Ninawa": the rows of a month's lists, frozen when
    published) in `language`: on Arabic pages each part's Arabic name from the gazetteer; where a
    part has none, the English text, marked as a fallback."""
    if language != ARABIC or not place:
        return Shown(place, "en")
    arabic = [arabic_name(part.strip()) for part in place.split(",")]
    if all(arabic):
        return Shown("، ".join(arabic), ARABIC)
    return Shown(place, "en", fallback=True)
