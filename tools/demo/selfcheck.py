"""Check the written CSV files: every import rule, the figures replayed from the events, anchors.

The figures are computed the way the app defines them, from the files alone: a claim is closed
at the end of a month when its latest event by then is an assessment; cumulative credible,
non-credible and duplicate count closed claims by the outcome of that assessment; the
cumulative death toll adds the latest count of every claim credible at the end of the month.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from ledger import Month
from places import distance_km
from published import published_comparison

COLUMNS = {
    "strikes": "strike_ref,date,country,province,locality,latitude,longitude,belligerent,target,"
    "munition,engagements,source_url",
    "claims": "claim_ref,received_on,incident_date,country,province,locality,latitude,longitude,"
    "source_type,source_name,source_url,civilians_killed_min,civilians_killed_max,"
    "civilians_injured_min,civilians_injured_max,strike_refs,belligerent,summary,"
    "confidential_notes",
    "assessments": "claim_ref,assessed_on,outcome,reason,duplicate_of,civilians_killed,"
    "civilians_injured,rationale,diligence",
    "external_assessments": "claim_ref,organisation,grade,civilians_killed_min,"
    "civilians_killed_max,assessed_on,url",
}
HARD_ANCHORS = {
    "2017-03": {"cum_received": 396, "cum_credible": 102, "strikes_to_date": 20205,
                "engagements_to_date": 42089},
    "2017-09": {"strikes_to_date": 27566, "engagements_to_date": 56099},
    "2017-10": {"strikes_to_date": 28198, "engagements_to_date": 56976},
    "2017-11": {"cum_received": 1799, "cum_credible": 208, "cum_killed": 817, "open": 603,
                "strikes_to_date": 28562},
}  # fmt: skip
SOURCE_TYPES = {"media", "ngo", "social_media", "witness", "government", "self_report", "other"}
OUTCOMES = {"credible", "non_credible", "duplicate"}
REASONS = {"insufficient_information", "no_strike_at_time_or_place", "no_civilian_harm",
           "not_coalition", "other"}  # fmt: skip
DILIGENCE = {"strike_video", "personnel_interviewed", "local_language_search", "map_search",
             "witness_interviewed", "site_visit", "ngo_information"}  # fmt: skip
GRADES = {"confirmed", "fair", "weak", "contested", "discounted"}
COORDINATE = re.compile(r"^-?\d{1,3}\.\d{4,5}$")


def csv_read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if ",".join(reader.fieldnames or []) != COLUMNS[name]:
            raise AssertionError(f"{name}.csv: the header is not {COLUMNS[name]}")
        return list(reader)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _count(text: str) -> int | None:
    return int(text) if text else None


class Problems(list):
    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.append(message)


def _place_check(p: Problems, row: dict, what: str) -> None:
    lat, lon = row["latitude"], row["longitude"]
    p.check(row["country"] in ("IQ", "SY"), f"{what}: country {row['country']!r}")
    p.check(bool(lat) == bool(lon), f"{what}: latitude and longitude must come together")
    if lat:
        p.check(bool(COORDINATE.match(lat) and COORDINATE.match(lon)), f"{what}: coordinates")
        p.check(-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, f"{what}: out of range")


def rules_check(data: dict[str, list[dict]]) -> Problems:
    """Every rule the importer enforces, and the demo's own promises."""
    p = Problems()
    strikes = {}
    for s in data["strikes"]:
        what = f"strike {s['strike_ref']}"
        p.check(s["strike_ref"] not in strikes, f"{what}: duplicate ref")
        p.check(re.fullmatch(r"S-\d{4}-\d{2}-\d{5}", s["strike_ref"]) is not None, f"{what}: ref")
        p.check(date(2014, 8, 8) <= _day(s["date"]) <= date(2019, 12, 31), f"{what}: date")
        p.check(int(s["engagements"]) >= 1, f"{what}: engagements")
        p.check(bool(s["latitude"] and s["belligerent"]), f"{what}: place and belligerent")
        p.check(s["source_url"].startswith("https://"), f"{what}: source_url")
        _place_check(p, s, what)
        strikes[s["strike_ref"]] = s
    struck_on = {(s["locality"], _day(s["date"])) for s in data["strikes"]}
    claims = {c["claim_ref"]: c for c in data["claims"]}
    p.check(len(claims) == len(data["claims"]), "claims: duplicate refs")
    events = defaultdict(list)
    for a in data["assessments"]:
        events[a["claim_ref"]].append(a)
    for c in data["claims"]:
        what = f"claim {c['claim_ref']}"
        received, incident = _day(c["received_on"]), _day(c["incident_date"])
        p.check(re.fullmatch(r"CIV-\d{4}-\d{4}", c["claim_ref"]) is not None, f"{what}: ref")
        p.check(0 <= (received - incident).days <= 120, f"{what}: received 0-120 days after")
        p.check(c["source_type"] in SOURCE_TYPES, f"{what}: source_type")
        p.check(bool(c["summary"] and c["belligerent"]), f"{what}: summary and belligerent")
        _place_check(p, c, what)
        for low, high in (("civilians_killed_min", "civilians_killed_max"),
                          ("civilians_injured_min", "civilians_injured_max")):  # fmt: skip
            lo, hi = _count(c[low]), _count(c[high])
            p.check(lo is None or hi is None or 0 <= lo <= hi, f"{what}: {low} > {high}")
        refs = [r for r in c["strike_refs"].split(";") if r]
        p.check(all(r in strikes for r in refs), f"{what}: names a strike that does not exist")
        history = events[c["claim_ref"]]
        if any(e["outcome"] == "credible" for e in history):
            p.check(1 <= len(refs) <= 3, f"{what}: credible with {len(refs)} strikes")
            for r in refs:
                s = strikes.get(r, {})
                p.check(s.get("locality") == c["locality"], f"{what}: strike {r} elsewhere")
                p.check(abs((_day(s["date"]) - incident).days) <= 2, f"{what}: strike {r} date")
                if c["latitude"]:
                    km = distance_km(float(c["latitude"]), float(c["longitude"]),
                                     float(s["latitude"]), float(s["longitude"]))  # fmt: skip
                    p.check(km <= 10, f"{what}: strike {r} {km:.1f} km away")
        if any(e["reason"] == "no_strike_at_time_or_place" for e in history):
            p.check(not refs, f"{what}: no strike found, yet it names strikes")
            for d in range(-2, 3):
                near = incident + timedelta(days=d)
                p.check((c["locality"], near) not in struck_on, f"{what}: a strike was there")
        _history_check(p, c, history, claims)
    _order_check(p, data["assessments"])
    _external_check(p, data["external_assessments"], claims, events)
    return p


