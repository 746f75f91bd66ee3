"""Records for the tests of the public claims pages (list, claim page, map), whose small world is
tests.worlds.pages_world: bulk data to show that the pages' query counts do not grow, and
readers of those pages' text."""

import datetime as dt
import html
import re

from casualty_tracker import data_version
from claims.models import Assessment, Claim
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    VictimFactory,
    assess,
    reopen,
)

D = dt.date


def grow(count: int = 30) -> None:
    """Add `count` claims, each with a belligerent, two strikes, a public victim, an outside
    finding and an approved history (some reopened and re-assessed, some found duplicates)."""
    for n in range(count):
        belligerent = BelligerentFactory(name=f"Party {n}")
        claim = ClaimFactory(
            claim_ref=f"BULK-{n:03d}",
            received_on=D(2017, 1 + n % 6, 1),
            province=f"Province {n % 5}",
            belligerent=belligerent,
            latitude=33 + n / 100,
            longitude=40 + n / 100,
        )
        claim.strikes.add(
            StrikeFactory(belligerent=belligerent), StrikeFactory(latitude=36, longitude=43)
        )
        VictimFactory(claim=claim, public=True)
        ExternalAssessmentFactory(claim=claim, organisation=f"Org {n % 3}")
        assess(claim, "credible", claim.received_on + dt.timedelta(days=3))
        if n % 4 == 0:
            reopen(claim, claim.received_on + dt.timedelta(days=5))
            assess(claim, "non_credible", claim.received_on + dt.timedelta(days=9))
        if n % 5 == 0:
            duplicate = ClaimFactory(claim_ref=f"BULK-{n:03d}-DUP", received_on=claim.received_on)
            assess(duplicate, "duplicate", claim.received_on, duplicate_of=claim)


def at_one_place(count, position, *, outcome, prefix="BULK-", spread=0.0, **place):
    """`count` claims received on 9 January 2018 at `position` (or spread within `spread`
    degrees around it), all open or all closed with an approved `outcome`, refs PREFIX0000...:
    the first made through the services, the others copies of it written in bulk, so that
    thousands take a second. `place`: country, province, locality (default: Mosul's)."""
    first = ClaimFactory(
        claim_ref=f"{prefix}0000",
        received_on=dt.date(2018, 1, 9),
        latitude=position[0],
        longitude=position[1],
        **place,
    )
    if outcome == "duplicate":
        assess(first, outcome, duplicate_of=ClaimFactory(claim_ref=f"{prefix}ORIGINAL"))
    elif outcome:
        assess(first, outcome)
    first.refresh_from_db()
    fields = [f for f in Claim._meta.concrete_fields if not f.primary_key and not f.generated]
    copies = []
    for n in range(1, count):
        copy = Claim(**{f.attname: getattr(first, f.attname) for f in fields})
        copy.claim_ref = f"{prefix}{n:04d}"
        offset = spread * ((n * 37) % 101 - 50) / 50  # -spread..spread, deterministic
        copy.latitude = round(position[0] + offset, 4)
        copy.longitude = round(position[1] - offset, 4)
        copies.append(copy)
    copies = Claim.objects.bulk_create(copies)
    afields = [f for f in Assessment._meta.concrete_fields if f.name not in ("id", "claim")]
    Assessment.objects.bulk_create(
        Assessment(claim_id=c.pk, **{f.attname: getattr(a, f.attname) for f in afields})
        for c in copies
        for a in Assessment.objects.filter(claim=first)
    )
    data_version.changed()  # as the importer does after its bulk writes


# --- reading the pages -------------------------------------------------------------------------

ROW = re.compile(r'<th scope="row" data-label="Claim"><a href="([^"]+)">([^<]+)</a></th>')
BLOCK = re.compile(r"</?(?:p|li|ul|dt|dd|h[1-6]|th|td|tr|div|blockquote|summary|section)\b[^>]*>")


def text(response) -> str:
    return html.unescape(response.content.decode())


def visible(markup: str) -> str:
    """Text as read: scripts and tags removed (block ones as a space), spaces collapsed."""
    markup = re.sub(r"<script\b.*?</script>", "", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", BLOCK.sub(" ", markup))).split())


def listed(response) -> list[str]:
    """The claim refs in the claims list, in order, as the page shows them."""
    return [html.unescape(ref) for _, ref in ROW.findall(response.content.decode())]


def section(response, title_id: str) -> str:
    """The text of one section of a page, from its heading (`title_id`) to its end."""
    page = response.content.decode()
    start = page.index(f'id="{title_id}"')
    return visible(page[page.index(">", start) + 1 : page.index("</section>", start)])
