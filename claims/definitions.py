"""The vocabulary of the tracker: every outcome, reason, grade and check, with its definition.

These constants are the single source for the model's choices, the database constraints, the
importer's accepted values, the reports' wording and the published methodology, so the criteria
that are published cannot drift from the ones applied.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    EXACT = "exact", "Exact point"
    LOCALITY = "locality", "Locality (town, village or neighbourhood)"
    DISTRICT = "district", "District"
    PROVINCE = "province", "Province (governorate)"
    COUNTRY = "country", "Country"


class LocationDisclosure(models.TextChoices):
    """How much of a claim's location is published (claims.public applies it in every public
    channel); the recorded location stays whole for reviewers and strike matching."""

    EXACT = "exact", _("Exact coordinates")
    ROUNDED = "rounded", _("Coordinates rounded to about 1 km")
    LOCALITY = "locality", _("Locality only")
    PROVINCE = "province", _("Province only")
    WITHHELD = "withheld", _("Withheld (country only)")


LOCATION_DISCLOSURE_DEFINITIONS = {
    LocationDisclosure.EXACT: _(
        "The coordinates as recorded (to 5 decimals, about 1 m), the locality and the province."
    ),
    LocationDisclosure.ROUNDED: _(
        "The coordinates rounded to 2 decimals (a grid of 0.01°: 1.1 km north-south, about "
        "0.9 km east-west in Iraq and Syria), the locality and the province."
    ),
    LocationDisclosure.LOCALITY: _(
        "No coordinates: the claim is not on the map; its locality and province are shown."
    ),
    LocationDisclosure.PROVINCE: _("No coordinates and no locality: its province is shown."),
    LocationDisclosure.WITHHELD: _(
        "No coordinates, no locality, no province: only the country is published."
    ),
}


def default_location_disclosure() -> str:
    """The level a claim gets unless a reviewer or its import says otherwise: the setting
    LOCATION_DISCLOSURE_DEFAULT (README, "Coordinate disclosure")."""
    value = settings.LOCATION_DISCLOSURE_DEFAULT
    if value not in LocationDisclosure.values:
        raise ImproperlyConfigured(
            f"LOCATION_DISCLOSURE_DEFAULT must be one of {', '.join(LocationDisclosure.values)}, "
            f"not {value!r}."
        )
    return value


class SourceType(models.TextChoices):
    MEDIA = "media", "Media"
    NGO = "ngo", "NGO or monitor"
    SOCIAL_MEDIA = "social_media", "Social media"
    WITNESS = "witness", "Witness"
    GOVERNMENT = "government", "Government"
    SELF_REPORT = "self_report", "Self-report (the belligerent's own forces)"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Stage(models.TextChoices):
    """Where an open claim stands in the reviewers' workflow; a closed claim is `closed`."""

    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    PROPOSED = "proposed", "Assessment proposed"
    CLOSED = "closed", "Closed"


class AssessmentState(models.TextChoices):
    """Only approved assessments count: in a claim's status, the figures, the API and pages."""

    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class BatchState(models.TextChoices):
    """An uploaded file of assessments counts only once a second reviewer approves it."""

    PENDING = "pending", "Awaiting a second reviewer"
    APPROVED = "approved", "Approved and imported"
    REJECTED = "rejected", "Rejected"


class Outcome(models.TextChoices):
    CREDIBLE = "credible", "Credible"
    NON_CREDIBLE = "non_credible", "Non-credible"
    DUPLICATE = "duplicate", "Duplicate"


OUTCOME_DEFINITIONS = {
    Outcome.CREDIBLE: (
        "After assessing the available information, the reviewers judge it more likely than not "
        "that civilians were killed or injured in a strike by the belligerent under review."
    ),
    Outcome.NON_CREDIBLE: (
        "The reviewers do not judge the claim credible; the reason given says why (see the "
        "reasons below). A non-credible finding is not a finding that no civilian was harmed."
    ),
    Outcome.DUPLICATE: (
        "The claim reports the same incident as another claim already on record; it is closed "
        "and the other claim carries the assessment."
    ),
}


class Reason(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", "Insufficient information"
    NO_STRIKE_AT_TIME_OR_PLACE = (
        "no_strike_at_time_or_place",
        "No strike at the reported time or place",
    )
    NO_CIVILIAN_HARM = "no_civilian_harm", "No civilian harm found"
    NOT_COALITION = "not_coalition", "Not a coalition strike"
    OTHER = "other", "Other"


REASON_DEFINITIONS = {
    Reason.INSUFFICIENT_INFORMATION: (
        "The claim did not contain enough information (time, place, harm) to match it to a "
        "strike or to assess it."
    ),
    Reason.NO_STRIKE_AT_TIME_OR_PLACE: (
        "The strike records show no strike near the reported place at the reported time."
    ),
    Reason.NO_CIVILIAN_HARM: (
        "A strike took place, but the reviewers found no evidence that civilians were killed "
        "or injured by it."
    ),
    Reason.NOT_COALITION: "The harm was most likely caused by another party, not the coalition.",
    Reason.OTHER: "Another reason, stated in the public rationale.",
}


class Diligence(models.TextChoices):
    """What an assessment actually did; published with its outcome."""

    STRIKE_VIDEO = "strike_video", "Strike video reviewed"
    PERSONNEL_INTERVIEWED = "personnel_interviewed", "Targeting personnel interviewed"
    LOCAL_LANGUAGE_SEARCH = "local_language_search", "Searched in the local language"
    MAP_SEARCH = "map_search", "Searched maps and gazetteers for the place"
    WITNESS_INTERVIEWED = "witness_interviewed", "Witnesses interviewed"
    SITE_VISIT = "site_visit", "Site visited"
    NGO_INFORMATION = "ngo_information", "Information from NGOs or monitors considered"


def diligence_field(token: str) -> str:
    """The Assessment field that records one diligence step."""
    return f"diligence_{token}"


class Grade(models.TextChoices):
    """Airwars' public grading scale for civilian-harm incidents."""

    CONFIRMED = "confirmed", "Confirmed"
    FAIR = "fair", "Fair"
    WEAK = "weak", "Weak"
    CONTESTED = "contested", "Contested"
    DISCOUNTED = "discounted", "Discounted"


GRADE_DEFINITIONS = {
    Grade.CONFIRMED: "A belligerent accepted responsibility for civilian harm.",
    Grade.FAIR: (
        "Reported by two or more credible sources, with likely or confirmed nearby action by a "
        "belligerent."
    ),
    Grade.WEAK: "Single-sourced claim.",
    Grade.CONTESTED: "Competing claims of responsibility.",
    Grade.DISCOUNTED: (
        "Those killed were combatants, or another party was most likely responsible."
    ),
}

# Grades under which an independent organisation found that civilians were harmed.
HARM_GRADES = (Grade.CONFIRMED, Grade.FAIR)


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Unknown"


class Harm(models.TextChoices):
    KILLED = "killed", "Killed"
    INJURED = "injured", "Injured"
