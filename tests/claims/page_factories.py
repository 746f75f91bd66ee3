"""Records for the tests of the public claims pages (list, claim page, map), whose small world is
tests.worlds.pages_world: bulk data to show that the pages' query counts do not grow, and
readers of those pages' text."""

import datetime as dt
import html
import re

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
