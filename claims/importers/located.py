"""What strikes and claims files share: a place, and a belligerent matched by name."""

from decimal import ROUND_HALF_EVEN, Decimal

from ..countries import COUNTRIES
from ..definitions import Precision
from ..gazetteer import canonical_province
from ..models import Belligerent, Located
from .base import Row, max_lengths, plural
from .writer import Writer

_LIMITS = max_lengths(Located)
_BELLIGERENT_NAME_LENGTH = Belligerent._meta.get_field("name").max_length
# The database keeps six decimal places (about 0.1 m); more precise input is rounded to them.
_MICRODEGREE = Decimal("0.000001")
_PRECISIONS = tuple(Precision.values)  # `.values` builds a new list on each call


def _coordinate(row: Row, column: str, limit: int) -> str | None:
    """The coordinate as the database keeps it (text: a Decimal pickles slowly)."""
    number = row.decimal(column)
    if number is None:
        return None
    if not -limit <= number <= limit:
        row.error(column, f"{column} must be between -{limit} and {limit}.")
        return None
    return format(number.quantize(_MICRODEGREE, rounding=ROUND_HALF_EVEN), "f")


# The `Located` fields, in the order `location_values` gives them.
LOCATION_FIELDS = ("country", "province", "locality", "latitude", "longitude", "precision")


def location_values(row: Row) -> tuple:
    """The `Located` fields of a row (LOCATION_FIELDS): country, province, locality,
    coordinates, precision."""
    country = row.text("country", required=True).upper()
    if country and country not in COUNTRIES:
        row.error("country", "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY).")
    # One name a governorate (claims.gazetteer): "Nineveh" is stored as "Ninawa".
    province = canonical_province(row.text("province", max_length=_LIMITS["province"]), country)
    locality = row.text("locality", max_length=_LIMITS["locality"])
    latitude = _coordinate(row, "latitude", 90)
    longitude = _coordinate(row, "longitude", 180)
    for given, missing in (("latitude", "longitude"), ("longitude", "latitude")):
        if row.value(given) and not row.value(missing):
            row.error(missing, "give both latitude and longitude, or neither.")
    precision = row.choice("precision", _PRECISIONS, name="precision")
    if not precision:
        precision = derived_precision(
            has_coordinates=latitude is not None and longitude is not None,
            locality=locality,
            province=province,
        )
    return country, province, locality, latitude, longitude, precision


def derived_precision(*, has_coordinates: bool, locality: str, province: str) -> str:
    """How precise a place is when the file does not say.

    Coordinates given with a locality are usually the locality's centre, not the point struck.
    """
    if has_coordinates:
        return Precision.LOCALITY if locality else Precision.EXACT
    if locality:
        return Precision.LOCALITY
    if province:
        return Precision.PROVINCE
    return Precision.COUNTRY


class Belligerents:
    """Belligerents by name, matched case-insensitively; a new name becomes a new belligerent."""

    def __init__(self):
        # A reference table of a handful of rows: one query, matched in Python.
        self._pk_by_key = {
            name.lower(): pk for pk, name in Belligerent.objects.values_list("pk", "name")
        }
        self.new: dict[str, str] = {}  # name by key, in the order first named

    def get(self, row: Row, *, required: bool) -> str | None:
        """The key of the row's belligerent (its name in lower case), for `pk()` once written."""
        name = row.text("belligerent", required=required, max_length=_BELLIGERENT_NAME_LENGTH)
        if not name:
            return None
        key = name.lower()
        if key not in self._pk_by_key and key not in self.new:
            self.new[key] = name
        return key

    def pk(self, key: str | None) -> int | None:
        return None if key is None else self._pk_by_key[key]

    def described(self) -> str:
        return plural(len(self.new), "new belligerent") if self.new else "no new belligerents"

    def write(self, writer: Writer) -> None:
        pks = writer.insert(Belligerent, ["name"], [(name,) for name in self.new.values()])
        self._pk_by_key.update(zip(self.new, pks, strict=True))
