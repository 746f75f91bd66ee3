"""Records for the tests of the public claims pages (list, claim page, map): a small world whose
every row can be checked by hand, the canary planted in every confidential place, and bulk data
to show that the pages' query counts do not grow; and readers of those pages' text."""

import datetime as dt
import html
import re
from types import SimpleNamespace

from django.core.cache import cache

from claims import services
from claims.models import Claim
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    VictimFactory,
    assess,
    reopen,
    user_with_role,
)

D = dt.date
MOSUL = (36.34, 43.13)
RAQQA = (35.95, 39.01)
CANARY = "zq7canary"


def claims_world() -> SimpleNamespace:
    """Two belligerents, three strikes, six claims and their approved findings:

    claim  received    incident    place             coords  finding
    CIV-A  2017-03-09  2017-03-04  Mosul, Ninawa IQ  yes     credible 2017-03-20: 3 killed, 1 inj.
    CIV-B  2017-04-10  2017-04-02  Raqqa, Raqqa SY   yes     non_credible 2017-05-01 (no harm)
    CIV-C  2016-06-01  2016-05-27  Idlib, Idlib SY   -       open, never assessed (Russia)
    CIV-D  2017-03-15  2017-03-10  Mosul, Ninawa IQ  yes     duplicate of CIV-A 2017-03-25
    CIV-E  2017-02-01  2017-01-27  Ramadi, Anbar IQ  -       credible 02-10 (1 killed), reopened
                                                              03-01, credible 06-01 (4 killed)
    CIV-F  2017-05-02  2017-04-27  Raqqa, Raqqa SY   yes     non_credible 05-20, reopened 06-10
    """
    coalition = BelligerentFactory(name="Coalition")
    russia = BelligerentFactory(name="Russia")
    s1 = StrikeFactory(
        strike_ref="S-1", date=D(2017, 3, 4), engagements=2, latitude=MOSUL[0], longitude=MOSUL[1]
    )
    s2 = StrikeFactory(
        strike_ref="S-2", date=D(2017, 4, 2), country="SY", province="Raqqa", locality="Raqqa"
    )
    s3 = StrikeFactory(
        strike_ref="S-3",
        date=D(2016, 5, 27),
        country="SY",
        province="Idlib",
        locality="Idlib",
        belligerent=russia,
        target="Depot",
    )
    raqqa = {"country": "SY", "province": "Raqqa", "locality": "Raqqa"}
    a = ClaimFactory(
        claim_ref="CIV-A",
        received_on=D(2017, 3, 9),
        belligerent=coalition,
        latitude=MOSUL[0],
        longitude=MOSUL[1],
        killed_children=1,
        source_url="https://example.org/report-a",
    )
    b = ClaimFactory(
        claim_ref="CIV-B",
        received_on=D(2017, 4, 10),
        incident_date=D(2017, 4, 2),
        **raqqa,
        latitude=RAQQA[0],
        longitude=RAQQA[1],
        source_type="media",
        source_name="Raqqa Is Being Slaughtered Silently",
        civilians_killed_min=10,
        civilians_killed_max=1200,
        belligerent=coalition,
        summary="A hospital was hit.",
    )
    c = ClaimFactory(
        claim_ref="CIV-C",
        received_on=D(2016, 6, 1),
        country="SY",
        province="Idlib",
        locality="Idlib",
        source_type="social_media",
        civilians_killed_min=1,
        civilians_killed_max=1,
        belligerent=russia,
    )
    d = ClaimFactory(
        claim_ref="CIV-D",
        received_on=D(2017, 3, 15),
        belligerent=coalition,
        latitude=MOSUL[0] + 0.01,
        longitude=MOSUL[1],
    )
    e = ClaimFactory(
        claim_ref="CIV-E",
        received_on=D(2017, 2, 1),
        province="Anbar",
        locality="Ramadi",
        belligerent=coalition,
        civilians_killed_min=None,
        civilians_killed_max=None,
    )
    f = ClaimFactory(
        claim_ref="CIV-F",
        received_on=D(2017, 5, 2),
        **raqqa,
        latitude=RAQQA[0] + 0.01,
        longitude=RAQQA[1],
        source_type="witness",
        civilians_killed_min=4,
        civilians_killed_max=None,
    )
    a.strikes.add(s1)
    b.strikes.add(s2)
    c.strikes.add(s3)
    assess(
        a,
        "credible",
        D(2017, 3, 20),
        civilians_killed=3,
        civilians_injured=1,
        diligence=["strike_video", "map_search"],
        rationale="Strike S-1 hit the house.",
    )
    assess(b, "non_credible", D(2017, 5, 1), reason="no_civilian_harm")
    assess(d, "duplicate", D(2017, 3, 25), duplicate_of=a)
    assess(e, "credible", D(2017, 2, 10), civilians_killed=1, civilians_injured=0)
    reopen(e, D(2017, 3, 1), reason="A hospital list names four dead.")
    assess(
        e,
        "credible",
        D(2017, 6, 1),
        civilians_killed=4,
        civilians_injured=2,
        diligence=["witness_interviewed"],
        rationale="Four names on the hospital list match the strike.",
    )
    assess(f, "non_credible", D(2017, 5, 20), reason="insufficient_information")
    reopen(f, D(2017, 6, 10), reason="Photographs of the site.")
    VictimFactory(claim=a, name="Published Person", age=40, sex="male", public=True)
    ExternalAssessmentFactory(claim=a, organisation="Airwars", grade="fair")
    ExternalAssessmentFactory(
        claim=a,
        organisation="The New York Times",
        grade="confirmed",
        civilians_killed_min=3,
        civilians_killed_max=3,
        assessed_on=D(2017, 11, 16),
        url="https://example.org/uncounted",
    )
    ExternalAssessmentFactory(
        claim=b,
        organisation="Airwars",
        grade="confirmed",
        civilians_killed_min=8,
        civilians_killed_max=10,
    )
    return SimpleNamespace(coalition=coalition, russia=russia, a=a, b=b, c=c, d=d, e=e, f=f)


