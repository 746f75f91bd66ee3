"""The month-by-month ledger the demo campaign is generated from.

CJTF-OIR's monthly civilian casualty reports (cjtf-oir-monthly.csv, October 2016 to December
2019) leave many cells empty and do not balance everywhere. This module holds the reconciled
ledger: one row per month from August 2014, the counts that the demo's claims, assessments and
strikes must add up to. The running totals are not computed here: tests/test_demo.py loads the
demo and checks every published figure against the app's own report arithmetic; each departure
must be listed in published.DEPARTURES with the choice that explains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from published import published_read

from claims.definitions import Outcome
from reports.periods import Month

FIRST_MONTH, LAST_MONTH = "2014-08", "2019-12"

# Claims received and assessments completed each month, by outcome, and the civilians killed in
# that month's credible assessments: (received, credible, non_credible, duplicate, killed).
# Reassessments of reopened claims (REOPENINGS) are counted in their month's outcomes.
FLOWS: dict[str, tuple[int, int, int, int, int]] = {
    # Nothing monthly was published before October 2016. Interpolated so that the totals at the
    # end of September 2016 (250 received, 67 credible, 119 killed, none open) lead exactly to
    # the published March 2017 totals; the first credible finding is May 2015 (Harim, Syria).
    "2014-08": (1, 0, 0, 0, 0),
    "2014-09": (2, 0, 0, 0, 0),
    "2014-10": (4, 0, 1, 0, 0),
    "2014-11": (5, 0, 2, 0, 0),
    "2014-12": (6, 0, 3, 0, 0),
    "2015-01": (6, 0, 4, 0, 0),
    "2015-02": (5, 0, 3, 1, 0),
    "2015-03": (6, 0, 5, 0, 0),
    "2015-04": (7, 0, 6, 0, 0),
    "2015-05": (8, 2, 5, 0, 2),
    "2015-06": (9, 1, 7, 0, 1),
    "2015-07": (8, 1, 6, 1, 0),
    "2015-08": (9, 2, 7, 0, 3),
    "2015-09": (10, 2, 7, 0, 2),
    "2015-10": (10, 2, 8, 1, 3),
    "2015-11": (11, 3, 8, 0, 4),
    "2015-12": (12, 3, 9, 0, 6),
    "2016-01": (12, 4, 8, 1, 5),
    "2016-02": (13, 4, 10, 0, 9),
    "2016-03": (14, 3, 11, 0, 4),
    "2016-04": (14, 6, 9, 0, 4),
    "2016-05": (15, 5, 11, 1, 3),
    "2016-06": (16, 6, 11, 1, 5),
    "2016-07": (16, 6, 13, 1, 6),
    "2016-08": (16, 5, 14, 1, 6),
    "2016-09": (15, 14, 11, 0, 64),
    # Published from here on; "fill" marks a demo value where the reports say nothing.
    "2016-10": (18, 3, 12, 0, 54),  # killed: fill
    "2016-11": (16, 5, 13, 0, 15),  # killed: fill
    "2016-12": (12, 4, 7, 0, 11),  # credible: completed 11 - 7; killed: fill, to reach 199
    "2017-01": (32, 9, 10, 0, 21),  # received: from the balance 6 + r - 19 = 19
    "2017-02": (41, 5, 12, 0, 9),  # killed: cumulative 220 -> 229
    "2017-03": (27, 9, 17, 2, 123),  # killed: cumulative 229 -> 352 (published 45)
    "2017-04": (43, 16, 31, 0, 132),
    "2017-05": (210, 27, 114, 0, 119),  # received: fill (monitors' first large batches)
    "2017-06": (457, 6, 128, 6, 21),  # received, completed: fill; credible: 194 - 188
    "2017-07": (68, 13, 23, 1, 61),  # received: from the balance 424 + r - 37 = 455
    "2017-08": (74, 14, 168, 3, 50),  # received: from the balance to September's 344
    "2017-09": (302, 16, 105, 6, 51),
    "2017-10": (240, 5, 55, 4, 15),
    "2017-11": (9, 9, 89, 3, 16),  # received: 1,799 - 1,790; killed: 801 -> 817 (published 11)
    "2017-12": (20, 6, 207, 5, 14),  # received: 2,135 - 121 - 195 - 1,799; killed: 817 -> 831
    "2018-01": (195, 4, 102, 10, 10),
    "2018-02": (121, 6, 78, 0, 14),
    "2018-03": (1, 3, 46, 0, 28),  # received: 2,136 - 2,135 (published 122)
    "2018-04": (44, 4, 190, 6, 9),  # received, completed: fill, to the published 321 open
    "2018-05": (269, 5, 266, 5, 62),
    "2018-06": (45, 16, 106, 3, 105),
    "2018-07": (0, 3, 15, 0, 2),  # received: 234 - 18 = 216 (published 2)
    "2018-08": (151, 8, 50, 2, 53),  # received: from the balance 219 + r - 60 = 310
    "2018-09": (30, 0, 100, 4, 0),  # received: fill
    "2018-10": (16, 3, 55, 2, 19),  # no report found: fill, to November's 194 carried over
    "2018-11": (15, 3, 20, 2, 15),
    "2018-12": (10, 5, 6, 1, 51),
    "2019-01": (17, 12, 51, 0, 67),  # received: 22 published, 5 of them reopened
    "2019-02": (1, 1, 0, 0, 0),  # received: from the balance 141 + r - 1 + 5 = 146
    "2019-03": (14, 6, 33, 1, 40),  # fill, to April's 122 carried over
    "2019-04": (4, 3, 15, 0, 5),  # received: 7 published, 3 of them reopened
    "2019-05": (12, 3, 16, 1, 17),  # fill; killed: cumulative 1,302 -> 1,319
    "2019-06": (9, 1, 11, 0, 2),  # fill; killed: cumulative 1,319 -> 1,321
    "2019-07": (6, 1, 9, 0, 3),  # no report found: fill, to August's 97 carried over
    "2019-08": (0, 7, 13, 0, 22),  # received: 2 published, both reopened
    "2019-09": (8, 2, 7, 0, 5),  # no report found: fill
    "2019-10": (21, 2, 12, 0, 7),  # fill, to November's 87 carried over and 1,347 killed
    "2019-11": (47, 4, 48, 0, 12),
    "2019-12": (41, 3, 40, 2, 11),
}


@dataclass(frozen=True)
class Reopening:
    """A closed claim reopened on new information, and what its next assessment found.

    `prior` is the outcome of the assessment being reopened; `killed_before`/`killed_after` pin
    the civilians killed in a credible prior or new assessment (None: the month's share).
    """

    month: str
    prior: str
    reassessed: str | None  # month of the new assessment; None: still open at the end
    outcome: str | None
    new_information: str
    killed_before: int | None = None
    killed_after: int | None = None
    place: str | None = None  # where the claim must be (a story about a known place)


NC, CRED, DUP = Outcome.NON_CREDIBLE, Outcome.CREDIBLE, Outcome.DUPLICATE
_AIRWARS = "Airwars supplied witness testimony and geolocated photographs of the site."
_LOGS = "A review of strike logs found a Coalition strike about 1 km from the reported location."
_FAMILY = "The victims' family contacted the Coalition through a coordination centre."
_UN = "A UN human rights report cited new witness accounts of the incident."
_PARTNER = "Partner forces reported finding civilian remains at the site."
_VIDEO = "An internal audit identified strike video that had not been reviewed."
_COUNT = "New information indicates a different number of civilians killed."
_OTHER_PARTY = "Partner forces reported that another party carried out the strike."
REOPENINGS: tuple[Reopening, ...] = (
    Reopening("2015-09", NC, "2015-10", NC, _LOGS),
    Reopening("2015-12", CRED, "2016-02", CRED, _COUNT, killed_before=2, killed_after=5),
    Reopening("2016-03", NC, "2016-04", CRED, _AIRWARS),
    Reopening(
        "2016-05",
        DUP,
        "2016-05",
        NC,
        "New information showed that the claim reported a "
        "second strike that day, not the one in the claim it duplicated.",
    ),
    Reopening("2016-08", CRED, "2016-09", NC, _OTHER_PARTY, killed_before=6),
    Reopening("2016-08", NC, "2016-09", NC, _FAMILY),
    # November 2016's report carried over 7 open reports where October's ended with 3: read as
    # four reports reopened at the start of November.
    Reopening("2016-11", NC, "2016-11", NC, _AIRWARS),
    Reopening("2016-11", NC, "2016-12", CRED, _AIRWARS),
    Reopening("2016-11", NC, "2016-12", NC, _LOGS),
    Reopening("2016-11", NC, "2017-01", NC, _FAMILY),
    Reopening(
        "2017-12",
        NC,
        "2018-01",
        CRED,
        "The New York Times identified the strike location and named victims from the family.",
        place="Mosul",
    ),
    Reopening("2018-03", NC, "2018-03", NC, _VIDEO),  # reopened and closed again within March
    Reopening("2018-04", NC, "2018-05", NC, _UN),
    Reopening("2018-04", NC, "2018-06", CRED, _AIRWARS),
    # August 2018's report carried over 219 where July's ended with 216: three reopened.
    Reopening("2018-08", NC, "2018-08", NC, _PARTNER),
    Reopening(
        "2018-08",
        DUP,
        "2018-09",
        NC,
        "The source clarified that it reported a different strike the same day.",
    ),
    Reopening("2018-08", NC, "2018-09", NC, _FAMILY),
    Reopening("2018-10", CRED, "2018-10", CRED, _COUNT, killed_before=4, killed_after=9),
    Reopening("2018-10", CRED, "2018-11", NC, _OTHER_PARTY, killed_before=5),
    # 2019's reports publish their reopenings: 5, 5, 3 and 2 in January, February, April, August.
    Reopening("2019-01", NC, "2019-01", NC, _AIRWARS),
    Reopening("2019-01", NC, "2019-01", NC, _VIDEO),
    Reopening("2019-01", NC, "2019-02", CRED, _FAMILY, killed_after=0),
    Reopening("2019-01", NC, "2019-03", CRED, _AIRWARS),
    Reopening("2019-01", NC, "2019-03", NC, _LOGS),
    Reopening("2019-02", NC, "2019-03", NC, _AIRWARS),
    Reopening("2019-02", NC, "2019-03", NC, _UN),
    Reopening("2019-02", NC, "2019-04", CRED, _PARTNER),
    Reopening("2019-02", NC, "2019-04", NC, _AIRWARS),
    Reopening("2019-02", NC, "2019-05", NC, _FAMILY),
    Reopening("2019-03", NC, "2019-04", NC, _LOGS),
    Reopening(
        "2019-03",
        DUP,
        "2019-05",
        NC,
        "Witnesses described a second strike nearby, not the one in the claim it duplicated.",
    ),
    Reopening("2019-04", NC, "2019-04", NC, _VIDEO),
    Reopening("2019-04", NC, "2019-05", CRED, _AIRWARS),
    Reopening("2019-04", NC, "2019-06", NC, _FAMILY),
    # The cumulative toll falls from 1,321 (June 2019) to 1,313 (implied for July): a credible
    # claim re-assessed with fewer deaths, 11 -> 3.
    Reopening("2019-07", CRED, "2019-07", CRED, _COUNT, killed_before=11, killed_after=3),
    Reopening("2019-08", NC, "2019-08", NC, _AIRWARS),
    Reopening("2019-08", NC, "2019-09", CRED, _UN),
    Reopening("2019-10", NC, "2019-11", NC, _FAMILY),
    Reopening("2019-10", NC, "2019-12", NC, _AIRWARS),
    Reopening("2019-12", NC, None, None, _AIRWARS),
)

# Relative strike intensity by month: spreads the strikes between two published totals.
STRIKE_WEIGHTS: dict[str, int] = dict(
    zip(
        [f"{year}-{month:02d}" for year in range(2014, 2020) for month in range(1, 13)][7:],
        [60, 200, 450, 450, 500]  # 2014: Mosul Dam, Sinjar, Amirli, then Kobani
        + [560, 420, 530, 560, 600, 600, 700, 650, 560, 570, 650, 720]  # 2015: Tikrit, Ramadi
        + [750, 700, 700, 620, 700, 720, 640, 720, 640, 950, 1100, 1050]  # 2016: Fallujah, Mosul
        + [1000, 1050, 1150, 1200, 1250, 1400, 1300, 1250, 1000, 600, 350, 300]  # 2017: Raqqa
        + [200, 163, 82, 200, 180, 139, 94, 88, 300, 450, 648, 991]  # 2018: Hajin
        + [800, 841, 400, 64, 12, 25, 20, 14, 40, 93, 19, 38],  # 2019: Baghuz, then remnants
        strict=True,
    )
)
ENGAGEMENTS_PER_STRIKE_AFTER_ANCHORS = 1.65


class MonthPlan(NamedTuple):
    """What one month of the campaign must hold: the counts the simulation meets exactly."""

    month: str
    received: int
    credible: int
    non_credible: int
    duplicate: int
    killed: int
    reopenings: list[Reopening]
    strikes: int
    engagements: int


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _anchored(months: list[str], anchors: dict[str, int], weights: list[float]) -> list[int]:
    """Monthly counts whose running totals hit every anchor exactly."""
    counts, start, done = [], 0, 0
    for end, month in enumerate(months):
        if month in anchors:
            counts += _spread(anchors[month] - done, weights[start : end + 1])
            start, done = end + 1, anchors[month]
    return counts + [None] * (len(months) - len(counts))


def strike_plan(months: list[str], published: dict) -> tuple[list[int], list[int]]:
    """Strikes and engagements per month, on every monotonic published to-date total."""
    anchors: dict[str, dict[str, int]] = {"strikes_to_date": {}, "engagements_to_date": {}}
    for column, kept in anchors.items():
        last = 0
        for month in months:
            value = published.get(month, {}).get(column)
            if value is not None and value > last:  # a total that goes down is not used
                kept[month] = last = value
    weights = [STRIKE_WEIGHTS[m] for m in months]
    strikes = _anchored(months, anchors["strikes_to_date"], weights)
    if None in strikes:
        raise ValueError("The strike weights must end on a published strikes-to-date total.")
    engagements = _anchored(months, anchors["engagements_to_date"], strikes)
    engagements = [
        e if e is not None else round(s * ENGAGEMENTS_PER_STRIKE_AFTER_ANCHORS)
        for s, e in zip(strikes, engagements, strict=True)
    ]
    return strikes, engagements


def ledger_build(published: dict | None = None) -> list[MonthPlan]:
    """Every month's plan: FLOWS, its reopenings and its share of the strikes."""
    published = published_read() if published is None else published
    months = list(FLOWS)
    if (months[0], months[-1]) != (FIRST_MONTH, LAST_MONTH) or any(
        Month.parse(b) != Month.parse(a).next() for a, b in zip(months, months[1:], strict=False)
    ):
        raise ValueError("FLOWS must list every month of the campaign, in order.")
    strikes, engagements = strike_plan(months, published)
    return [
        MonthPlan(m, *FLOWS[m], [r for r in REOPENINGS if r.month == m], s, e)
        for m, s, e in zip(months, strikes, engagements, strict=True)
    ]