def _history_check(p: Problems, claim: dict, history: list[dict], claims: dict) -> None:
    what = f"claim {claim['claim_ref']}"
    received, last = _day(claim["received_on"]), None
    for i, e in enumerate(history):
        on, outcome = _day(e["assessed_on"]), e["outcome"]
        p.check(on >= received, f"{what}: event before receipt")
        p.check(last is None or on >= last, f"{what}: events out of order")
        last = on
        expected_reopening = i % 2 == 1
        p.check((outcome == "reopened") == expected_reopening, f"{what}: events do not alternate")
        p.check(bool(e["rationale"]), f"{what}: event without a rationale")
        tokens = [t for t in e["diligence"].split(";") if t]
        if outcome == "reopened":
            p.check(not any(e[k] for k in ("reason", "duplicate_of", "civilians_killed",
                                           "civilians_injured", "diligence")),
                    f"{what}: a reopening with assessment fields")  # fmt: skip
            continue
        p.check(outcome in OUTCOMES, f"{what}: outcome {outcome!r}")
        p.check(bool(tokens) and set(tokens) <= DILIGENCE, f"{what}: diligence")
        counts = (_count(e["civilians_killed"]), _count(e["civilians_injured"]))
        if outcome == "credible":
            p.check(not e["reason"] and not e["duplicate_of"], f"{what}: credible with a reason")
            p.check(all(n is not None and n >= 0 for n in counts), f"{what}: credible counts")
        else:
            p.check(counts == (None, None), f"{what}: counts on a {outcome} assessment")
        if outcome == "non_credible":
            p.check(e["reason"] in REASONS and not e["duplicate_of"], f"{what}: reason")
        if outcome == "duplicate":
            original = claims.get(e["duplicate_of"])
            p.check(not e["reason"], f"{what}: duplicate with a reason")
            p.check(original is not None and original is not claim, f"{what}: duplicate_of")
            if original is not None:
                p.check(original["received_on"] < claim["received_on"], f"{what}: original later")
                p.check((original["locality"], original["incident_date"]) ==
                        (claim["locality"], claim["incident_date"]), f"{what}: not the same "
                        "incident as its original")  # fmt: skip


def _order_check(p: Problems, rows: list[dict]) -> None:
    keys = [(r["assessed_on"], r["claim_ref"]) for r in rows]
    p.check(keys == sorted(keys), "assessments.csv is not sorted by date then claim_ref")


def _external_check(p: Problems, rows: list[dict], claims: dict, events: dict) -> None:
    pairs = set()
    for r in rows:
        what = f"external assessment of {r['claim_ref']} by {r['organisation']}"
        pair = (r["claim_ref"], r["organisation"])
        p.check(pair not in pairs, f"{what}: more than one")
        pairs.add(pair)
        p.check(r["claim_ref"] in claims, f"{what}: unknown claim")
        p.check(r["grade"] in GRADES, f"{what}: grade")
        lo, hi = _count(r["civilians_killed_min"]), _count(r["civilians_killed_max"])
        p.check(lo is None or hi is None or 0 <= lo <= hi, f"{what}: min > max")
        _day(r["assessed_on"])
        history = events.get(r["claim_ref"], [])
        if r["organisation"] == "Airwars" and history and history[-1]["outcome"] == "credible":
            p.check(r["grade"] == "confirmed", f"{what}: officially credible, not confirmed")


