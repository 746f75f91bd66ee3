"""The comparison page: official and independent findings per organisation, from
reports.comparison.comparison_figures, with its caveats before the figures."""

import pytest

from reports.catalogue import Group, figures_in
from reports.comparison import comparison_figures
from reports.definitions import COMPARISON_CAVEATS
from tests.factories import ClaimFactory, ExternalAssessmentFactory, assess
from tests.worlds import CANARY, D, campaign

from .page_factories import page_before_and_after_secrets, page_text, table

pytestmark = pytest.mark.django_db


def test_claims_table_per_organisation(client):
    campaign()
    assert table(client.get("/comparison/"), "Per organisation, over the claims it graded (") == [
        [
            "Organisation",
            "Claims graded",
            "Graded confirmed or fair (harm rate)",
            "Officially credible (rate)",
            "Of those graded, officially open",
            "Ratio of the rates",
        ],
        # Airwars graded A (fair), B (confirmed), C (weak) and E (discounted); A and E are
        # officially credible, C is open.
        ["Airwars", "4", "2 (50.00%)", "2 (50.00%)", "1", "1.00×"],
        ["The New York Times", "1", "1 (100.00%)", "1 (100.00%)", "0", "1.00×"],
    ]


def test_killed_table_per_organisation(client):
    campaign()
    assert table(client.get("/comparison/"), "Per organisation, over the claims it graded:") == [
        ["Organisation", "Its low estimate", "Its high estimate", "Official count"],
        # Airwars: 2 + 8 + 0 (C has no count) and 5 + 10 + 11; officially A 3 + E 4.
        ["Airwars", "10", "26", "7"],
        ["The New York Times", "3", "3", "3"],
    ]


def test_the_page_shows_what_the_api_returns(client):
    campaign()
    api = client.get("/api/v1/reports/comparison/").json()
    assert api == comparison_figures()
    rows = table(client.get("/comparison/"), "Per organisation, over the claims it graded:")
    assert [row[1:] for row in rows[1:]] == [
        [str(org[key]) for key in ("civilians_killed_min", "civilians_killed_max")]
        + [str(org["official_civilians_killed"])]
        for org in api["organisations"]
    ]


def test_ratio_is_none_when_nothing_it_graded_is_officially_credible(client):
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, "non_credible", D(2017, 3, 5))
    ExternalAssessmentFactory(
        claim=claim, organisation="Monitor", grade="confirmed", civilians_killed_max=1500
    )
    rows = table(client.get("/comparison/"), "Per organisation, over the claims it graded (")
    assert rows[1] == [
        "Monitor",
        "1",
        "1 (100.00%)",
        "0 (0.00%)",
        "0",
        "none: no claim it graded is officially credible",
    ]
    killed = table(client.get("/comparison/"), "Per organisation, over the claims it graded:")
    assert killed[1] == ["Monitor", "2", "1,500", "0"]


def test_the_caveats_come_first_in_plain_words(client):
    campaign()
    html = client.get("/comparison/").content.decode()
    text = page_text(client.get("/comparison/"))
    assert "Read this before quoting these figures" in text
    for caveat in COMPARISON_CAVEATS:
        assert str(caveat) in text
    assert html.index("Read this before quoting these figures") < html.index("<table")
    assert "it does not show which of them is right" in text


def test_every_column_is_defined_on_the_page(client):
    campaign()
    text = page_text(client.get("/comparison/"))
    for figure in figures_in(Group.COMPARISON):
        assert str(figure.label) in text
        assert str(figure.definition) in text


def test_nothing_on_record(client):
    text = page_text(client.get("/comparison/"))
    assert "No independent assessment is on record yet: there is nothing to compare." in text
    assert "<table" not in client.get("/comparison/").content.decode()


def test_nothing_confidential_appears_and_a_proposal_changes_nothing(client):
    before, after = page_before_and_after_secrets(client, "/comparison/")
    assert CANARY not in after
    assert after == before


def test_one_query_whatever_the_data(client, django_assert_num_queries):
    campaign()
    for n in range(10):
        ExternalAssessmentFactory(organisation=f"Monitor {n % 3}")
    # 1: comparison_figures, every organisation at once (its official findings as subqueries).
    with django_assert_num_queries(1):
        response = client.get("/comparison/")
    rows = table(response, "Per organisation, over the claims it graded (")
    assert [row[0] for row in rows[1:]] == [
        "Airwars",
        "Monitor 0",
        "Monitor 1",
        "Monitor 2",
        "The New York Times",
    ]
