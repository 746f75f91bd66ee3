"""What the reports' words mean: the comparison's caveats, the independent series, the
reviewers' stages, for the methodology, home and comparison pages. The figures themselves are
defined in reports/catalogue.py; the outcomes, reasons and grades in claims/definitions.py, next
to the model that applies them.
"""

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.definitions import HARM_GRADES, AssessmentState, Grade, Stage


def _grades(grades) -> str:
    """ "confirmed or fair", "weak, contested or discounted", in the active language."""
    words = [str(Grade(grade).label).lower() for grade in grades]
    if len(words) == 1:
        return words[0]
    return gettext("%(some)s or %(last)s") % {
        "some": gettext(", ").join(words[:-1]),
        "last": words[-1],
    }


_lazy_grades = lazy(_grades, str)
# The grades that find civilian harm, in words (in the reader's language when shown).
HARMED = _lazy_grades(HARM_GRADES)
NOT_HARMED = _lazy_grades(tuple(grade for grade in Grade if grade not in HARM_GRADES))

# What the comparison shows and does not show, in plain words: shown prominently on the
# comparison page and the methodology page.
COMPARISON_CAVEATS = (
    _(
        "It is a comparison, not a verdict. A gap between the two shows that the official "
        "process and the organisation disagree on the same claims; it does not show which of "
        "them is right."
    ),
    _(
        "Each organisation graded its own selection of claims. Its row compares its findings "
        "with the official ones on those claims only, so the rows of different organisations "
        "cover different claims: do not add them up or rank them against each other."
    ),
    format_lazy(
        _(
            "“Graded {harmed}” is the organisation's finding that civilians were harmed. "
            "“Fair” means two or more credible sources and likely action by a belligerent "
            "nearby: it is not proof of harm."
        ),
        harmed=HARMED,
    ),
    _(
        "Some of the claims may still be officially open (never assessed, or reopened for a new "
        "assessment), so the official figures can still change."
    ),
    _(
        "The organisation's counts of civilians killed are ranges: the sums of its low and of "
        "its high estimates, leaving out the claims it gave no count for. The official count is "
        "one number per credible claim."
    ),
)

# The independent series beside the official one on the home page (reports/independent.py).
INDEPENDENT_SERIES_DEFINITION = format_lazy(
    _(
        "For each independent organisation, the sums of its low and of its high estimates of "
        "civilians killed, over the claims it graded {harmed}, by the month of the incident. "
        "Claims it graded {not_harmed}, and claims it gave no count for, are left out."
    ),
    harmed=HARMED,
    not_harmed=NOT_HARMED,
)

# The reviewers' workflow (claims.definitions.Stage and AssessmentState), in words.
STAGE_DEFINITIONS = {
    Stage.NEW: _("Received, or reopened on new information, and not yet taken up by an analyst."),
    Stage.IN_REVIEW: _(
        "An analyst is assessing it: matching it to strike records, searching for sources, "
        "contacting witnesses. A proposal returned by a reviewer comes back to this stage."
    ),
    Stage.PROPOSED: _(
        "An analyst has proposed an assessment; it awaits a reviewer's decision and does not "
        "count anywhere yet."
    ),
    Stage.CLOSED: _("A reviewer approved an assessment: the claim is closed with its outcome."),
}

ASSESSMENT_STATE_DEFINITIONS = {
    AssessmentState.PROPOSED: _(
        "Drafted by an analyst and awaiting review. It is not published and changes no figure."
    ),
    AssessmentState.APPROVED: _(
        "Approved by a reviewer other than its author (four eyes). It is dated the day it was "
        "approved, closes the claim, counts in the figures and is published. It can never be "
        "edited or deleted: a correction is a reopening followed by a new assessment."
    ),
    AssessmentState.RETURNED: _(
        "Sent back to the analyst by a reviewer, with a comment. It is not published and "
        "changes no figure."
    ),
}


def described(choices, definitions: dict | None = None) -> list[dict]:
    """The members of a TextChoices, in order, for a template: [{"value", "label",
    "definition"}]. With `definitions`, every member must have one (a KeyError otherwise, so that
    no member is published undefined); without, the labels stand alone."""
    return [
        {
            "value": value,
            "label": label,
            "definition": definitions[value] if definitions is not None else "",
        }
        for value, label in choices.choices
    ]
