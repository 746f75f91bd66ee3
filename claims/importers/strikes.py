"""Strikes as the belligerent recorded them: one row a strike."""

from ..models import Strike
from .base import Importer, Row, max_lengths, plural, values_in
from .located import LOCATION_FIELDS, Belligerents, location_values
from .writer import Spool

_LIMITS = max_lengths(Strike)
# What a row writes, in the order the importer lists the values.
_FIELDS = (
    "strike_ref",
    "date",
    "target",
    "munition",
    "engagements",
    "source_url",
    *LOCATION_FIELDS,
    "belligerent",
)


class StrikeImporter(Importer):
    kind = "strikes"
    columns = (
        "strike_ref",
        "date",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "belligerent",
        "target",
        "munition",
        "engagements",
        "source_url",
        "precision",
    )
    required = frozenset({"strike_ref", "date", "country", "belligerent"})
    read_only = ("belligerent_id", "claim_refs", "url", "api_url")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.belligerents = Belligerents()
        self.strikes = Spool()  # each row's values: _FIELDS, the belligerent's key last
        self.row_of_ref: dict[str, int] = {}

    def parse(self, row: Row) -> None:
        ref = row.ref("strike_ref", required=True, max_length=_LIMITS["strike_ref"])
        if ref in self.row_of_ref:
            row.error("strike_ref", f"duplicate strike ref (first on row {self.row_of_ref[ref]}).")
        elif ref:
            self.row_of_ref[ref] = row.number
        engagements = row.count("engagements")
        if engagements == 0:
            row.error("engagements", "a strike has at least 1 engagement.")
        day = row.date("date", required=True)
        belligerent = self.belligerents.get(row, required=True)
        self.strikes.append(
            (
                ref,
                day and day.isoformat(),
                row.text("target", max_length=_LIMITS["target"]),
                row.text("munition", max_length=_LIMITS["munition"]),
                engagements or 1,
                row.url("source_url", max_length=_LIMITS["source_url"]),
                *location_values(row),
                belligerent,
            )
        )

    def check(self) -> None:
        for (ref,) in values_in(Strike.objects, "strike_ref", self.row_of_ref, "strike_ref"):
            self.errors.add(
                self.row_of_ref[ref],
                "a strike with this ref is already in the database.",
                column="strike_ref",
                value=ref,
            )

    def write(self) -> None:
        self.report(
            f"{self.file_name}: writing {plural(len(self.belligerents.new), 'new belligerent')}"
        )
        self.belligerents.write(self.writer)
        self.report(f"{self.file_name}: writing {plural(len(self.strikes), 'strike')}")
        pk = self.belligerents.pk
        for batch in self.strikes.batches():
            rows = [(*values[:-1], pk(values[-1])) for values in batch]
            self.writer.insert(Strike, _FIELDS, rows)
            self.wrote(len(rows))

    def counts(self) -> dict[str, int]:
        return {"strikes": len(self.strikes), "belligerents": len(self.belligerents.new)}

    def planned(self) -> str:
        return plural(len(self.strikes), "strike")

    def summary(self) -> str:
        return f"Imported {self.planned()} from {self.file_name} ({self.belligerents.described()})."
