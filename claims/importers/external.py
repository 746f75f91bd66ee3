"""What independent organisations (Airwars and others) found for claims already in the database."""

from ..definitions import Grade
from ..models import Claim, ExternalAssessment
from .base import Importer, Row, max_lengths, plural, values_in

_LIMITS = max_lengths(ExternalAssessment)
_GRADES = tuple(Grade.values)


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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Each assessment with its row and the claim it names.
        self.assessments: list[tuple[ExternalAssessment, Row, str]] = []
        self.row_of_pair: dict[tuple[str, str], Row] = {}

    def parse(self, row: Row) -> None:
        claim_ref = row.text("claim_ref", required=True)
        organisation = row.text("organisation", required=True, max_length=_LIMITS["organisation"])
        pair = (claim_ref, organisation)
        if pair in self.row_of_pair:
            first = self.row_of_pair[pair].number
            row.error(
                "organisation",
                f"duplicate: claim {claim_ref} already has an assessment by {organisation} "
                f"(row {first}).",
            )
        elif claim_ref and organisation:
            self.row_of_pair[pair] = row
        killed_min, killed_max = row.count_range("civilians_killed_min", "civilians_killed_max")
        assessment = ExternalAssessment(
            organisation=organisation,
            grade=row.choice("grade", _GRADES, name="grade", required=True),
            civilians_killed_min=killed_min,
            civilians_killed_max=killed_max,
            assessed_on=row.date("assessed_on"),
            url=row.url("url", max_length=_LIMITS["url"]),
        )
        self.assessments.append((assessment, row, claim_ref))

    def check(self) -> None:
        refs = {claim_ref for _, _, claim_ref in self.assessments if claim_ref}
        claim_ids = dict(values_in(Claim.objects, "claim_ref", refs, "claim_ref", "id"))
        recorded = set(
            values_in(
                ExternalAssessment.objects,
                "claim_id",
                claim_ids.values(),
                "claim_id",
                "organisation",
            )
        )
        for assessment, row, claim_ref in self.assessments:
            if not claim_ref:
                continue
            if claim_ref not in claim_ids:
                row.error("claim_ref", "no claim with this ref in the database.")
                continue
            assessment.claim_id = claim_ids[claim_ref]
            if (assessment.claim_id, assessment.organisation) in recorded:
                row.error(
                    "organisation",
                    f"duplicate: claim {claim_ref} already has an assessment by "
                    f"{assessment.organisation} in the database.",
                )

    def write(self) -> None:
        assessments = [assessment for assessment, _, _ in self.assessments]
        self.report(f"{self.file_name}: writing {self.planned()}")
        self.create(ExternalAssessment, assessments)

    def counts(self) -> dict[str, int]:
        return {"external_assessments": len(self.assessments)}

    def planned(self) -> str:
        return plural(len(self.assessments), "external assessment")
