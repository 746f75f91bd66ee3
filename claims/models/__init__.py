"""The records: belligerents, strikes, claims of civilian harm, their assessments and reopenings.

Every invariant that a single row can express is a database constraint, so the database rejects
a bad row whichever way it arrives (form, importer, API, shell). Rules that span rows (a claim's
events alternate: assessed, reopened, assessed...) live in `claims/workflow.py` and are applied
by `claims/services/` and the importer. Every change is recorded in history tables
(django-simple-history).
"""

from .base import Belligerent, Located
from .batches import AssessmentBatch
from .events import Assessment, AssessmentQuerySet, Reopening
from .jobs import ImportJob
from .records import Claim, ClaimComment, ClaimQuerySet, ExternalAssessment, Strike, Victim

__all__ = [
    "Assessment",
    "AssessmentBatch",
    "AssessmentQuerySet",
    "Belligerent",
    "Claim",
    "ClaimComment",
    "ClaimQuerySet",
    "ExternalAssessment",
    "ImportJob",
    "Located",
    "Reopening",
    "Strike",
    "Victim",
]
