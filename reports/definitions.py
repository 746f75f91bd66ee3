"""What every published figure means: the single source of the definitions on the methodology
page, the labels on the home and comparison pages, and the figure tables of the docs.

`FIGURE_DEFINITIONS` covers every figure of `month_figures(...).as_dict()` (nested figures as
`cumulative.<name>`) and `COMPARISON_DEFINITIONS` every figure of a `comparison_figures()` row;
tests fail when a figure exists without a definition, so none can be published undefined. The
outcomes, reasons and grades are defined in claims/definitions.py, next to the model that applies
them.
"""

from claims.definitions import HARM_GRADES, AssessmentState, Grade, Stage


def _grades(grades) -> str:
    """ "confirmed or fair", "weak, contested or discounted"."""
    words = [Grade(grade).label.lower() for grade in grades]
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


HARMED = _grades(HARM_GRADES)  # the grades that find civilian harm, in words
NOT_HARMED = _grades(grade for grade in Grade if grade not in HARM_GRADES)

# key -> (label, definition). The monthly figures count what happened in the month M; the
# running totals ("cumulative") describe the state at the end of M.
FIGURE_DEFINITIONS = {
    "received": (
        "Reports received",
        "Claims whose received date falls in the month.",
    ),
    "closed": (
        "Reports closed",
        "Approved assessments dated in the month. A claim closed, reopened and closed again in "
        "the same month counts twice.",
    ),
    "credible": ("Closed as credible", "Those closures whose outcome is credible."),
    "non_credible": ("Closed as non-credible", "Those closures whose outcome is non-credible."),
    "duplicate": ("Closed as duplicates", "Those closures whose outcome is duplicate."),
    "reopened": (
        "Reopened",
        "Reopenings dated in the month: closed claims reopened on new information.",
    ),
    "open_at_start": (
        "Open at the start of the month",
        "Claims open at the end of the previous month.",
    ),
    "open_at_end": (
        "Open at the end of the month",
        "Open at the start + received + reopened − closed; equals the claims whose latest event "
        "on or before the last day of the month leaves them open.",
    ),
    "civilians_killed": (
        "Civilians killed, assessed in the month",
        "The sum of civilians killed over the credible assessments dated in the month (0 when "
        "none): counted in the month of the assessment, not of the incident. A claim reopened "
        "and assessed credible again counts again in the month of its new assessment.",
    ),
    "civilians_injured": (
        "Civilians injured, assessed in the month",
        "The sum of civilians injured over the credible assessments dated in the month, likewise.",
    ),
    "cumulative.received": (
        "Reports received",
        "Claims received on or before the last day of the month.",
    ),
    "cumulative.credible": (
        "Credible",
        "Claims closed at the end of the month whose latest assessment is credible.",
    ),
    "cumulative.non_credible": (
        "Non-credible",
        "Claims closed at the end of the month whose latest assessment is non-credible.",
    ),
    "cumulative.duplicate": (
        "Duplicates",
        "Claims closed at the end of the month whose latest assessment is duplicate.",
    ),
    "cumulative.open": (
        "Still open",
        "Claims open at the end of the month (never assessed yet, or reopened and not yet "
        "assessed again). Always: received = credible + non-credible + duplicates + still open.",
    ),
    "cumulative.civilians_killed": (
        "Civilians acknowledged killed",
        "The sum of civilians killed over the claims credible at the end of the month, each from "
        "its latest assessment: a claim reopened and assessed again counts once, with its latest "
        "figure.",
    ),
    "cumulative.civilians_injured": (
        "Civilians acknowledged injured",
        "The sum of civilians injured over the same claims, likewise.",
    ),
    "cumulative.strikes": (
        "Strikes",
        "Strikes on record dated on or before the last day of the month.",
    ),
    "cumulative.engagements": (
        "Engagements",
        "The sum of those strikes' engagements (a strike counts at least one).",
    ),
    "cumulative.engagements_report_pct": (
        "Reports per 100 engagements",
        "100 × reports received ÷ engagements, to two decimals (rounded half up); none when no "
        "engagement is on record.",
    ),
    "cumulative.engagements_credible_pct": (
        "Credible reports per 100 engagements",
        "100 × credible ÷ engagements, to two decimals (rounded half up); none when no "
        "engagement is on record.",
    ),
}

# The columns of a row of reports.comparison.comparison_figures(), one per organisation.
COMPARISON_DEFINITIONS = {
    "graded": ("Claims graded", "Claims on record that the organisation graded."),
    "harmed": (
        f"Graded {HARMED}",
        f"Of those, the claims it graded {HARMED}: civilians harmed by its finding.",
    ),
    "official_credible": (
        "Officially credible",
        "Of the same claims, those whose latest approved assessment is credible.",
    ),
    "official_open": (
        "Officially open",
        "Of the same claims, those open now: never assessed, or reopened for re-assessment. "
        "Their official finding can still change.",
    ),
    "harm_rate_pct": ("Harm rate", f"100 × graded {HARMED} ÷ claims graded."),
    "official_credible_rate_pct": (
        "Official credible rate",
        "100 × officially credible ÷ claims graded.",
    ),
    "rate_ratio": (
        "Ratio of the rates",
        "Harm rate ÷ official credible rate, to two decimals; none when no claim it graded is "
        "officially credible.",
    ),
    "civilians_killed_min": (
        "Civilians killed, its low estimate",
        "The sum of the organisation's low estimates over the claims it graded (whatever the "
        "grade), leaving out claims it gave no count for.",
    ),
    "civilians_killed_max": (
        "Civilians killed, its high estimate",
        "The sum of its high estimates over the same claims, likewise.",
    ),
    "official_civilians_killed": (
        "Civilians killed, official count",
        "The sum of civilians killed over the claims it graded that are officially credible, "
        "each from its latest approved assessment.",
    ),
}

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


def figure_anchor(key: str, anchor: str = "figure") -> str:
    """The id of a figure's definition on the methodology page: "figure-cumulative-open"."""
    return f"{anchor}-" + key.replace(".", "-").replace("_", "-")


def figure_rows(definitions: dict, prefix: str = "", anchor: str = "figure") -> list[dict]:
    """The figures whose key starts with `prefix` (and holds no further dot), in order:
    [{"key", "name", "label", "definition", "anchor"}], `name` being the key without the prefix
    and `anchor` the id of its definition on the methodology page."""
    return [
        {
            "key": key,
            "name": key.removeprefix(prefix),
            "label": label,
            "definition": definition,
            "anchor": figure_anchor(key, anchor),
        }
        for key, (label, definition) in definitions.items()
        if key.startswith(prefix) and "." not in key.removeprefix(prefix)
    ]
