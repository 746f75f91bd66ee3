"""The figure catalogue is the one vocabulary of the figures: every channel names a figure as it
does, and the README's table of figures is the catalogue's."""

import re
from pathlib import Path

import pytest

from reports.catalogue import FIGURES, Group, Unit, figures_in, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(
    r"^\| `(?P<key>[a-z_.]+)` \| (?P<label>.+?) \| (?P<unit>\w+) \| (?P<definition>.+) \|$"
)


def readme_rows() -> dict[str, tuple[str, str, str]]:
    """The rows of the README's table of figures: key -> (label, unit, definition)."""
    section = README.read_text().split("## How the figures are defined", 1)[1].split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        if match := ROW.match(line):
            assert match["key"] not in rows, f"{match['key']} is twice in the README's table"
            rows[match["key"]] = (match["label"], match["unit"], match["definition"])
    return rows


def test_the_readme_table_of_figures_is_the_catalogue():
    expected = {
        figure.key: (str(figure.label), figure.unit.value, str(figure.definition))
        for figure in FIGURES.values()
    }
    assert readme_rows() == expected, f"Replace the README's table with:\n{readme_table()}"


def test_every_figure_has_one_label_of_its_own():
    labels = [str(figure.label) for figure in FIGURES.values()]
    assert len(labels) == len(set(labels))


def test_groups_and_units():
    assert [figure.key for figure in figures_in(Group.CUMULATIVE)][:2] == [
        "cumulative.received",
        "cumulative.credible",
    ]
    assert {figure.key for figure in FIGURES.values() if figure.unit == Unit.PERCENTAGE} == {
        "cumulative.engagements_report_pct",
        "cumulative.engagements_credible_pct",
        "harm_rate_pct",
        "official_credible_rate_pct",
    }
    assert FIGURES["cumulative.open"].name == "open"
    assert FIGURES["cumulative.open"].anchor == "figure-cumulative-open"
    assert FIGURES["rate_ratio"].anchor == "comparison-rate-ratio"


@pytest.mark.django_db
def test_the_api_describes_every_figure_with_its_label_and_definition(client):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    components = {
        Group.MONTHLY: "MonthTotals",
        Group.CUMULATIVE: "Cumulative",
        Group.COMPARISON: "OrganisationComparison",
    }
    for group, component in components.items():
        properties = schemas[component]["properties"]
        for figure in figures_in(group):
            description = f"{figure.label}. {figure.definition}"
            assert properties[figure.name]["description"] == description, figure.key
            assert properties[figure.name].get("nullable", False) == figure.is_nullable


def test_no_template_or_module_writes_a_figures_label_itself():
    """Labels and headings come from the catalogue: a copy elsewhere would drift (and escape the
    translation)."""
    root = Path(__file__).resolve().parents[2]
    sources = [
        path
        for folder in ("templates", "reports", "claims")
        for path in (root / folder).rglob("*")
        if path.suffix in (".html", ".py") and path.name != "catalogue.py"
    ]
    texts = {path: path.read_text() for path in sources}
    copies = [
        (str(text), path.relative_to(root).as_posix())
        for figure in FIGURES.values()
        for text in {figure.label, figure.heading}
        for path, source in texts.items()
        if f'"{text}"' in source or f">{text}<" in source
    ]
    assert copies == []
