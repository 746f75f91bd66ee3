"""Claims of civilian harm: one row a claim, linked to strikes already in the database."""

from ..definitions import LocationDisclosure, SourceType, default_location_disclosure
from ..models import Claim, Strike
from .base import Importer, Row, max_lengths, plural, values_in
from .located import LOCATION_FIELDS, Belligerents, location_values
from .writer import Spool

_LIMITS = max_lengths(Claim)
_BREAKDOWN = ("killed_children", "killed_women", "killed_men")
_SOURCE_TYPES = tuple(SourceType.values)
_DISCLOSURES = tuple(LocationDisclosure.values)
# What a row writes, in the order the importer lists the values.
_FIELDS = (
    "claim_ref",
    "received_on",
    "incident_date",
    "source_type",
    "source_name",
    "source_url",
    "civilians_killed_min",
    "civilians_killed_max",
    "civilians_injured_min",
    "civilians_injured_max",
    *_BREAKDOWN,
    "summary",
    "confidential_notes",
    *LOCATION_FIELDS,
    "locality_ar",
    "summary_ar",
    "location_disclosure",
    "belligerent",
)


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
        "locality_ar",
        "summary_ar",
        # Optional; empty: settings.LOCATION_DISCLOSURE_DEFAULT.
        "location_disclosure",
    )
    required = frozenset({"claim_ref", "received_on", "incident_date", "country", "source_type"})
    read_only = (
        "belligerent_id",
        "status",
        "outcome",
        "reason",
        "assessed_on",
        "assessed_civilians_killed",
        "assessed_civilians_injured",
        "url",
        "api_url",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.belligerents = Belligerents()
        self.row_of_ref: dict[str, int] = {}
        # Each claim's values (_FIELDS, the belligerent's key, the refs of the strikes it names).
        self.claims = Spool()
        # The rows that name strikes: (row, the cell, the refs), checked once all are read.
        self.named: list[tuple[int, str, tuple[str, ...]]] = []
        self.strike_ids: dict[str, int] = {}
        self.links = 0
        self.default_disclosure = default_location_disclosure()

    def parse(self, row: Row) -> None:
        ref = row.ref("claim_ref", required=True, max_length=_LIMITS["claim_ref"])
        if ref in self.row_of_ref:
            first = self.row_of_ref[ref]
            row.error("claim_ref", f"duplicate claim ref (first on row {first}).")
        elif ref:
            self.row_of_ref[ref] = row.number
        received_on = row.date("received_on", required=True)
        incident_date = row.date("incident_date", required=True)
        if received_on and incident_date and incident_date > received_on:
            row.error(
                "incident_date",
                f"the incident date is after the date received ({received_on.isoformat()}).",
            )
        killed_min, killed_max = row.count_range("civilians_killed_min", "civilians_killed_max")
        injured_min, injured_max = row.count_range("civilians_injured_min", "civilians_injured_max")
        breakdown = [row.count(column) for column in _BREAKDOWN]
        killed = sum(count or 0 for count in breakdown)
        if killed_max is not None and killed > killed_max:
            parts = " + ".join(f"{count or 0:,}" for count in breakdown)
            row.error(
                "civilians_killed_max",
                f"the children, women and men killed ({parts} = {killed:,}) are more than "
                "the maximum killed.",
            )
        source_type = row.choice("source_type", _SOURCE_TYPES, name="source type", required=True)
        source_name = row.text("source_name", max_length=_LIMITS["source_name"])
        source_url = row.url("source_url", max_length=_LIMITS["source_url"])
        disclosure = (
            row.choice("location_disclosure", _DISCLOSURES, name="location disclosure")
            or self.default_disclosure
        )
        belligerent = self.belligerents.get(row, required=False)
        refs = tuple(row.tokens("strike_refs"))
        if refs:
            self.named.append((row.number, row.value("strike_refs"), refs))
        self.claims.append(
            (
                ref,
                received_on and received_on.isoformat(),
                incident_date and incident_date.isoformat(),
                source_type,
                source_name,
                source_url,
                killed_min,
                killed_max,
                injured_min,
                injured_max,
                *breakdown,
                row.value("summary"),
                row.value("confidential_notes"),
                *location_values(row),
                row.text("locality_ar", max_length=_LIMITS["locality_ar"]),
                row.value("summary_ar"),
                disclosure,
                belligerent,
                refs,
            )
        )

    def check(self) -> None:
        for (ref,) in values_in(Claim.objects, "claim_ref", self.row_of_ref, "claim_ref"):
            self.errors.add(
                self.row_of_ref[ref],
                "a claim with this ref is already in the database.",
                column="claim_ref",
                value=ref,
            )
        wanted = {ref for _, _, refs in self.named for ref in refs}
        self.strike_ids = dict(values_in(Strike.objects, "strike_ref", wanted, "strike_ref", "id"))
        for number, cell, refs in self.named:
            unknown = [ref for ref in refs if ref not in self.strike_ids]
            if unknown:
                quoted = ", ".join(f'"{ref}"' for ref in unknown)
                self.errors.add(
                    number,
                    f"no strike with ref {quoted} in the database."
                    if len(unknown) == 1
                    else f"no strikes with refs {quoted} in the database.",
                    column="strike_refs",
                    value=cell,
                )
            self.links += len(refs) - len(unknown)

    def write(self) -> None:
        self.report(
            f"{self.file_name}: writing {plural(len(self.belligerents.new), 'new belligerent')}"
        )
        self.belligerents.write(self.writer)
        self.report(f"{self.file_name}: writing {plural(len(self.claims), 'claim')}")
        pk, strike_ids = self.belligerents.pk, self.strike_ids
        for batch in self.claims.batches():
            rows = [(*values[:-2], pk(values[-2])) for values in batch]
            claim_ids = self.writer.insert(Claim, _FIELDS, rows)
            links = [
                (claim_id, strike_ids[ref])
                for claim_id, values in zip(claim_ids, batch, strict=True)
                for ref in values[-1]
            ]
            self.writer.insert_plain(Claim.strikes.through, ("claim", "strike"), links)
            self.wrote(len(rows))

    def counts(self) -> dict[str, int]:
        return {
            "claims": len(self.claims),
            "belligerents": len(self.belligerents.new),
            "strike_links": self.links,
        }

    def planned(self) -> str:
        return plural(len(self.claims), "claim")

    def summary(self) -> str:
        return (
            f"Imported {self.planned()} from {self.file_name} "
            f"({self.belligerents.described()}, {plural(self.links, 'strike link')})."
        )
