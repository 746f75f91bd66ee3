"""Strikes as the belligerent recorded them: one row a strike."""

from ..models import Strike
from .base import Importer, Row, max_lengths, plural, values_in
from .located import Belligerents, location_fields

_LIMITS = max_lengths(Strike)


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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.belligerents = Belligerents()
        self.strikes: list[Strike] = []
        self.row_of_ref: dict[str, Row] = {}

    def parse(self, row: Row) -> None:
        ref = row.ref("strike_ref", required=True, max_length=_LIMITS["strike_ref"])
        if ref in self.row_of_ref:
            row.error(
                "strike_ref", f"duplicate strike ref (first on row {self.row_of_ref[ref].number})."
            )
        elif ref:
            self.row_of_ref[ref] = row
        engagements = row.count("engagements")
        if engagements == 0:
            row.error("engagements", "a strike has at least 1 engagement.")
        self.strikes.append(
            Strike(
                strike_ref=ref,
                date=row.date("date", required=True),
                belligerent=self.belligerents.get(row, required=True),
                target=row.text("target", max_length=_LIMITS["target"]),
                munition=row.text("munition", max_length=_LIMITS["munition"]),
                engagements=engagements or 1,
                source_url=row.url("source_url", max_length=_LIMITS["source_url"]),
                **location_fields(row),
            )
        )

    def check(self) -> None:
        for (ref,) in values_in(Strike.objects, "strike_ref", self.row_of_ref, "strike_ref"):
            self.row_of_ref[ref].error(
                "strike_ref", "a strike with this ref is already in the database."
            )

    def write(self) -> None:
        self.report(
            f"{self.file_name}: writing {plural(len(self.belligerents.new), 'new belligerent')}"
        )
        self.belligerents.write(self.create)
        self.report(f"{self.file_name}: writing {plural(len(self.strikes), 'strike')}")
        self.create(Strike, self.strikes)

    def counts(self) -> dict[str, int]:
        return {"strikes": len(self.strikes), "belligerents": len(self.belligerents.new)}

    def planned(self) -> str:
        return plural(len(self.strikes), "strike")

    def summary(self) -> str:
        return f"Imported {self.planned()} from {self.file_name} ({self.belligerents.described()})."
