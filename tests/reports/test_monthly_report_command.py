import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.figures import month_figures
from tests.factories import ClaimFactory, StrikeFactory, assess, reopen

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def march_2017():
    """Carried over 2; received 3; 3 closures (2 credible: 3 + 2 killed); 1 reopened; 3 open."""
    old = [ClaimFactory(claim_ref=f"OLD-{n}", received_on=D(2017, 2, 10)) for n in range(2)]
    closed_in_feb = ClaimFactory(received_on=D(2017, 2, 1), locality="Raqqa", country="SY")
    assess(closed_in_feb, "credible", D(2017, 2, 15), civilians_killed=7, civilians_injured=0)
    new = [ClaimFactory(claim_ref=f"NEW-{day}", received_on=D(2017, 3, day)) for day in (1, 2, 3)]
    assess(old[0], "credible", D(2017, 3, 10), civilians_killed=3, civilians_injured=2)
    assess(new[0], "credible", D(2017, 3, 11), civilians_killed=2, civilians_injured=0)
    assess(new[1], "non_credible", D(2017, 3, 12), reason="no_civilian_harm")
    reopen(closed_in_feb, D(2017, 3, 20), reason="New video of the site.")
    StrikeFactory(date=D(2017, 1, 5), engagements=3000)


def run(*args):
    out = StringIO()
    call_command("monthly_report", *args, stdout=out)
    return out.getvalue()


def test_json_output_has_the_documented_keys_and_figures(march_2017):
    data = json.loads(run("2017-03", "--json"))
    assert data["period"] == "2017-03"
    assert {key: data[key] for key in ("open_at_start", "received", "reopened", "closed")} == {
        "open_at_start": 2,
        "received": 3,
        "reopened": 1,
        "closed": 3,
    }
    assert (data["credible"], data["non_credible"], data["duplicate"]) == (2, 1, 0)
    assert data["open_at_end"] == 3
    assert (data["civilians_killed"], data["civilians_injured"]) == (5, 2)
    assert data["cumulative"] == {
        "received": 6,
        "credible": 2,
        "non_credible": 1,
        "duplicate": 0,
        "open": 3,
        "civilians_killed": 5,
        "civilians_injured": 2,
        "strikes": 1,
        "engagements": 3000,
        "engagements_report_pct": 0.2,
        "engagements_credible_pct": 0.07,
    }
    assert [row["claim_ref"] for row in data["credible_claims"]] == ["OLD-0", "NEW-1"]
    assert [row["claim_ref"] for row in data["non_credible_claims"]] == ["NEW-2"]
    credible = data["credible_claims"][0]
    assert credible["incident_date"] == "2017-02-05"
    assert (credible["place"], credible["country"]) == ("Mosul, Ninawa", "IQ")
    assert (credible["civilians_killed"], credible["civilians_injured"]) == (3, 2)
    assert data["non_credible_claims"][0]["reason"] == "no_civilian_harm"
    assert data["reopened_claims"][0]["reason"] == "New video of the site."
    assert data == json.loads(json.dumps(month_figures(period="2017-03").as_dict()))


def test_paragraph_in_the_style_of_the_cjtf_oir_reports(march_2017):
    text = run("2017-03")
    assert text.startswith("Civilian casualty report: March 2017\n")
    assert (
        "During the month of March 2017, the Coalition carried over 2 open reports, received "
        "3 new reports, and completed the assessment of 3 reports: 2 were assessed to be "
        "credible, 1 non-credible and 0 duplicates of reports already on record. 1 report was "
        "reopened on new information. 3 reports remain open. The credible reports assessed "
        "this month concern 5 civilians killed and 2 injured."
    ) in text
    assert "To the end of March 2017, the Coalition received 6 reports" in text
    assert "1 strike comprising 3,000 engagements" in text
    assert "0.20% of engagements, and credible reports to 0.07%." in text


def test_confidential_notes_never_appear_in_the_report():
    claim = ClaimFactory(received_on=D(2017, 3, 1), confidential_notes="CANARY-witness-phone")
    assess(claim, "credible", D(2017, 3, 2))
    assert "CANARY" not in run("2017-03", "--json")
    assert "CANARY" not in run("2017-03")


@pytest.mark.parametrize("period", ["2017-13", "2017-3", "March 2017", "2017-03-01", ""])
def test_bad_period_is_a_clear_error(period):
    with pytest.raises(CommandError) as error:
        run(period)
    assert str(error.value) == (
        f"Period must be a month written YYYY-MM (e.g. 2017-03), not {period!r}."
    )