def figures_replay(data: dict[str, list[dict]], months: list[str]) -> dict[str, dict]:
    """Each month's figures, from the files' events alone."""
    month = lambda text: text[:7]  # noqa: E731
    flows: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for c in data["claims"]:
        flows[month(c["received_on"])]["received"] += 1
    for s in data["strikes"]:
        flows[month(s["date"])]["strikes"] += 1
        flows[month(s["date"])]["engagements"] += int(s["engagements"])
    rows = sorted(data["assessments"], key=lambda r: r["assessed_on"])  # stable: file order
    latest: dict[str, dict] = {}
    figures, i = {}, 0
    totals = defaultdict(int)
    for m in months:
        while i < len(rows) and month(rows[i]["assessed_on"]) <= m:
            row = rows[i]
            i += 1
            outcome = row["outcome"]
            flows[month(row["assessed_on"])]["reopened" if outcome == "reopened" else outcome] += 1
            if outcome == "credible":
                flows[month(row["assessed_on"])]["killed"] += int(row["civilians_killed"])
            latest[row["claim_ref"]] = row
        f = flows[m]
        for key in ("received", "strikes", "engagements"):
            totals[key] += f[key]
        closed = defaultdict(int)
        killed = 0
        for row in latest.values():
            closed[row["outcome"]] += 1
            if row["outcome"] == "credible":
                killed += int(row["civilians_killed"])
        figures[m] = {
            "received": f["received"], "closed": sum(f[o] for o in OUTCOMES),
            "credible": f["credible"], "non_credible": f["non_credible"],
            "duplicate": f["duplicate"], "reopened": f["reopened"], "killed": f["killed"],
            "cum_received": totals["received"], "cum_credible": closed["credible"],
            "cum_non_credible": closed["non_credible"], "cum_duplicate": closed["duplicate"],
            "open": totals["received"] - sum(closed[o] for o in OUTCOMES),
            "cum_killed": killed, "strikes_to_date": totals["strikes"],
            "engagements_to_date": totals["engagements"],
        }  # fmt: skip
    return figures


def ledger_check(p: Problems, figures: dict, ledger: list[Month]) -> None:
    for m in ledger:
        f = figures[m.month]
        expected = {
            "received": m.received, "credible": m.credible, "non_credible": m.non_credible,
            "duplicate": m.duplicate, "reopened": m.reopened, "killed": m.killed,
            "open": m.open_end, "cum_received": m.cum_received, "cum_credible": m.cum_credible,
            "cum_killed": m.cum_killed, "strikes_to_date": m.strikes_to_date,
            "engagements_to_date": m.engagements_to_date,
        }  # fmt: skip
        for key, value in expected.items():
            p.check(f[key] == value, f"{m.month} {key}: replayed {f[key]}, ledger {value}")
    for month, anchors in HARD_ANCHORS.items():
        for key, value in anchors.items():
            p.check(
                figures[month][key] == value,
                f"ANCHOR {month} {key}: {figures[month][key]}, must be {value}",
            )


TABLE = (  # heading, replayed figure, published column
    ("received", "received", "received"), ("closed", "closed", "completed"),
    ("credible", "credible", "credible"), ("killed", "killed", "killed_in_month"),
    ("cum.killed", "cum_killed", "cumulative_killed"), ("open", "open", "open_end"),
    ("strikes", "strikes_to_date", "strikes_to_date"),
)  # fmt: skip


def table_print(figures: dict, ledger: list[Month], published: dict) -> None:
    """Demo figures beside the published ones, October 2016 to December 2019; * = differs."""
    shown = {(month, column): p for month, column, p, _ in published_comparison(ledger, published)}
    print("Demo figures (published in brackets; * where they differ):")
    print("month   " + "".join(f"{h:>17}" for h, _, _ in TABLE))
    for m in ledger:
        if m.month < "2016-10":
            continue
        cells = []
        for _, key, column in TABLE:
            demo, pub = figures[m.month][key], shown.get((m.month, column))
            text = f"{demo:,}" + (
                "" if pub is None else f" ({pub:,})" + ("*" if pub != demo else " ")
            )
            cells.append(f"{text:>17}" if pub is not None else f"{text:>15}  ")
        print(f"{m.month} " + "".join(cells))


def selfcheck(folder: Path, ledger: list[Month], published: dict) -> Problems:
    data = {name: csv_read(folder, name) for name in COLUMNS}
    problems = rules_check(data)
    figures = figures_replay(data, [m.month for m in ledger])
    ledger_check(problems, figures, ledger)
    table_print(figures, ledger, published)
    return problems
