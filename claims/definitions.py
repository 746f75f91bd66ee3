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
    EXACT = "exact", _("Exact point")
    LOCALITY = "locality", _("Locality (town, village or neighbourhood)")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province (governorate)")
    COUNTRY = "country", _("Country")


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
    MEDIA = "media", _("Media")
    NGO = "ngo", _("NGO or monitor")
    SOCIAL_MEDIA = "social_media", _("Social media")
    WITNESS = "witness", _("Witness")
    GOVERNMENT = "government", _("Government")
    SELF_REPORT = "self_report", _("Self-report (the belligerent's own forces)")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    """Where an open claim stands in the reviewers' workflow; a closed claim is `closed`."""

    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    PROPOSED = "proposed", _("Assessment proposed")
    CLOSED = "closed", _("Closed")


class AssessmentState(models.TextChoices):
    """Only approved assessments count: in a claim's status, the figures, the API and pages."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class BatchState(models.TextChoices):
    """An uploaded file of assessments counts only once a second reviewer approves it."""

    PENDING = "pending", _("Awaiting a second reviewer")
    APPROVED = "approved", _("Approved and imported")
    REJECTED = "rejected", _("Rejected")


class Outcome(models.TextChoices):
    CREDIBLE = "credible", _("Credible")
    NON_CREDIBLE = "non_credible", _("Non-credible")
    DUPLICATE = "duplicate", _("Duplicate")


OUTCOME_DEFINITIONS = {
    Outcome.CREDIBLE: _(
        "After assessing the available information, the reviewers judge it more likely than not "
        "that civilians were killed or injured in a strike by the belligerent under review."
    ),
    Outcome.NON_CREDIBLE: _(
        "The reviewers do not judge the claim credible; the reason given says why (see the "
        "reasons below). A non-credible finding is not a finding that no civilian was harmed."
    ),
    Outcome.DUPLICATE: _(
        "The claim reports the same incident as another claim already on record; it is closed "
        "and the other claim carries the assessment."
    ),
}


class Reason(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Insufficient information")
    NO_STRIKE_AT_TIME_OR_PLACE = (
        "no_strike_at_time_or_place",
        _("No strike at the reported time or place"),
    )
    NO_CIVILIAN_HARM = "no_civilian_harm", _("No civilian harm found")
    NOT_COALITION = "not_coalition", _("Not a coalition strike")
    OTHER = "other", _("Other")


REASON_DEFINITIONS = {
    Reason.INSUFFICIENT_INFORMATION: _(
        "The claim did not contain enough information (time, place, harm) to match it to a "
        "strike or to assess it."
    ),
    Reason.NO_STRIKE_AT_TIME_OR_PLACE: _(
        "The strike records show no strike near the reported place at the reported time."
    ),
    Reason.NO_CIVILIAN_HARM: _(
        "A strike took place, but the reviewers found no evidence that civilians were killed "
        "or injured by it."
    ),
    Reason.NOT_COALITION: _("The harm was most likely caused by another party, not the coalition."),
    Reason.OTHER: _("Another reason, stated in the public rationale."),
}


class Diligence(models.TextChoices):
    """What an assessment actually did; published with its outcome."""

    STRIKE_VIDEO = "strike_video", _("Strike video reviewed")
    PERSONNEL_INTERVIEWED = "personnel_interviewed", _("Targeting personnel interviewed")
    LOCAL_LANGUAGE_SEARCH = "local_language_search", _("Searched in the local language")
    MAP_SEARCH = "map_search", _("Searched maps and gazetteers for the place")
    WITNESS_INTERVIEWED = "witness_interviewed", _("Witnesses interviewed")
    SITE_VISIT = "site_visit", _("Site visited")
    NGO_INFORMATION = "ngo_information", _("Information from NGOs or monitors considered")


def diligence_field(token: str) -> str:
    """The Assessment field that records one diligence step."""
    return f"diligence_{token}"


class Grade(models.TextChoices):
    """Airwars' public grading scale for civilian-harm incidents."""

    CONFIRMED = "confirmed", _("Confirmed")
    FAIR = "fair", _("Fair")
    WEAK = "weak", _("Weak")
    CONTESTED = "contested", _("Contested")
    DISCOUNTED = "discounted", _("Discounted")


GRADE_DEFINITIONS = {
    Grade.CONFIRMED: _("A belligerent accepted responsibility for civilian harm."),
    Grade.FAIR: _(
        "Reported by two or more credible sources, with likely or confirmed nearby action by a "
        "belligerent."
    ),
    Grade.WEAK: _("Single-sourced claim."),
    Grade.CONTESTED: _("Competing claims of responsibility."),
    Grade.DISCOUNTED: _(
        "Those killed were combatants, or another party was most likely responsible."
    ),
}

# Grades under which an independent organisation found that civilians were harmed.
HARM_GRADES = (Grade.CONFIRMED, Grade.FAIR)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Harm(models.TextChoices):
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")
