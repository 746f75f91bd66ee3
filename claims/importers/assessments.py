"""The reviewers' assessments and reopenings of claims already in the database.

A claim's rows are applied in date order, and in file order within a date, on top of the claim's
recorded history, following the rules of `claims.workflow` exactly as the services do, and
moves each claim through the workflow's transitions (`record`, `reopen`) in the same order.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from ..definitions import AssessmentState, ClaimStatus, Diligence, Outcome, diligence_field
from ..models import Assessment, Claim, Reopening
from ..workflow import (
    RECORD,
    REOPEN,
    ClaimHistory,
    Problems,
    assessment_field_problems,
    assessment_transition_problems,
    reopening_field_problems,
    reopening_transition_problems,
    transition,
)
from .base import Importer, Row, chunk_size, plural, values_in
from .writer import even_batches

REOPENED = "reopened"
_BATCH = 2_000  # rows written a statement
_OUTCOMES = (*Outcome.values, REOPENED)
_DILIGENCE = tuple(Diligence.values)
_NOT_FOR_REOPENINGS = (
    "reason",
    "duplicate_of",
    "civilians_killed",
    "civilians_injured",
    "diligence",
    "rationale_ar",  # a reopening's reason has no Arabic field
)
# The workflow's rules name the models' fields; errors name the file's columns.
_ASSESSMENT_COLUMNS = {"claim": "claim_ref"}
# A reopening is a row of the file too (outcome REOPENED): its fields as the columns they fill.
REOPENING_COLUMNS = {"claim": "claim_ref", "reopened_on": "assessed_on", "reason": "rationale"}
# The cells an event keeps for the errors of its claim's history (the columns above name).
_EVENT_CELLS = ("claim_ref", "assessed_on")
_DILIGENCE_FIELDS = tuple(diligence_field(token) for token in _DILIGENCE)
# What the importer writes, in the order it lists the values.
_ASSESSMENT_FIELDS = (
    "claim",
    "state",
    "assessed_by",
    "decided_by",
    "decided_at",
    "batch",
    "sequence",
    "assessed_on",
    "duplicate_of",
    "rationale",
    "rationale_ar",
    "outcome",
    "reason",
    "civilians_killed",
    "civilians_injured",
    *_DILIGENCE_FIELDS,
)
_REOPENING_FIELDS = (
    "claim",
    "assessment",
    "sequence",
    "reopened_on",
    "reason",
    "reopened_by",
    "batch",
)


class _Written:
    """An assessment of the file: its id once written (what a later reopening names)."""

    __slots__ = ("pk",)

    def __init__(self):
        self.pk = None


@dataclass(slots=True)
class _Event:
    """A row that passed its own checks, waiting for its claim's history."""

    row: Row
    claim_ref: str
    on: date
    rationale: str
    duplicate_of: str
    fields: dict | None  # the assessment's fields; None for a reopening


def _report(row: Row, problems: Problems, columns: dict[str, str]) -> None:
    for field, message in problems:
        row.error(columns.get(field, field), message[0].lower() + message[1:])


