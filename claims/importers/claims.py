"""Claims of civilian harm: one row a claim, linked to strikes already in the database."""

from ..definitions import SourceType
from ..models import Claim, Strike
from .base import BATCH_SIZE, Importer, Row, max_lengths, plural, values_in
from .located import Belligerents, location_fields

_LIMITS = max_lengths(Claim)
_BREAKDOWN = ("killed_children", "killed_women", "killed_men")
_SOURCE_TYPES = tuple(SourceType.values)


class ClaimImporter(Importer):
    kind = "claims"
    columns = (
        "claim_ref",
        "received_on",
        "incident_date",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "source_type",
        "source_name",
        "source_url",
        "civilians_killed_min",
        "civilians_killed_max",
        "civilians_injured_min",
        "civilians_injured_max",
        "strike_refs",
        "belligerent",
        "summary",
        "confidential_notes",
        "precision",
        *_BREAKDOWN,
    )
    required = frozenset({"claim_ref", "received_on", "incident_date", "country", "source_type"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.belligerents = Belligerents()
        self.row_of_ref: dict[str, Row] = {}
        # Each claim with its row and the refs of the strikes it names.
        self.claims: list[tuple[Claim, Row, list[str]]] = []
        self.links: list = []

    def parse(self, row: Row) -> None:
        ref = row.ref("claim_ref", required=True, max_length=_LIMITS["claim_ref"])
        if ref in self.row_of_ref:
            first = self.row_of_ref[ref].number
            row.error("claim_ref", f"duplicate claim ref (first on row {first}).")
        elif ref:
            self.row_of_ref[ref] = row
        received_on = row.date("received_on", required=True)
        incident_date = row.date("incident_date", required=True)
        if received_on and incident_date and incident_date > received_on:
            row.error(
                "incident_date",
                f"the incident date is after the date received ({received_on.isoformat()}).",
            )
        killed_min, killed_max = row.count_range("civilians_killed_min", "civilians_killed_max")
        injured_min, injured_max = row.count_range("civilians_injured_min", "civilians_injured_max")
        breakdown = {column: row.count(column) for column in _BREAKDOWN}
        killed = sum(count or 0 for count in breakdown.values())
        if killed_max is not None and killed > killed_max:
            parts = " + ".join(f"{breakdown[c] or 0:,}" for c in _BREAKDOWN)
            row.error(
                "civilians_killed_max",
                f"the children, women and men killed ({parts} = {killed:,}) are more than "
                "the maximum killed.",
            )
        claim = Claim(
            claim_ref=ref,
            received_on=received_on,
            incident_date=incident_date,
            source_type=row.choice("source_type", _SOURCE_TYPES, name="source type", required=True),
            source_name=row.text("source_name", max_length=_LIMITS["source_name"]),
            source_url=row.url("source_url", max_length=_LIMITS["source_url"]),
            civilians_killed_min=killed_min,
            civilians_killed_max=killed_max,
            civilians_injured_min=injured_min,
            civilians_injured_max=injured_max,
            belligerent=self.belligerents.get(row, required=False),
            summary=row.value("summary"),
            confidential_notes=row.value("confidential_notes"),
            **breakdown,
            **location_fields(row),
        )
        self.claims.append((claim, row, row.tokens("strike_refs")))

    def check(self) -> None:
        for (ref,) in values_in(Claim.objects, "claim_ref", self.row_of_ref, "claim_ref"):
            self.row_of_ref[ref].error(
                "claim_ref", "a claim with this ref is already in the database."
            )
        named = {ref for _, _, refs in self.claims for ref in refs}
        strike_ids = dict(values_in(Strike.objects, "strike_ref", named, "strike_ref", "id"))
        Link = Claim.strikes.through
        for claim, row, refs in self.claims:
            unknown = [ref for ref in refs if ref not in strike_ids]
            if unknown:
                quoted = ", ".join(f'"{ref}"' for ref in unknown)
                row.error(
                    "strike_refs",
                    f"no strike with ref {quoted} in the database."
                    if len(unknown) == 1
                    else f"no strikes with refs {quoted} in the database.",
                )
            self.links.extend(
                Link(claim=claim, strike_id=strike_ids[ref]) for ref in refs if ref in strike_ids
            )

    def write(self) -> None:
        claims = [claim for claim, _, _ in self.claims]
        self.report(
            f"{self.file_name}: writing {plural(len(self.belligerents.new), 'new belligerent')}"
        )
        self.belligerents.write(self.create)
        self.report(f"{self.file_name}: writing {plural(len(claims), 'claim')}")
        self.create(Claim, claims)
        self.report(f"{self.file_name}: writing {plural(len(self.links), 'strike link')}")
        Claim.strikes.through.objects.bulk_create(self.links, batch_size=BATCH_SIZE)

    def counts(self) -> dict[str, int]:
        return {
            "claims": len(self.claims),
            "belligerents": len(self.belligerents.new),
            "strike_links": len(self.links),
        }

    def planned(self) -> str:
        return plural(len(self.claims), "claim")

    def summary(self) -> str:
        return (
            f"Imported {self.planned()} from {self.file_name} "
            f"({self.belligerents.described()}, {plural(len(self.links), 'strike link')})."
        )
