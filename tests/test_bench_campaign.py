"""bench/campaign.py: a campaign N times the demo, each copy with refs of its own.

On a slice of the demo (its first claims, the strikes they name, their findings) to stay fast;
`make bench` writes and imports the whole demo at the chosen scale.
"""

import csv
from pathlib import Path

import pytest

from bench.campaign import DEMO_DATA, FILES, write_campaign
from claims.definitions import ClaimStatus
from claims.importers import import_csv
from claims.models import Assessment, Claim, ExternalAssessment, Reopening, Strike

pytestmark = pytest.mark.django_db

CLAIMS = 40


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def demo_slice(tmp_path) -> Path:
    """The demo's first CLAIMS claims, with the strikes they name and their findings."""
    folder = tmp_path / "slice"
    folder.mkdir()
    claims = _rows(DEMO_DATA / "claims.csv")[:CLAIMS]
    refs = {claim["claim_ref"] for claim in claims}
    named = {ref for claim in claims for ref in claim["strike_refs"].split(";") if ref}
    strikes = [s for s in _rows(DEMO_DATA / "strikes.csv") if s["strike_ref"] in named]
    assessments = [
        a
        for a in _rows(DEMO_DATA / "assessments.csv")
        if a["claim_ref"] in refs and a["duplicate_of"] in refs | {""}
    ]
    external = [e for e in _rows(DEMO_DATA / "external_assessments.csv") if e["claim_ref"] in refs]
    assert strikes and assessments and external and any(a["duplicate_of"] for a in assessments)
    for name, rows in (
        ("strikes.csv", strikes),
        ("claims.csv", claims),
        ("assessments.csv", assessments),
        ("external_assessments.csv", external),
    ):
        _write(folder / name, rows)
    return folder


def test_campaign_at_scale_2_has_unique_refs_and_imports(demo_slice, tmp_path):
    paths = write_campaign(2, tmp_path / "x2", source=demo_slice)

    assert list(paths) == list(FILES)
    source = {kind: _rows(demo_slice / name) for kind, (name, _) in FILES.items()}
    written = {kind: _rows(path) for kind, path in paths.items()}
    for kind in FILES:
        assert len(written[kind]) == 2 * len(source[kind])
    for kind, ref in (("strikes", "strike_ref"), ("claims", "claim_ref")):
        refs = [row[ref] for row in written[kind]]
        assert len(set(refs)) == len(refs)
        assert refs[len(refs) // 2] == "X2-" + refs[0]  # copy 1 is the demo, copy 2 prefixed
    strike_refs = {row["strike_ref"] for row in written["strikes"]}
    claim_refs = {row["claim_ref"] for row in written["claims"]}
    assert {r for c in written["claims"] for r in c["strike_refs"].split(";") if r} <= strike_refs
    named = {row[c] for row in written["assessments"] for c in ("claim_ref", "duplicate_of")}
    assert named - {""} <= claim_refs
    assert written["claims"][0]["received_on"] == written["claims"][CLAIMS]["received_on"]

    for kind, path in paths.items():
        result = import_csv(kind, path)
        assert result.ok, result.errors[:5]
    assert Strike.objects.count() == len(written["strikes"])
    assert Claim.objects.count() == 2 * CLAIMS
    assessed = [row for row in written["assessments"] if row["outcome"] != "reopened"]
    assert Assessment.objects.count() == len(assessed)
    assert Reopening.objects.count() == len(written["assessments"]) - len(assessed)
    assert ExternalAssessment.objects.count() == len(written["external_assessments"])
    # Each copy's claims have the same story: the same number closed in each copy.
    closed = Claim.objects.filter(status=ClaimStatus.CLOSED)
    assert closed.filter(claim_ref__startswith="X2-").count() * 2 == closed.count()


def test_campaign_at_scale_1_is_the_demo(tmp_path):
    paths = write_campaign(1, tmp_path / "x1")

    for kind, (name, _) in FILES.items():
        assert _rows(paths[kind]) == _rows(DEMO_DATA / name)
