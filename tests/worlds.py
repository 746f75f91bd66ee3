"""The small worlds of records the tests share, each small enough to check every expected figure
by hand (its docstring is the table to check against), and the canary planted in every internal
place of any of them (plant_canaries).

- api_world: five claims, the API's tests (the `world` fixture).
- pages_world: six claims, most with coordinates, the public claims pages' tests (the
  `pages_world` fixture). Not a superset of api_world, which the tests' figures forbid: CIV-A's
  coordinates (asserted by the API's tests) and CIV-B's upper count (1,200 on the pages, 12 in
  the API) differ, and CIV-F would change the API's counts.
- campaign: five claims over January to July 2017, the home and comparison pages' tests.
- campaign_march_2017: six claims whose March 2017 report is checked by hand (the `march_2017`
  fixture), and late_assessment_of_civ_0202, a change after March was published.
- plant_canaries: CANARY in every internal place of a world, for the tests that no public page,
  answer or export shows it.
"""

import datetime as dt
from types import SimpleNamespace

from claims import services
from claims.models import Assessment, Claim
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
PUBLIC_NAME_AR = "اسم علني"  # the published victim's Arabic name (plant_canaries)


def api_world() -> SimpleNamespace:
    """Two belligerents, three strikes, five claims and their findings:

    claim   received    incident    place              strikes  finding (approved)
    CIV-A   2017-03-09  2017-03-04  Mosul, Ninawa IQ   S-1      credible 2017-03-20: 3 killed
    CIV-B   2017-04-10  2017-04-02  Raqqa, Raqqa SY    S-2      non_credible 2017-05-01
    CIV-C   2016-06-01  2016-05-27  Idlib, Idlib SY    S-3      open (Russia)
    CIV-D   2017-03-15  2017-03-10  Mosul, Ninawa IQ   -        duplicate of CIV-A 2017-03-25
    CIV-E   2017-02-01  2017-01-27  Ramadi, Anbar IQ   -        credible 02-10 (1 killed),
                                                                reopened 03-01, credible
                                                                06-01 (4 killed)
    """
    coalition = BelligerentFactory(name="Coalition")
    russia = BelligerentFactory(name="Russia")
    s1 = StrikeFactory(
        strike_ref="S-1", date=D(2017, 3, 4), engagements=2, latitude=36.34, longitude=43.13
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
    a = ClaimFactory(
        claim_ref="CIV-A",
        received_on=D(2017, 3, 9),
        belligerent=coalition,
        latitude=36.335,
        longitude=43.119,
        killed_children=1,
    )
    b = ClaimFactory(
        claim_ref="CIV-B",
        received_on=D(2017, 4, 10),
        incident_date=D(2017, 4, 2),
        country="SY",
        province="Raqqa",
        locality="Raqqa",
        source_type="media",
        civilians_killed_min=10,
        civilians_killed_max=12,
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
    d = ClaimFactory(claim_ref="CIV-D", received_on=D(2017, 3, 15), belligerent=coalition)
    e = ClaimFactory(
        claim_ref="CIV-E",
        received_on=D(2017, 2, 1),
        province="Anbar",
        locality="Ramadi",
        belligerent=coalition,
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
    assess(e, "credible", D(2017, 6, 1), civilians_killed=4, civilians_injured=2)
    VictimFactory(claim=a, name="Published Person", age=40, sex="male", public=True)
    ExternalAssessmentFactory(claim=a, organisation="Airwars", grade="fair")
    ExternalAssessmentFactory(
        claim=b,
        organisation="Airwars",
        grade="confirmed",
        civilians_killed_min=8,
        civilians_killed_max=10,
    )
    ExternalAssessmentFactory(
        claim=c,
        organisation="Airwars",
        grade="weak",
        civilians_killed_min=None,
        civilians_killed_max=None,
    )
    ExternalAssessmentFactory(
        claim=a,
        organisation="The New York Times",
        grade="confirmed",
        civilians_killed_min=3,
        civilians_killed_max=3,
    )
    return SimpleNamespace(
        coalition=coalition, russia=russia, s1=s1, s2=s2, s3=s3, a=a, b=b, c=c, d=d, e=e
    )


def pages_world() -> SimpleNamespace:
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


def campaign() -> SimpleNamespace:
    """Three strikes (1,203 engagements), five claims, their findings and independent grades:

    claim  received    incident    finding (approved)
    A      2017-03-09  2017-03-04  credible 03-20: 3 killed, 1 injured
    B      2017-04-10  2017-04-02  non_credible 05-01
    C      2017-01-15  2017-01-10  open
    D      2017-03-15  2017-03-10  duplicate of A 03-25
    E      2017-02-01  2017-01-27  credible 02-10 (1 killed), reopened 03-01,
                                   credible 06-01 (4 killed, 2 injured)

    Independent: Airwars graded A fair (2-5), B confirmed (8-10), C weak (no count) and E
    discounted (0-11); The New York Times graded A confirmed (3-3).

    To date: received 5 = credible 2 (A, E) + non-credible 1 + duplicate 1 + open 1 (C);
    7 civilians killed (3 + 4) and 3 injured (1 + 2).
    Month by month (received, closed, reopened, open at the end): Jan 1 0 0 1, Feb 1 1 0 1,
    Mar 2 2 1 2, Apr 1 0 0 3, May 0 1 0 2, Jun 0 1 0 1, Jul 0 0 0 1.
    Official killed by month of assessment: Feb 1, Mar 3, Jun 4. Independent, graded confirmed
    or fair, by month of incident: Airwars Mar 2-5, Apr 8-10; NYT Mar 3-3.
    """
    StrikeFactory(strike_ref="S-1", date=D(2017, 3, 4), engagements=2)
    StrikeFactory(strike_ref="S-2", date=D(2017, 4, 2), engagements=1)
    StrikeFactory(strike_ref="S-3", date=D(2017, 1, 20), engagements=1200)
    a = ClaimFactory(claim_ref="CIV-A", received_on=D(2017, 3, 9), incident_date=D(2017, 3, 4))
    b = ClaimFactory(claim_ref="CIV-B", received_on=D(2017, 4, 10), incident_date=D(2017, 4, 2))
    c = ClaimFactory(claim_ref="CIV-C", received_on=D(2017, 1, 15), incident_date=D(2017, 1, 10))
    d = ClaimFactory(claim_ref="CIV-D", received_on=D(2017, 3, 15), incident_date=D(2017, 3, 10))
    e = ClaimFactory(claim_ref="CIV-E", received_on=D(2017, 2, 1), incident_date=D(2017, 1, 27))
    assess(a, "credible", D(2017, 3, 20), civilians_killed=3, civilians_injured=1)
    assess(b, "non_credible", D(2017, 5, 1), reason="no_civilian_harm")
    assess(d, "duplicate", D(2017, 3, 25), duplicate_of=a)
    assess(e, "credible", D(2017, 2, 10), civilians_killed=1, civilians_injured=0)
    reopen(e, D(2017, 3, 1))
    assess(e, "credible", D(2017, 6, 1), civilians_killed=4, civilians_injured=2)
    airwars = {"organisation": "Airwars"}
    ExternalAssessmentFactory(claim=a, **airwars, grade="fair")
    ExternalAssessmentFactory(
        claim=b, **airwars, grade="confirmed", civilians_killed_min=8, civilians_killed_max=10
    )
    ExternalAssessmentFactory(
        claim=c, **airwars, grade="weak", civilians_killed_min=None, civilians_killed_max=None
    )
    ExternalAssessmentFactory(
        claim=e, **airwars, grade="discounted", civilians_killed_min=0, civilians_killed_max=11
    )
    ExternalAssessmentFactory(
        claim=a,
        organisation="The New York Times",
        grade="confirmed",
        civilians_killed_min=3,
        civilians_killed_max=3,
    )
    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e)


def campaign_march_2017() -> dict:
    """January 2017: one strike of 3,000 engagements (the first record).
    February: CIV-0201 and CIV-0202 received and left open; CIV-0203 (Raqqa, Syria) received and
    assessed credible, 7 killed.
    March: CIV-0301..CIV-0303 received. Closed: CIV-0201 credible (3 killed, 2 injured), CIV-0301
    credible (2 killed), CIV-0302 non-credible (no civilian harm), CIV-0303 duplicate of CIV-0201;
    CIV-0203 reopened on the 20th.

    So March: carried over 2, received 3, closed 4 (2 credible, 1 non-credible, 1 duplicate),
    reopened 1, open at the end 2 (CIV-0202, CIV-0203); 5 killed and 2 injured. To date: received
    6, credible 2, non-credible 1, duplicates 1, open 2, 5 killed, 2 injured; 1 strike, 3,000
    engagements: 0.20% and 0.07%."""
    StrikeFactory(strike_ref="S-JAN", date=D(2017, 1, 5), engagements=3000)
    feb_1 = ClaimFactory(claim_ref="CIV-0201", received_on=D(2017, 2, 10))
    ClaimFactory(claim_ref="CIV-0202", received_on=D(2017, 2, 11))
    raqqa = ClaimFactory(
        claim_ref="CIV-0203",
        received_on=D(2017, 2, 1),
        country="SY",
        province="Raqqa",
        locality="Raqqa",
    )
    assess(raqqa, "credible", D(2017, 2, 15), civilians_killed=7, civilians_injured=0)
    new = [
        ClaimFactory(claim_ref=f"CIV-030{day}", received_on=D(2017, 3, day), source_type=source)
        for day, source in ((1, "media"), (2, "witness"), (3, "social_media"))
    ]
    assess(
        feb_1,
        "credible",
        D(2017, 3, 10),
        civilians_killed=3,
        civilians_injured=2,
        rationale="Strike logs and three witness accounts agree.",
        diligence={"strike_video", "witness_interviewed"},
    )
    assess(new[0], "credible", D(2017, 3, 11), civilians_killed=2, civilians_injured=0)
    assess(new[1], "non_credible", D(2017, 3, 12), reason="no_civilian_harm")
    assess(new[2], "duplicate", D(2017, 3, 13), duplicate_of=feb_1)
    reopen(raqqa, D(2017, 3, 20), reason="New video of the site.")
    return {"claims": [feb_1, raqqa, *new]}


def late_assessment_of_civ_0202():
    """In campaign_march_2017, recorded after March was published: CIV-0202 assessed credible on
    25 March 2017 (4 killed, 1 injured)."""
    assess(
        Claim.objects.get(claim_ref="CIV-0202"),
        "credible",
        D(2017, 3, 25),
        civilians_killed=4,
        civilians_injured=1,
    )


def plant_canaries(world) -> SimpleNamespace:
    """CANARY in every internal place of `world` (any of the worlds above: it needs claims `a`
    and `c`, `c` open), by an analyst and a reviewer whose usernames hold it too:

    - C's confidential notes;
    - CIV-P (received 2017-03-02, mapped): a proposal (credible, 99 killed), pending;
    - CIV-R (2017-03-03): a proposal returned by the reviewer: its rationale (both languages)
      and return comment; CIV-P's rationale holds it in both languages too;
    - A: an internal comment, an unpublished victim (name and Arabic name), and a published
      victim, "Public Name" (in Arabic PUBLIC_NAME_AR: published with it);
    - CIV-V (2017-03-04, mapped), the usernames of who decided: proposed by the analyst
      ("Public rationale."), approved by the reviewer on 03-30, reopened by the analyst on
      04-02, assessed credible again by the reviewer on 04-09.

    The analyst, the reviewer, and the ids of the two drafts (CIV-P's and CIV-R's)."""
    analyst = user_with_role("analyst", username=f"{CANARY}-analyst")
    reviewer = user_with_role("reviewer", username=f"{CANARY}-reviewer")
    world.c.confidential_notes = f"{CANARY} notes: the source is a relative."
    world.c.save()
    proposed = ClaimFactory(claim_ref="CIV-P", received_on=D(2017, 3, 2), latitude=36, longitude=43)
    propose_canary(proposed, by=analyst)
    returned = ClaimFactory(claim_ref="CIV-R", received_on=D(2017, 3, 3))
    draft = services.assessment_propose(
        claim=returned,
        by=analyst,
        outcome="non_credible",
        reason="other",
        rationale=f"{CANARY} returned rationale",
        rationale_ar=f"{CANARY} تعليل مرفوض",
    )
    services.assessment_return(assessment=draft, by=reviewer, comment=f"{CANARY} return note")
    services.claim_comment(claim=world.a, author=analyst, body=f"{CANARY} internal comment")
    VictimFactory(claim=world.a, name=f"{CANARY} private", name_ar=f"{CANARY} ar", public=False)
    VictimFactory(claim=world.a, name="Public Name", name_ar=PUBLIC_NAME_AR, public=True)
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
    assess(approved, "credible", D(2017, 4, 9), assessed_by=reviewer)
    drafts = Assessment.objects.filter(claim__in=[proposed, returned]).exclude(state="approved")
    return SimpleNamespace(
        analyst=analyst, reviewer=reviewer, draft_ids=list(drafts.values_list("pk", flat=True))
    )


def propose_canary(claim, by):
    """A proposal on `claim` whose rationale holds CANARY: credible, 99 killed, 0 injured."""
    return services.assessment_propose(
        claim=claim,
        by=by,
        outcome="credible",
        civilians_killed=99,
        civilians_injured=0,
        rationale=f"{CANARY} proposed rationale",
        rationale_ar=f"{CANARY} تعليل مقترح",
    )
