"""ISO 3166-1 alpha-2 country codes and English short names, from pycountry (its common name
where it has one: "Venezuela", not "Venezuela, Bolivarian Republic of"). The list is the contract
for the `country` field: the database constraint and the importer both check against it, so
upgrading pycountry may need a migration (makemigrations --check says so).
"""

import pycountry

COUNTRIES: dict[str, str] = dict(
    sorted((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries)
)

COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: item[1])
