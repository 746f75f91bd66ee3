"""Generate the demo campaign: strikes, claims, assessments and external assessments (CSV).

    python tools/demo/generate.py [--out DIR]

Deterministic: the same seed gives byte-identical files. The campaign is shaped on CJTF-OIR's
published monthly figures (cjtf-oir-monthly.csv, reconciled in ledger.py). It speaks the app's
vocabulary (claims.definitions) and writes the importers' columns, so it sets Django up; it
checks nothing the importer or the report arithmetic already checks: tests/test_demo.py loads the
files through the importer and compares the app's monthly figures with the published ones.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casualty_tracker.settings")
# The settings refuse to start without a key; the generator signs nothing.
os.environ.setdefault("SECRET_KEY", "demo-generator-only")

import django  # noqa: E402

django.setup()

from claim_events import claims_count_deaths, claims_simulate  # noqa: E402
from external import external_assess  # noqa: E402
from incidents import claims_place  # noqa: E402
from ledger import ledger_build  # noqa: E402
from model import Claim, Strike  # noqa: E402
from strikes import strikes_generate  # noqa: E402
from wording import claims_word  # noqa: E402

from claims.definitions import Grade, Outcome, SourceType  # noqa: E402
from claims.importers import IMPORTERS  # noqa: E402
from claims.importers.assessments import REOPENED  # noqa: E402

SEED = 20140808  # the campaign's first day
DEFAULT_OUT = ROOT / "demo" / "data"  # shipped with the app: load_demo reads it


def _blank(value) -> str:
    return "" if value is None else str(value)


def strike_rows(strikes: list[Strike]) -> list[dict]:
    return [
        {"strike_ref": s.ref, "date": s.on.isoformat(), "country": s.place.country,
         "province": s.place.province, "locality": s.place.name,
         "latitude": f"{s.latitude:.5f}", "longitude": f"{s.longitude:.5f}",
         "belligerent": s.belligerent, "target": s.target, "munition": s.munition,
         "engagements": s.engagements, "source_url": s.source_url}
        for s in strikes
    ]  # fmt: skip


def claim_rows(claims: list[Claim]) -> list[dict]:
    rows = []
    for c in sorted(claims, key=lambda c: c.ref):
        digits = 5 if c.source_type == SourceType.SELF_REPORT else 4
        lat, lon = (f"{x:.{digits}f}" for x in c.point) if c.has_coordinates else ("", "")
        (killed_min, killed_max), (injured_min, injured_max) = c.killed_range, c.injured_range
        rows.append({
            "claim_ref": c.ref, "received_on": c.received_on.isoformat(),
            "incident_date": c.incident_date.isoformat(), "country": c.place.country,
            "province": c.place.province, "locality": c.place.name, "latitude": lat,
            "longitude": lon, "source_type": c.source_type, "source_name": c.source_name,
            "source_url": c.source_url, "civilians_killed_min": _blank(killed_min),
            "civilians_killed_max": _blank(killed_max),
            "civilians_injured_min": _blank(injured_min),
            "civilians_injured_max": _blank(injured_max),
            "strike_refs": ";".join(sorted(s.ref for s in c.strikes)),
            "belligerent": c.belligerent, "summary": c.summary, "confidential_notes": c.notes,
            "location_disclosure": c.location_disclosure,
        })  # fmt: skip
    return rows


def assessment_rows(claims: list[Claim]) -> list[dict]:
    keyed = []
    for c in claims:
        for order, e in enumerate(c.events):
            row = {"claim_ref": c.ref, "assessed_on": e.on.isoformat(), "outcome": e.kind,
                   "reason": e.reason, "duplicate_of": e.duplicate_of.ref if e.duplicate_of else "",
                   "civilians_killed": _blank(e.killed), "civilians_injured": _blank(e.injured),
                   "rationale": e.rationale, "diligence": e.diligence}  # fmt: skip
            keyed.append(((e.on, c.ref, order), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def csv_write(path: Path, kind: str, rows: list[dict]) -> None:
    """The rows under the importer's columns that the demo fills, in the importer's order."""
    columns = [c for c in IMPORTERS[kind].columns if c in rows[0]]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows({k: _blank(v) for k, v in row.items()} for row in rows)


def campaign_generate(seed: int = SEED):
    """Every record of the campaign."""
    ledger = ledger_build()
    rng = random.Random(seed)
    claims = claims_simulate(ledger, rng)
    claims_count_deaths(claims, ledger, rng)
    claims_place(claims, ledger, rng)
    strikes = strikes_generate(claims, ledger, rng)
    claims_word(claims, rng)
    external = external_assess(claims, rng)
    return strikes, claims, external


def summary_print(strikes, claims, external, seconds: float) -> None:
    events = Counter(e.kind for c in claims for e in c.events)
    grades = Counter(r["grade"] for r in external if r["organisation"] == "Airwars")
    airwars = sum(grades.values())
    harm = grades[Grade.CONFIRMED] + grades[Grade.FAIR]
    credible_now = sum(1 for c in claims if c.last and c.last.kind == Outcome.CREDIBLE)
    print(
        f"strikes {len(strikes):,} ({sum(s.engagements for s in strikes):,} engagements); "
        f"claims {len(claims):,} ({sum(c.is_open for c in claims)} still open); assessments: "
        + ", ".join(f"{k} {events[k]:,}" for k in Outcome.values)
        + f"; reopenings {events[REOPENED]}; external assessments {len(external):,} "
        f"(Airwars {airwars:,}, The New York Times {len(external) - airwars})"
    )
    print(
        f"Officially credible: {credible_now / len(claims):.0%} of claims. Airwars found civilian "
        f"harm (confirmed or fair) in {harm / airwars:.0%} of the claims it graded. "
        f"[{seconds:.1f} s]"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the CSV files")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    strikes, claims, external = campaign_generate(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, rows in (
        ("strikes", strike_rows(strikes)),
        ("claims", claim_rows(claims)),
        ("assessments", assessment_rows(claims)),
        ("external_assessments", external),
    ):
        csv_write(args.out / f"{kind}.csv", kind, rows)
    summary_print(strikes, claims, external, time.perf_counter() - started)
    print(f"Files written to {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
