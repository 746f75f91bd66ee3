"""Generate the demo campaign: strikes, claims, assessments and external assessments (CSV).

    python tools/demo/generate.py [--out DIR]

Standard library only and deterministic: the same seed gives byte-identical files. The campaign
is shaped on CJTF-OIR's published monthly figures (tools/demo/cjtf-oir-monthly.csv, reconciled in
ledger.py); after writing, the files are read back, every import rule is checked and the
monthly figures are replayed from the events and compared with the ledger and the anchors.
Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_events import claims_count_deaths, claims_simulate  # noqa: E402
from external import external_assess  # noqa: E402
from incidents import claims_place  # noqa: E402
from ledger import ledger_build  # noqa: E402
from model import Claim, Strike  # noqa: E402
from published import published_read  # noqa: E402
from selfcheck import COLUMNS, selfcheck  # noqa: E402
from strikes import strikes_generate  # noqa: E402
from wording import claims_word  # noqa: E402

SEED = 20140808  # the campaign's first day
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "demo" / "data"  # shipped with the app


def _blank(value) -> str:
    return "" if value is None else str(value)


def strike_rows(strikes: list[Strike]) -> list[list]:
    return [
        [s.ref, s.on.isoformat(), s.place.country, s.place.province, s.place.name,
         f"{s.latitude:.5f}", f"{s.longitude:.5f}", s.belligerent, s.target, s.munition,
         s.engagements, s.source_url]
        for s in strikes
    ]  # fmt: skip


def claim_rows(claims: list[Claim]) -> list[list]:
    rows = []
    for c in sorted(claims, key=lambda c: c.ref):
        digits = 5 if c.source_type == "self_report" else 4
        lat, lon = (f"{x:.{digits}f}" for x in c.point) if c.has_coordinates else ("", "")
        rows.append([
            c.ref, c.received_on.isoformat(), c.incident_date.isoformat(), c.place.country,
            c.place.province, c.place.name, lat, lon, c.source_type, c.source_name,
            c.source_url, *map(_blank, c.killed_range), *map(_blank, c.injured_range),
            ";".join(sorted(s.ref for s in c.strikes)), c.belligerent, c.summary, c.notes,
        ])  # fmt: skip
    return rows


def assessment_rows(claims: list[Claim]) -> list[list]:
    keyed = []
    for c in claims:
        for order, e in enumerate(c.events):
            row = [c.ref, e.on.isoformat(), e.kind, e.reason,
                   e.duplicate_of.ref if e.duplicate_of else "", _blank(e.killed),
                   _blank(e.injured), e.rationale, e.diligence]  # fmt: skip
            keyed.append(((e.on, c.ref, order), row))
    return [row for _, row in sorted(keyed)]


def csv_write(path: Path, header: str, rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header.split(","))
        writer.writerows(rows)


def campaign_generate(seed: int = SEED):
    """The reconciled ledger and every record of the campaign."""
    published = published_read()
    ledger = ledger_build(published)
    rng = random.Random(seed)
    claims = claims_simulate(ledger, rng)
    claims_count_deaths(claims, ledger, rng)
    claims_place(claims, ledger, rng)
    strikes = strikes_generate(claims, ledger, rng)
    claims_word(claims, rng)
    external = external_assess(claims, rng)
    return published, ledger, strikes, claims, external


def summary_print(strikes, claims, external, seconds: float) -> None:
    events = Counter(e.kind for c in claims for e in c.events)
    grades = Counter(r["grade"] for r in external if r["organisation"] == "Airwars")
    airwars = sum(grades.values())
    harm = grades["confirmed"] + grades["fair"]
    credible_now = sum(1 for c in claims if c.last and c.last.kind == "credible")
    print(
        f"strikes {len(strikes):,} ({sum(s.engagements for s in strikes):,} engagements); "
        f"claims {len(claims):,} ({sum(c.is_open for c in claims)} still open); assessments: "
        + ", ".join(f"{k} {events[k]:,}" for k in ("credible", "non_credible", "duplicate"))
        + f"; reopenings {events['reopened']}; external assessments {len(external):,} "
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
    published, ledger, strikes, claims, external = campaign_generate(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    external_rows = [[_blank(r[k]) for k in COLUMNS["external_assessments"].split(",")]
                     for r in external]  # fmt: skip
    for name, rows in (
        ("strikes", strike_rows(strikes)),
        ("claims", claim_rows(claims)),
        ("assessments", assessment_rows(claims)),
        ("external_assessments", external_rows),
    ):
        csv_write(args.out / f"{name}.csv", COLUMNS[name], rows)
    problems = selfcheck(args.out, ledger, published)
    summary_print(strikes, claims, external, time.perf_counter() - started)
    if problems:
        print(f"SELF-CHECK FAILED: {len(problems)} problems", file=sys.stderr)
        for problem in problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"Self-check passed; files written to {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
