"""Helpers of the report pages' tests: "today" frozen, the pages before and after secrets are
planted in tests.worlds.campaign, the pages read the way a reader does (figures, tables, text),
and a busy campaign for the charts."""

import datetime as dt
import json
import random
import re
from html.parser import HTMLParser

from django.utils import timezone

from reports.periods import Month
from tests.factories import (
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    assess,
)
from tests.worlds import campaign, plant_canaries, propose_canary

D = dt.date
TODAY = D(2017, 7, 15)  # "today" in these tests: the series runs January to July 2017


def freeze_today(monkeypatch, today: dt.date = TODAY) -> dt.date:
    """Make timezone.localdate() (pages, series, summary and API alike) return `today`."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    return today


# --- reading pages ------------------------------------------------------------------------


def page_before_and_after_secrets(client, path: str) -> tuple[str, str]:
    """`path` on the campaign with the canary planted in every internal place
    (tests.worlds.plant_canaries), then again once C, open and graded by Airwars, also has a
    proposal holding it: credible with 99 killed."""
    world = campaign()
    canaries = plant_canaries(world)
    before = client.get(path).content.decode()
    propose_canary(world.c, by=canaries.analyst)
    return before, client.get(path).content.decode()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    """Collects the visible text, the headline figures (dt/dd pairs of .figures) and every table
    (caption, and each row's cells as text)."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tables: list[dict] = []
        self.pairs: list[list[str]] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._term: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("dt", "dd"):
            self._term = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = squash("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "dt" and self._term is not None:
            self.pairs.append([squash("".join(self._term))])
            self._term = None
        elif tag == "dd" and self._term is not None:
            if self.pairs and len(self.pairs[-1]) == 1:
                self.pairs[-1].append(squash("".join(self._term)))
            self._term = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        for sink in (self._cell, self._caption, self._term):
            if sink is not None:
                sink.append(data)


def read(response) -> _Reader:
    assert response.status_code == 200, response.status_code
    reader = _Reader()
    reader.feed(response.content.decode())
    return reader


def page_text(response) -> str:
    return squash("".join(read(response).text))


def definitions(response) -> dict[str, str]:
    """Every dt -> dd on the page (the headline figures, the definitions)."""
    return dict(pair for pair in read(response).pairs if len(pair) == 2)


def table(response, caption: str) -> list[list[str]]:
    """The rows (header row first) of the table whose caption starts with `caption`."""
    found = [t for t in read(response).tables if t["caption"].startswith(caption)]
    assert len(found) == 1, [t["caption"] for t in read(response).tables]
    return found[0]["rows"]


def json_data(response, element_id: str):
    """The data of a json_script element."""
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, element_id
    return json.loads(match.group(1))


BUSY_FIRST_MONTH = Month(2016, 1)


def busy_campaign(first: Month = BUSY_FIRST_MONTH, months: int = 30, seed: int = 2017) -> None:
    """A deterministic campaign over `months` months from `first`, busy enough for the charts to
    look like charts: strikes, claims received, assessed (or left open) and graded by Airwars."""
    rng = random.Random(seed)
    waiting, everyone = [], []
    month = first
    for _ in range(months):
        start, end = month.first_day, month.last_day
        month = month.next()
        StrikeFactory(date=start, engagements=rng.randrange(100, 900))
        for n in range(rng.randrange(2, 9)):
            received = start + dt.timedelta(days=rng.randrange(0, 27))
            claim = ClaimFactory(
                received_on=received,
                incident_date=received - dt.timedelta(days=rng.randrange(0, 40)),
            )
            waiting.append(claim)
            everyone.append(claim)
            if n % 3 != 2:
                low = rng.randrange(0, 6)
                ExternalAssessmentFactory(
                    claim=claim,
                    grade=rng.choice(["confirmed", "fair", "fair", "weak", "discounted"]),
                    civilians_killed_min=low,
                    civilians_killed_max=low + rng.randrange(0, 8),
                )
        for claim in list(waiting):
            assessed_on = claim.received_on + dt.timedelta(days=rng.randrange(20, 200))
            if assessed_on > end:
                continue
            waiting.remove(claim)
            outcome = rng.choice(["credible", "non_credible", "non_credible", "duplicate"])
            extra = {
                "credible": {"civilians_killed": rng.randrange(0, 6)},
                "duplicate": {"duplicate_of": everyone[0]},
            }.get(outcome, {})
            if claim == everyone[0] and outcome == "duplicate":
                outcome, extra = "non_credible", {}
            assess(claim, outcome, assessed_on, **extra)
