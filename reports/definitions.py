"""What the reports' words mean: the comparison's caveats, the independent series, the
reviewers' stages, for the methodology, home and comparison pages. The figures themselves are
defined in reports/catalogue.py; the outcomes, reasons and grades in claims/definitions.py, next
to the model that applies them.
"""

from claims.definitions import HARM_GRADES, AssessmentState, Grade, Stage


def _grades(grades) -> str:
    """ "confirmed or fair", "weak, contested or discounted"."""
    words = [Grade(grade).label.lower() for grade in grades]
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


HARMED = _grades(HARM_GRADES)  # the grades that find civilian harm, in words
NOT_HARMED = _grades(grade for grade in Grade if grade not in HARM_GRADES)

# What the comparison shows and does not show, in plain words: shown prominently on the
# comparison page and the methodology page.
COMPARISON_CAVEATS = (
    "It is a comparison, not a verdict. A gap between the two shows that the official process "
    "and the organisation disagree on the same claims; it does not show which of them is right.",
    "Each organisation graded its own selection of claims. Its row compares its findings with "
    "the official ones on those claims only, so the rows of different organisations cover "
    "different claims: do not add them up or rank them against each other.",
    f"“Graded {HARMED}” is the organisation's finding that civilians were harmed. "
    "“Fair” means two or more credible sources and likely action by a belligerent nearby: it is "
    "not proof of harm.",
    "Some of the claims may still be officially open (never assessed, or reopened for a new "
    "assessment), so the official figures can still change.",
    "The organisation's counts of civilians killed are ranges: the sums of its low and of its "
    "high estimates, leaving out the claims it gave no count for. The official count is one "
    "number per credible claim.",
)

# The independent series beside the official one on the home page (reports/independent.py).
INDEPENDENT_SERIES_DEFINITION = (
    "For each independent organisation, the sums of its low and of its high estimates of "
    f"civilians killed, over the claims it graded {HARMED}, by the month of the incident. "
    f"Claims it graded {NOT_HARMED}, and claims it gave no count for, "
    "are left out."
)

# The reviewers' workflow (claims.definitions.Stage and AssessmentState), in words.
STAGE_DEFINITIONS = {
    Stage.NEW: "Received, or reopened on new information, and not yet taken up by an analyst.",
    Stage.IN_REVIEW: (
        "An analyst is assessing it: matching it to strike records, searching for sources, "
        "contacting witnesses. A proposal returned by a reviewer comes back to this stage."
    ),
    Stage.PROPOSED: (
        "An analyst has proposed an assessment; it awaits a reviewer's decision and does not "
        "count anywhere yet."
    ),
    Stage.CLOSED: "A reviewer approved an assessment: the claim is closed with its outcome.",
}

ASSESSMENT_STATE_DEFINITIONS = {
    AssessmentState.PROPOSED: (
        "Drafted by an analyst and awaiting review. It is not published and changes no figure."
    ),
    AssessmentState.APPROVED: (
        "Approved by a reviewer other than its author (four eyes). It is dated the day it was "
        "approved, closes the claim, counts in the figures and is published. It can never be "
        "edited or deleted: a correction is a reopening followed by a new assessment."
    ),
    AssessmentState.RETURNED: (
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
