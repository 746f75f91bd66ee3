"""ISO 3166-1 alpha-2 country codes and English short names, from pycountry (its common name
where it has one: "Venezuela", not "Venezuela, Bolivarian Republic of"). The list is the contract
for the `country` field: the database constraint and the importer both check against it, so
upgrading pycountry may need a migration (makemigrations --check says so).

A country's name is shown in the reader's language (`country_name`): the project's catalogue
first (the campaign's countries, in the words of Arabic reporting: سوريا, not pycountry's
official "الجمهورية العربية السورية"), then pycountry's own translations (iso3166-1).
"""

import gettext
from functools import cache

import pycountry
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_noop

COUNTRIES: dict[str, str] = dict(
    sorted((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries)
)
# The campaign's countries, in the project's catalogue (locale/).
gettext_noop("Iraq")
gettext_noop("Syria")


@cache
def _pycountry_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1",
        pycountry.LOCALES_DIR,
        languages=[translation.to_locale(language)],
        fallback=True,
    )


def country_name(code: str) -> str:
    """The country's name in the active language: "Iraq", "العراق"."""
    name = COUNTRIES[code]
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return name
    translated = translation.gettext(name)
    if translated != name:
        return translated
    official = pycountry.countries.get(alpha_2=code).name
    return _pycountry_catalogue(language).gettext(official)


_country_name = lazy(country_name, str)
# English-sorted (a stable order for the schema); each label follows the reader's language.
COUNTRY_CHOICES = [
    (code, _country_name(code)) for code, _ in sorted(COUNTRIES.items(), key=lambda item: item[1])
]
