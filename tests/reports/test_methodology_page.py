"""The methodology page publishes the criteria from the code that applies them, and every
published figure has a definition (reports/catalogue.py)."""

import pytest

from claims.definitions import (
    GRADE_DEFINITIONS,
    OUTCOME_DEFINITIONS,
    REASON_DEFINITIONS,
    AssessmentState,
    Diligence,
    Grade,
    Outcome,
    Precision,
    Reason,
    SourceType,
    Stage,
)
from reports.catalogue import FIGURES, Group, figures_in
from reports.comparison import comparison_figures
from reports.definitions import (
    ASSESSMENT_STATE_DEFINITIONS,
    COMPARISON_CAVEATS,
    STAGE_DEFINITIONS,
    described,
)
from reports.figures import month_figures
from reports.series import LIST_KEYS, month_series, month_totals
from tests.factories import ClaimFactory, assess, reopen
from tests.worlds import CANARY, D, campaign, plant_canaries

from .page_factories import page_text

pytestmark = pytest.mark.django_db


def flat_keys(figures: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in figures.items():
        if isinstance(value, dict):
            keys |= flat_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def test_every_figure_of_a_month_has_a_definition_and_every_definition_a_figure():
    published = flat_keys(month_figures(period="2017-03").as_dict()) - {"period", *LIST_KEYS}
    assert published == {
        figure.key for figure in figures_in(Group.MONTHLY) + figures_in(Group.CUMULATIVE)
    }


def test_every_figure_of_the_series_has_a_definition():
    campaign()
    [*_, last] = month_series()
    assert flat_keys(month_totals(last)) - {"period"} == {
        figure.key for figure in figures_in(Group.MONTHLY) + figures_in(Group.CUMULATIVE)
    }


def test_every_comparison_figure_has_a_definition():
    campaign()
    [row, *_] = comparison_figures()["organisations"]
    assert set(row) - {"organisation"} == {figure.key for figure in figures_in(Group.COMPARISON)}


def test_every_stage_and_assessment_state_has_a_definition():
    assert set(STAGE_DEFINITIONS) == set(Stage.values)
    assert set(ASSESSMENT_STATE_DEFINITIONS) == set(AssessmentState.values)


def test_a_member_without_a_definition_cannot_be_published():
    with pytest.raises(KeyError):
        described(Outcome, {Outcome.CREDIBLE: "Defined."})


@pytest.mark.parametrize(
    ("choices", "definitions"),
    [
        (Outcome, OUTCOME_DEFINITIONS),
        (Reason, REASON_DEFINITIONS),
        (Grade, GRADE_DEFINITIONS),
        (Stage, STAGE_DEFINITIONS),
        (AssessmentState, ASSESSMENT_STATE_DEFINITIONS),
    ],
)
def test_the_page_publishes_every_definition_from_the_code(client, choices, definitions):
    text = page_text(client.get("/methodology/"))
    for value, label in choices.choices:
        assert str(label) in text
        assert str(definitions[value]) in text


@pytest.mark.parametrize("choices", [Diligence, SourceType, Precision])
def test_the_page_lists_every_label_from_the_code(client, choices):
    text = page_text(client.get("/methodology/"))
    for label in choices.labels:
        assert str(label) in text


def test_every_figure_is_defined_on_the_page_under_its_api_name(client):
    html = client.get("/methodology/").content.decode()
    text = page_text(client.get("/methodology/"))
    for figure in FIGURES.values():
        assert f'<dt id="{figure.anchor}">' in html
        assert f"{figure.label}{figure.key}" in text  # the label, then the API name in grey
        assert str(figure.definition) in text
    assert 'id="figure-cumulative-open"' in html
    assert 'id="comparison-rate-ratio"' in html


def test_says_what_approval_means_and_what_non_credible_does_not(client):
    text = page_text(client.get("/methodology/"))
    assert "No one can approve their own proposal" in text
    assert "Only approved assessments count: in a claim's status, in every figure" in text
    assert "Non-credible does not mean that no civilian was harmed." in text
    assert "Even “No civilian harm found” means that they found no evidence of harm" in text
    assert "The claim becomes new and open again" in text
    assert "it does not show which of them is right" in text
    for caveat in COMPARISON_CAVEATS:
        assert str(caveat) in text
    assert "An organisation is taken to have found civilian harm when it graded a claim " in text
    assert "claim confirmed or fair." in text


def test_the_figure_definitions_match_the_arithmetic(client):
    # One figure checked against what month_figures does, so the words cannot be wrong about
    # the example the README gives: a claim closed, reopened and closed in one month counts
    # twice among the month's closures and once in the running totals.
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, "credible", D(2017, 3, 2), civilians_killed=2)
    reopen(claim, D(2017, 3, 3))
    assess(claim, "credible", D(2017, 3, 4), civilians_killed=5)
    march = month_figures(period="2017-03")
    assert (march.closed, march.civilians_killed) == (2, 7)
    assert (march.cumulative.credible, march.cumulative.civilians_killed) == (1, 5)
    assert "counts twice" in FIGURES["closed"].definition
    assert "counts again" in FIGURES["civilians_killed"].definition
    assert "counts once" in FIGURES["cumulative.civilians_killed"].definition


def test_no_query_so_nothing_confidential(client, django_assert_num_queries):
    plant_canaries(campaign())
    # The page is the code's definitions only: nothing is read from the database.
    with django_assert_num_queries(0):
        response = client.get("/methodology/")
    assert CANARY not in response.content.decode()
    assert "Non-credible does not mean that no civilian was harmed." in page_text(response)
