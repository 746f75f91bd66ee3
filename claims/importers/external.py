"""What independent organisations (Airwars and others) found for claims already in the database."""

from ..definitions import Grade
from ..models import Claim, ExternalAssessment
from .base import Importer, Row, max_lengths, plural, values_in
from .writer import Spool

_LIMITS = max_lengths(ExternalAssessment)
_GRADES = tuple(Grade.values)
# What a row writes, in the order the importer lists the values.
_FIELDS = (
    "claim",
    "organisation",
    "grade",
    "civilians_killed_min",
    "civilians_killed_max",
    "assessed_on",
    "url",
)


class ExternalAssessmentImporter(Importer):
    kind = "external_assessments"
    columns = (
        "claim_ref",
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
        "url",
    )
    required = frozenset({"claim_ref", "organisation", "grade"})
    read_only = ("id", "official_outcome", "page_url", "api_url")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Each assessment's row number and values: the claim's ref, then _FIELDS.
        self.assessments = Spool()
        self.row_of_pair: dict[tuple[str, str], int] = {}
        self.refs: set[str] = set()
        self.claim_ids: dict[str, int] = {}

    def parse(self, row: Row) -> None:
        claim_ref = row.text("claim_ref", required=True)
        organisation = row.text("organisation", required=True, max_length=_LIMITS["organisation"])
        pair = (claim_ref, organisation)
        if pair in self.row_of_pair:
            first = self.row_of_pair[pair]
            row.error(
                "organisation",
                f"duplicate: claim {claim_ref} already has an assessment by {organisation} "
                f"(row {first}).",
            )
        elif claim_ref and organisation:
            self.row_of_pair[pair] = row.number
        if claim_ref:
            self.refs.add(claim_ref)
        killed_min, killed_max = row.count_range("civilians_killed_min", "civilians_killed_max")
        grade = row.choice("grade", _GRADES, name="grade", required=True)
        assessed_on = row.date("assessed_on")
        url = row.url("url", max_length=_LIMITS["url"])
        self.assessments.append(
            (
                row.number,
                claim_ref,
                organisation,
                grade,
                killed_min,
                killed_max,
                assessed_on and assessed_on.isoformat(),
                url,
            )
        )

    def check(self) -> None:
        self.claim_ids = dict(values_in(Claim.objects, "claim_ref", self.refs, "claim_ref", "id"))
        recorded = set(
            values_in(
                ExternalAssessment.objects,
                "claim_id",
                self.claim_ids.values(),
                "claim_id",
                "organisation",
            )
        )
        for number, claim_ref, organisation, *_ in self.assessments:
            if not claim_ref:
                continue
            if claim_ref not in self.claim_ids:
                self.errors.add(
                    number,
                    "no claim with this ref in the database.",
                    column="claim_ref",
                    value=claim_ref,
                )
            elif (self.claim_ids[claim_ref], organisation) in recorded:
                self.errors.add(
                    number,
                    f"duplicate: claim {claim_ref} already has an assessment by "
                    f"{organisation} in the database.",
                    column="organisation",
                    value=organisation,
                )

    def write(self) -> None:
        self.report(f"{self.file_name}: writing {self.planned()}")
        for batch in self.assessments.batches():
            rows = [(self.claim_ids[claim_ref], *values) for _, claim_ref, *values in batch]
            self.writer.insert(ExternalAssessment, _FIELDS, rows)
            self.wrote(len(rows))

    def counts(self) -> dict[str, int]:
        return {"external_assessments": len(self.assessments)}

    def planned(self) -> str:
        return plural(len(self.assessments), "external assessment")