def plant_canaries(world) -> None:
    """The canary in confidential notes, a proposed assessment, a returned draft and its
    comment, internal comments, unpublished victims (and a published victim's Arabic name, which
    is not published), and the usernames of the analyst and reviewer who decided."""
    analyst = user_with_role("analyst", username=f"{CANARY}-analyst")
    reviewer = user_with_role("reviewer", username=f"{CANARY}-reviewer")
    Claim.objects.filter(pk=world.a.pk).update(confidential_notes=f"{CANARY} notes")
    proposed = ClaimFactory(claim_ref="CIV-P", received_on=D(2017, 3, 2), latitude=36, longitude=43)
    services.assessment_propose(
        claim=proposed,
        by=analyst,
        outcome="credible",
        civilians_killed=99,
        civilians_injured=0,
        rationale=f"{CANARY} proposed rationale",
    )
    returned = ClaimFactory(claim_ref="CIV-R", received_on=D(2017, 3, 3))
    draft = services.assessment_propose(
        claim=returned,
        by=analyst,
        outcome="non_credible",
        reason="other",
        rationale=f"{CANARY} returned rationale",
    )
    services.assessment_return(assessment=draft, by=reviewer, comment=f"{CANARY} return note")
    services.claim_comment(claim=world.a, author=analyst, body=f"{CANARY} internal comment")
    approved = ClaimFactory(claim_ref="CIV-V", received_on=D(2017, 3, 4), latitude=36, longitude=42)
    proposal = services.assessment_propose(
        claim=approved,
        by=analyst,
        outcome="credible",
        civilians_killed=2,
        civilians_injured=0,
        rationale="Public rationale.",
    )
    services.assessment_approve(assessment=proposal, by=reviewer, on=D(2017, 3, 30))
    services.claim_reopen(
        claim=approved, by=analyst, reopened_on=D(2017, 4, 2), reason="New photographs."
    )
    VictimFactory(claim=world.a, name=f"{CANARY} private", name_ar=f"{CANARY} ar", public=False)
    VictimFactory(claim=world.a, name="Public Name", name_ar=f"{CANARY} arabic", public=True)


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


def unthrottle(settings) -> None:
    """The tests compare many pages with the API: never throttled by accident."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()


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