class AssessmentImporter(Importer):
    kind = "assessments"
    columns = (
        "claim_ref",
        "assessed_on",
        "outcome",
        "reason",
        "duplicate_of",
        "civilians_killed",
        "civilians_injured",
        "rationale",
        "diligence",
        "rationale_ar",
    )
    required = frozenset({"claim_ref", "assessed_on", "outcome"})
    read_only = (
        "id",
        "sequence",
        "reopened_on",
        "incident_date",
        "received_on",
        "country",
        "province",
        "locality",
        "locality_ar",
        "url",
        "api_url",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.events: list[_Event] = []
        self.named_refs: list[tuple[Row, str, str]] = []  # (row, column, claim ref)
        # The rows to write: values of _ASSESSMENT_FIELDS with the stand-in that gets its id,
        # and of _REOPENING_FIELDS (the assessment reopened: an id, or a stand-in of the file).
        self.assessments: list[tuple[tuple, _Written]] = []
        self.reopenings: list[tuple] = []
        self.events_by_claim: dict[int, list[str]] = {}  # RECORD / REOPEN in order, by claim id
        self.claims_by_status: dict[str, int] = {}  # every claim in the database, once written
        decided_at = timezone.now() if self.provenance.decided_by is not None else None
        provenance = self.provenance
        # The values every row of the file shares, ready for the database.
        self.assessed_by = getattr(provenance.assessed_by, "pk", None)
        self.batch_id = getattr(provenance.batch, "pk", None)
        self.decided = (  # assessed_by, decided_by, decided_at, batch
            self.assessed_by,
            getattr(provenance.decided_by, "pk", None),
            Assessment._meta.get_field("decided_at").get_db_prep_save(decided_at, connection),
            self.batch_id,
        )

    def parse(self, row: Row) -> None:
        claim_ref = row.text("claim_ref", required=True)
        on = row.date("assessed_on", required=True)
        outcome = row.choice("outcome", _OUTCOMES, name="outcome", required=True)
        rationale = row.value("rationale")
        duplicate_of = row.value("duplicate_of")
        self.named_refs.extend(
            (row, column, ref)
            for column, ref in (("claim_ref", claim_ref), ("duplicate_of", duplicate_of))
            if ref
        )
        if outcome == REOPENED:
            for column in _NOT_FOR_REOPENINGS:
                if row.value(column):
                    row.error(column, "must be empty for a reopening.")
            _report(row, reopening_field_problems(reason=rationale), REOPENING_COLUMNS)
            fields = None
        else:
            fields = self._assessment_fields(row, claim_ref, outcome, duplicate_of)
        if outcome and claim_ref and on:
            self.events.append(
                _Event(
                    row=Row(row.number, {c: row.value(c) for c in _EVENT_CELLS}, row.errors),
                    claim_ref=claim_ref,
                    on=on,
                    rationale=rationale,
                    duplicate_of=duplicate_of,
                    fields=fields,
                )
            )

    def _assessment_fields(self, row: Row, claim_ref: str, outcome: str, duplicate_of: str):
        killed, injured = row.count("civilians_killed"), row.count("civilians_injured")
        diligence = self._diligence(row)
        if outcome:  # which fields an outcome requires or forbids, once it is a known one
            problems = assessment_field_problems(
                claim_ref=claim_ref,
                outcome=outcome,
                reason=row.value("reason"),
                duplicate_of_ref=duplicate_of or None,
                civilians_killed=killed,
                civilians_injured=injured,
            )
            _report(row, problems, _ASSESSMENT_COLUMNS)
        return {
            "outcome": outcome,
            "reason": row.value("reason"),
            "civilians_killed": killed,
            "civilians_injured": injured,
            "rationale_ar": row.value("rationale_ar"),
            **diligence,
        }

    @staticmethod
    def _diligence(row: Row) -> dict[str, bool]:
        tokens = row.tokens("diligence")
        unknown = [token for token in tokens if token not in _DILIGENCE]
        if unknown:
            steps = "steps" if len(unknown) > 1 else "step"
            quoted = ", ".join(f'"{token}"' for token in unknown)
            row.error(
                "diligence",
                f"unknown diligence {steps} {quoted}; the steps are {', '.join(_DILIGENCE)}.",
            )
        return {diligence_field(token): True for token in tokens if token in _DILIGENCE}

    def check(self) -> None:
        refs = {ref for _, _, ref in self.named_refs}
        claims = {
            ref: (pk, received_on)
            for ref, pk, received_on in values_in(
                Claim.objects, "claim_ref", refs, "claim_ref", "id", "received_on"
            )
        }
        for row, column, ref in self.named_refs:
            if ref not in claims:
                row.error(column, "no claim with this ref in the database.")
        by_claim: dict[str, list[_Event]] = defaultdict(list)
        for event in self.events:
            if event.claim_ref in claims:
                by_claim[event.claim_ref].append(event)
        histories = _recorded_histories({ref: claims[ref] for ref in by_claim})
        pending = {
            claim_id
            for (claim_id,) in values_in(
                Assessment.objects.proposed(),
                "claim_id",
                [claims[ref][0] for ref in by_claim],
                "claim_id",
            )
        }
        for ref, events in by_claim.items():
            claim_id = claims[ref][0]
            history = histories[ref]
            if claim_id in pending:
                for event in events:
                    event.row.error(
                        "claim_ref",
                        f"claim {ref} has a proposed assessment awaiting review; approve or "
                        "return it before importing more of its history.",
                    )
                continue
            replayed = self.events_by_claim[claim_id] = []
            # Date order, then file order within a date: the sort is stable.
            for event in sorted(events, key=lambda e: e.on):
                if event.fields is None:
                    history = self._reopen(claim_id, history, event, replayed)
                else:
                    duplicate_of = claims.get(event.duplicate_of, (None,))[0]
                    history = self._assess(claim_id, history, event, duplicate_of, replayed)

    def _assess(self, claim_id, history: ClaimHistory, event: _Event, duplicate_of_id, replayed):
        problems = assessment_transition_problems(history, assessed_on=event.on)
        if problems:
            _report(event.row, problems, _ASSESSMENT_COLUMNS)
            return history
        fields = event.fields
        assessment = _Written()
        values = (
            claim_id,
            AssessmentState.APPROVED,  # imported history counts as approved
            *self.decided,
            history.last_sequence + 1,
            event.on.isoformat(),
            duplicate_of_id,
            event.rationale,
            fields["rationale_ar"],
            fields["outcome"],
            fields["reason"],
            fields["civilians_killed"],
            fields["civilians_injured"],
            *(fields.get(name, False) for name in _DILIGENCE_FIELDS),
        )
        self.assessments.append((values, assessment))
        replayed.append(RECORD)
        return history.after_assessment(assessed_on=event.on, assessment=assessment)

    def _reopen(self, claim_id, history: ClaimHistory, event: _Event, replayed):
        problems = reopening_transition_problems(history, reopened_on=event.on)
        if problems:
            _report(event.row, problems, REOPENING_COLUMNS)
            return history
        self.reopenings.append(
            (
                claim_id,
                history.last_assessment,  # recorded (an Assessment) or of the file (_Written)
                history.last_sequence + 1,
                event.on.isoformat(),
                event.rationale.strip(),
                self.assessed_by,
                self.batch_id,
            )
        )
        replayed.append(REOPEN)
        return history.after_reopening(reopened_on=event.on)

    def write(self) -> None:
        writer = self.writer
        self.report(f"{self.file_name}: writing {plural(len(self.assessments), 'assessment')}")
        for batch in even_batches(self.assessments, _BATCH):
            pks = writer.insert(Assessment, _ASSESSMENT_FIELDS, [values for values, _ in batch])
            for (_, written), pk in zip(batch, pks, strict=True):
                written.pk = pk
            self.wrote(len(batch))
        self.report(f"{self.file_name}: writing {plural(len(self.reopenings), 'reopening')}")
        for batch in even_batches(self.reopenings, _BATCH):
            rows = [(claim, assessment.pk, *rest) for claim, assessment, *rest in batch]
            writer.insert(Reopening, _REOPENING_FIELDS, rows)
            self.wrote(len(batch))
        self.report(
            f"{self.file_name}: updating the status of {plural(len(self.events_by_claim), 'claim')}"
        )
        # Locked (in one order) so that no workflow action changes a claim between its
        # transitions and its save; each claim's history record is the row as updated. Read
        # as tuples: the workflow moves one claim of each (stage, assignee, events) met, and
        # the others of the same go where it went (a model instance a claim cost 40 µs).
        ids = sorted(self.events_by_claim)
        size = chunk_size()
        moved: dict[tuple, tuple[str, int | None]] = {}
        for start in range(0, len(ids), size):
            claims = values_in(
                Claim.objects.select_for_update().order_by("pk"),
                "pk",
                ids[start : start + size],
                *("pk", "claim_ref", "stage", "assignee_id", "version"),
            )
            rows = []
            for pk, claim_ref, stage, assignee_id, version in claims:
                events = self.events_by_claim[pk]
                key = (stage, assignee_id, *events)
                if key not in moved:
                    moved[key] = _replayed(claim_ref, stage, assignee_id, events)
                rows.append((pk, *moved[key], version + 1))
            writer.update(Claim, ["stage", "assignee", "version"], rows)
        self.claims_by_status = dict(
            Claim.objects.order_by().values_list("status").annotate(count=Count("pk"))
        )

    def counts(self) -> dict[str, int]:
        return {"assessments": len(self.assessments), "reopenings": len(self.reopenings)}

    def planned(self) -> str:
        return (
            f"{plural(len(self.assessments), 'assessment')} and "
            f"{plural(len(self.reopenings), 'reopening')}"
        )

    def summary(self) -> str:
        """What was imported, and where all claims now stand."""
        closed = self.claims_by_status.get(ClaimStatus.CLOSED, 0)
        still_open = self.claims_by_status.get(ClaimStatus.OPEN, 0)
        return (
            f"Imported {self.planned()} from {self.file_name}; "
            f"{plural(closed, 'claim')} closed, {still_open:,} open."
        )


def _replayed(claim_ref: str, stage: str, assignee_id: int | None, events: list[str]):
    """The stage and assignee a claim at `stage` with `assignee_id` reaches through `events`
    (workflow.transition, which reads nothing else of a claim but its ref for a refusal)."""
    claim = Claim(claim_ref=claim_ref, stage=stage, assignee_id=assignee_id)
    for event in events:
        transition(claim, event)
    return claim.stage, claim.assignee_id


def _recorded_histories(claims: dict[str, tuple[int, date]]) -> dict[str, ClaimHistory]:
    """Each claim's history as recorded in the database, in two queries a chunk of claims.

    The bulk counterpart of `services.claim_history`; both leave the rule to
    `ClaimHistory.from_latest`.
    """
    ids = [pk for pk, _ in claims.values()]
    last_assessment: dict[int, tuple[int, date, int]] = {}
    for pk, claim_id, sequence, on in values_in(
        Assessment.objects.counted(), "claim_id", ids, "id", "claim_id", "sequence", "assessed_on"
    ):
        if claim_id not in last_assessment or sequence > last_assessment[claim_id][0]:
            last_assessment[claim_id] = (sequence, on, pk)
    last_reopening: dict[int, tuple[int, date]] = {}
    for claim_id, sequence, on in values_in(
        Reopening.objects, "claim_id", ids, "claim_id", "sequence", "reopened_on"
    ):
        if claim_id not in last_reopening or sequence > last_reopening[claim_id][0]:
            last_reopening[claim_id] = (sequence, on)
    histories = {}
    for ref, (claim_id, received_on) in claims.items():
        a_sequence, assessed_on, a_pk = last_assessment.get(claim_id, (0, None, None))
        r_sequence, reopened_on = last_reopening.get(claim_id, (0, None))
        histories[ref] = ClaimHistory.from_latest(
            claim_ref=ref,
            received_on=received_on,
            assessment=Assessment(pk=a_pk, claim_id=claim_id) if a_pk else None,
            assessment_sequence=a_sequence,
            assessed_on=assessed_on,
            reopening_sequence=r_sequence,
            reopened_on=reopened_on,
        )
    return histories
