"""The coalition's strikes: the ones the claims name, then the rest of each month's total.

Each credible claim names 1-3 strikes at its place within two days of the incident; some other
claims name a strike too. The rest of the month's strikes (the ledger's exact count) are spread
over the places being fought over, never where and when a claim was rejected for want of a
strike. Engagements are then dealt out so that each month's total is the ledger's exactly.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from ledger import MonthPlan
from model import CAMPAIGN_END, NO_STRIKE, Claim, Strike, month_bounds, month_of
from places import (
    OIL_PLACES,
    RIVER_PLACES,
    SIEGES,
    Place,
    first_day_struck,
    place_weights,
    point_near,
)

from claims.definitions import Reason

# Share of claims naming a strike, by the reason they were found non-credible (None: open or a
# duplicate, which names its original's strikes when it names any).
LINK_CHANCE = {Reason.NO_CIVILIAN_HARM: 0.75, Reason.INSUFFICIENT_INFORMATION: 0.3,
               Reason.OTHER: 0.2, Reason.NOT_COALITION: 0.05, None: 0.25}  # fmt: skip
NATIONS = (  # name, weight, first day in Iraq, first day in Syria, last day
    ("Coalition", 80.0, date(2014, 8, 8), date(2014, 9, 23), CAMPAIGN_END),
    ("United States", 12.0, date(2014, 8, 8), date(2014, 9, 23), CAMPAIGN_END),
    ("United Kingdom", 3.5, date(2014, 9, 30), date(2015, 12, 3), CAMPAIGN_END),
    ("France", 2.5, date(2014, 9, 19), date(2015, 9, 27), CAMPAIGN_END),
    ("Australia", 1.5, date(2014, 10, 5), date(2015, 9, 16), date(2017, 12, 31)),
)
US_PLATFORMS = ("F-15E / GBU-38", "F-16 / GBU-12", "A-10 / AGM-65", "MQ-9 / AGM-114",
                "B-1B / GBU-31", "F/A-18E / GBU-12", "AV-8B / GBU-12", "F-22 / GBU-32",
                "MQ-1 / AGM-114")  # fmt: skip
NATION_PLATFORMS = {
    "United Kingdom": ("Typhoon / Paveway IV", "Tornado GR4 / Brimstone", "Reaper / AGM-114"),
    "France": ("Rafale / GBU-12", "Rafale / AASM", "Mirage 2000D / GBU-12"),
    "Australia": ("F/A-18F / GBU-38", "F/A-18A / GBU-12"),
}
BASE_TARGETS = {
    "ISIS fighting position": 25, "ISIS tactical unit": 25, "ISIS vehicle": 10,
    "ISIS building": 8, "ISIS headquarters": 4, "ISIS weapons cache": 4, "ISIS mortar system": 3,
    "ISIS staging area": 3, "ISIS supply route": 2, "ISIS command and control node": 2,
    "ISIS bed-down location": 2, "ISIS heavy machine gun": 3, "ISIS checkpoint": 2,
    "ISIS tunnel": 1,
}  # fmt: skip


def _platforms(nation: str, day: date, place: Place) -> tuple[str, ...]:
    if nation in NATION_PLATFORMS:
        platforms = NATION_PLATFORMS[nation]
        if nation == "United Kingdom" and day > date(2019, 3, 14):
            platforms = ("Typhoon / Paveway IV", "Reaper / AGM-114")
        if nation == "France" and day >= date(2016, 9, 1) and place.country == "IQ":
            platforms += ("CAESAR howitzer",)
        return platforms
    platforms = US_PLATFORMS
    if day >= date(2016, 1, 1):
        platforms += ("HIMARS",)
    if day >= date(2016, 4, 9):
        platforms += ("B-52 / GBU-31",)
    if day >= date(2016, 6, 1) and place.country == "IQ":
        platforms += ("AH-64 / AGM-114", "M777 / Excalibur")
    if nation == "Coalition":  # the releases do not name the nation: any platform may be theirs
        platforms += tuple(p for ps in NATION_PLATFORMS.values() for p in ps)
    return platforms


def _target(rng: random.Random, place: Place, day: date) -> str:
    targets = dict(BASE_TARGETS)
    if place.name in SIEGES:
        targets.update({"VBIED": 6, "ISIS sniper position": 3, "VBIED factory": 1})
    if place.name in RIVER_PLACES:
        targets["ISIS watercraft"] = 2
    if place.name in OIL_PLACES and day >= date(2015, 10, 21):
        oil = 12 if day <= date(2016, 6, 30) else 2
        targets.update({"ISIS oil well head": oil, "ISIS oil tanker truck": oil // 2,
                        "ISIS oil refinery": oil // 6})  # fmt: skip
    if place.name == "Harim":
        targets = {"Khorasan Group compound": 3, "Khorasan Group vehicle": 1}
    if place.name == "Idlib":
        targets = {"al-Qaeda in Syria leader": 2, "al-Qaeda in Syria meeting": 1}
    if place.name == "Kobani" or place.name == "Mosul Dam" or place.name == "Sinjar":
        targets.update({"ISIS armed vehicle": 6, "ISIS tank": 2, "ISIS artillery piece": 2})
    return rng.choices(list(targets), weights=list(targets.values()))[0]


def _strike_make(rng: random.Random, place: Place, day: date, near=None, km=None) -> Strike:
    lat, lon = near or (place.latitude, place.longitude)
    lat, lon = point_near(rng, lat, lon, km if km is not None else place.radius_km)
    nations = [(n, w) for n, w, iq, sy, end in NATIONS
               if (iq if place.country == "IQ" else sy) <= day <= end]  # fmt: skip
    nation = rng.choices([n for n, _ in nations], weights=[w for _, w in nations])[0]
    return Strike(
        place=place,
        on=day,
        latitude=lat,
        longitude=lon,
        belligerent=nation,
        target=_target(rng, place, day),
        munition=rng.choice(_platforms(nation, day, place)),
    )


def _linked_strikes(rng: random.Random, claim: Claim) -> list[Strike]:
    """1-3 strikes at the claim's place within two days of the incident."""
    count = rng.choices([1, 2, 3], weights=[60, 28, 12])[0]
    strikes = []
    for _ in range(count):
        offset = rng.choices([0, -1, 1, -2, 2], weights=[75, 10, 8, 4, 3])[0]
        day = claim.incident_date + timedelta(days=offset)
        day = min(max(day, first_day_struck(claim.place)), CAMPAIGN_END)
        strikes.append(_strike_make(rng, claim.place, day, near=claim.point, km=1.2))
    return strikes


def strikes_generate(
    claims: list[Claim], ledger: list[MonthPlan], rng: random.Random
) -> list[Strike]:
    """Every strike of the campaign, refs and engagements set; claims get their strikes."""
    budget = {m.month: m.strikes for m in ledger}
    used: dict[str, int] = defaultdict(int)
    strikes: list[Strike] = []
    excluded = _no_strike_windows(claims)
    ordered = sorted(claims, key=lambda c: (not c.ever_credible, c.received_on, c.serial))
    for claim in ordered:
        if claim.original is not None:
            continue  # a duplicate names its original's strikes: below
        if NO_STRIKE in claim.reasons:
            continue
        last_reason = claim.reasons[-1] if claim.reasons and not claim.ever_credible else None
        if not claim.ever_credible and rng.random() >= LINK_CHANCE[last_reason]:
            continue
        month = month_of(claim.incident_date)
        if not claim.ever_credible and used[month] > 0.3 * budget[month]:
            continue  # keep most of a quiet month's strikes for the places being fought over
        linked = _linked_strikes(rng, claim)
        if any((s.place.name, s.on) in excluded for s in linked):
            if claim.ever_credible:
                raise ValueError(f"{claim.ref}: its strikes fall where a claim found none.")
            continue
        claim.strikes = linked
        for strike in claim.strikes:
            used[month_of(strike.on)] += 1
        strikes += claim.strikes
    for claim in claims:
        if claim.original is not None and claim.original.strikes and rng.random() < 0.5:
            claim.strikes = list(claim.original.strikes)
    for m in ledger:
        if used[m.month] > m.strikes:
            raise ValueError(f"{m.month}: claims name more strikes than the month had.")
        strikes += _background(rng, m, m.strikes - used[m.month], excluded)
    _refs_assign(strikes, rng)
    _engagements_deal(strikes, ledger, rng)
    return strikes


def _no_strike_windows(claims: list[Claim]) -> set[tuple[str, date]]:
    """(place, day) pairs that must stay without strikes: two days either side of the claims
    rejected for want of a strike."""
    return {
        (claim.place.name, claim.incident_date + timedelta(days=d))
        for claim in claims
        if NO_STRIKE in claim.reasons
        for d in range(-2, 3)
    }


def _background(rng: random.Random, m: MonthPlan, count: int, excluded: set) -> list[Strike]:
    first, last = month_bounds(m.month)
    weights = place_weights(m.month)
    places = [p for p, _ in weights]
    strikes = []
    for place in rng.choices(places, weights=[w for _, w in weights], k=count):
        for _ in range(50):
            start = max(first, first_day_struck(place))
            if start > last:
                place = rng.choices(places, weights=[w for _, w in weights])[0]
                continue
            day = start + timedelta(days=rng.randint(0, (last - start).days))
            if (place.name, day) not in excluded:
                break
            place = rng.choices(places, weights=[w for _, w in weights])[0]
        else:
            raise ValueError(f"{m.month}: no place and day left for a strike.")
        strikes.append(_strike_make(rng, place, day))
    return strikes


def _release_url(day: date) -> str:
    """A plausible address of the day's strike release (one release a day)."""
    article = 600000 + (day - date(2014, 8, 8)).days * 617 + day.day * 7
    if day.year < 2017:
        return (
            "https://www.centcom.mil/MEDIA/PRESS-RELEASES/Press-Release-View/Article/"
            f"{article}/military-strikes-continue-against-isil-terrorists-in-syria-and-iraq/"
        )
    return (
        "https://www.inherentresolve.mil/Releases/Strike-Releases/Article/"
        f"{article}/coalition-strikes-continue-to-target-isis-in-syria-and-iraq/"
    )


def _refs_assign(strikes: list[Strike], rng: random.Random) -> None:
    keys = {id(s): rng.random() for s in strikes}
    strikes.sort(key=lambda s: (s.on, s.place.name, keys[id(s)]))
    serial: dict[str, int] = defaultdict(int)
    for strike in strikes:
        month = month_of(strike.on)
        serial[month] += 1
        strike.ref = f"S-{month}-{serial[month]:05d}"
        strike.source_url = _release_url(strike.on)


def _engagements_deal(strikes: list[Strike], ledger: list[MonthPlan], rng: random.Random) -> None:
    """One engagement each, the month's remaining engagements dealt out unevenly."""
    by_month: dict[str, list[Strike]] = defaultdict(list)
    for strike in strikes:
        by_month[month_of(strike.on)].append(strike)
    for m in ledger:
        month = by_month[m.month]
        if len(month) != m.strikes:
            raise ValueError(f"{m.month}: {len(month)} strikes, the ledger says {m.strikes}.")
        weights = [rng.expovariate(1.0) + 0.05 for _ in month]
        for strike in month:
            strike.engagements = 1
        for i in rng.choices(range(len(month)), weights=weights, k=m.engagements - len(month)):
            month[i].engagements += 1
