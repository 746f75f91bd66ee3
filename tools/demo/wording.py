"""What the claims and assessments say: sources, figures alleged, summaries, rationales, diligence.

Everything here is invented but shaped on the real record: most claims come from monitors
(Airwars above all, in batches in 2017-2018), the press and social media; the coalition's own
units report some of the harm it finds credible; witnesses are rarely heard and sites rarely
visited, more often in the later years.
"""

from __future__ import annotations

import random
from datetime import date

from claim_events import BATCH_MONTHS
from model import NO_STRIKE, REOPENED, Claim, Event, month_of

from claims.definitions import Diligence, LocationDisclosure, Outcome, Reason, SourceType

SOURCE_TYPES = (SourceType.NGO, SourceType.MEDIA, SourceType.SOCIAL_MEDIA, SourceType.SELF_REPORT,
                SourceType.WITNESS, SourceType.GOVERNMENT, SourceType.OTHER)  # fmt: skip
SOURCE_MIX = {  # by year received, in SOURCE_TYPES order
    2014: (20, 35, 15, 15, 5, 7, 3),
    2015: (20, 35, 15, 15, 5, 7, 3),
    2016: (35, 25, 15, 12, 4, 6, 3),
    2017: (55, 15, 12, 8, 3, 4, 3),
    2018: (45, 15, 12, 12, 6, 6, 4),
    2019: (45, 15, 12, 12, 6, 6, 4),
}
BATCH_MIX = (75, 8, 8, 0, 1, 3, 5)
NGOS = {"IQ": {"Airwars": 85, "Amnesty International": 6, "Human Rights Watch": 6,
               "Iraqi Observatory for Human Rights": 3},
        "SY": {"Airwars": 78, "Syrian Network for Human Rights": 7,
               "Syrian Observatory for Human Rights": 7, "Amnesty International": 4,
               "Human Rights Watch": 4}}  # fmt: skip
MEDIA = {
    "IQ": (
        "Rudaw",
        "Alsumaria",
        "Associated Press",
        "Reuters",
        "BBC News",
        "Al Jazeera",
        "The Guardian",
        "The New York Times",
        "Kurdistan 24",
    ),
    "SY": (
        "Enab Baladi",
        "Deir ez-Zor 24",
        "Smart News Agency",
        "Orient News",
        "Step News Agency",
        "Associated Press",
        "Reuters",
        "Al Jazeera",
        "The Guardian",
    ),
}
SOCIAL = (
    "Facebook (local news page)",
    "Twitter (local activist)",
    "Telegram (local news channel)",
    "YouTube (video posted by residents)",
)
SELF = (
    "CJTF-OIR strike cell",
    "Combined Air Operations Center post-strike review",
    "Coalition ground liaison report",
    "Coalition unit after-action report",
)
WITNESSES = (
    "Resident (walk-in at a coordination centre)",
    "Witness (by email)",
    "Witness (by telephone)",
)
GOVERNMENT = {"Ninawa": "Ninawa Provincial Council", "Anbar": "Anbar Provincial Council",
              "Kirkuk": "Kirkuk Provincial Council", "Diyala": "Diyala Provincial Council",
              "Salah al-Din": "Salah al-Din Provincial Council",
              "Erbil": "Kurdistan Regional Government", "Raqqa": "Raqqa Civil Council",
              "Aleppo": "Manbij Military Council", "Deir ez-Zor": "Deir ez-Zor Civil Council",
              "Hasakah": "Syrian Democratic Forces",
              "Idlib": "Syrian Ministry of Foreign Affairs (letter to the UN)",
              "Homs": "Syrian Ministry of Foreign Affairs (letter to the UN)"}  # fmt: skip
OTHER = {
    "IQ": ("UN Assistance Mission for Iraq (UNAMI)", "Freelance journalist (private report)"),
    "SY": ("UN Commission of Inquiry on Syria", "Freelance journalist (private report)"),
}
MEDIA_URLS = {
    "Rudaw": "https://www.rudaw.net/english/middleeast/iraq/{dmy}{n4}",
    "Alsumaria": "https://www.alsumaria.tv/news/{n6}/",
    "Associated Press": "https://apnews.com/{hex32}",
    "Reuters": "https://www.reuters.com/article/us-mideast-crisis-{slug}-idUSKBN{code}",
    "BBC News": "https://www.bbc.com/news/world-middle-east-{n8}",
    "Al Jazeera": "https://www.aljazeera.com/news/{y}/{m}/{d}/{slug}",
    "The Guardian": "https://www.theguardian.com/world/{y}/{mon}/{dd}/{slug}",
    "The New York Times": "https://www.nytimes.com/{y}/{mm}/{dd}/world/middleeast/{slug}.html",
    "Kurdistan 24": "https://www.kurdistan24.net/en/news/{uuid}",
    "Enab Baladi": "https://english.enabbaladi.net/archives/{n5}",
    "Deir ez-Zor 24": "https://deirezzor24.net/en/{n5}/",
    "Smart News Agency": "https://smartnews-agency.com/en/wires/{n6}",
    "Orient News": "https://orient-news.net/en/news_show/{n6}",
    "Step News Agency": "https://stepagency-sy.net/{y}/{mm}/{dd}/{n5}/",
    "Amnesty International": "https://www.amnesty.org/en/documents/mde{cc}/{n4}/{y}/en/",
    "Human Rights Watch": "https://www.hrw.org/news/{y}/{mm}/{dd}/{slug}",
    "Syrian Network for Human Rights": "https://snhr.org/blog/{y}/{mm}/{dd}/{n5}/",
    "Syrian Observatory for Human Rights": "https://www.syriahr.com/en/{n6}/",
    "Iraqi Observatory for Human Rights": "https://iohriq.org/en/{n4}",
    "Facebook (local news page)": "https://www.facebook.com/groups/{n15}/posts/{n16}/",
    "Twitter (local activist)": "https://twitter.com/i/web/status/{n18}",
    "Telegram (local news channel)": "https://t.me/s/localnews_{n6}",
    "YouTube (video posted by residents)": "https://www.youtube.com/watch?v={vid}",
    "UN Assistance Mission for Iraq (UNAMI)": "https://iraq.un.org/en/{n6}",
    "UN Commission of Inquiry on Syria": "https://www.ohchr.org/en/hr-bodies/hrc/iici-syria",
}
BUILDINGS = ("a house", "a family home", "a residential building", "a car on the road nearby",
             "a market street", "a bakery", "a house where several families were sheltering",
             "a shop and the homes above it", "a farmhouse on the edge of town")  # fmt: skip
RIVER_BUILDINGS = ("a ferry crossing on the Euphrates", "boats carrying families across the river")
EXTRAS = (
    "Residents said ISIS fighters had been using a nearby building.",
    "The family had been trying to leave the city.",
    "Bodies were recovered from the rubble two days later.",
    "The source published photographs of the damaged buildings.",
    "Names of several of the victims were published by the source.",
    "Local sources said the victims were displaced people from nearby villages.",
)
NOTES = (
    "Source is a relative of the victims; asked not to be named.",
    "Witness reached by telephone through a coordination centre; number held in case file {case}.",
    "Reporter asked that the name of the local stringer not be published.",
    "Strike cell log entry {log}; the video is kept under a retention hold.",
    "Witness is a former municipal employee and fears reprisals; do not publish the street.",
    "The family asked about condolence payments; referred to the ex gratia programme.",
    "Contact through the Airwars case officer; the source speaks Arabic only.",
    "Do not publish exact coordinates: the building was a shelter for displaced families.",
)
# The note that asks for the claim's coordinates not to be published exactly: the reviewer's
# decision is then recorded too, as the claim's location disclosure.
NOT_EXACT = "Do not publish exact coordinates"
NC_RATIONALES = {
    Reason.INSUFFICIENT_INFORMATION: (
        "After review of the available information, there was insufficient information to "
        "assess that, more likely than not, a Coalition strike caused civilian casualties.",
        "The report gave no time or location precise enough to be matched to Coalition strike "
        "records.",
    ),
    NO_STRIKE: ("After review of strike records, no Coalition strike was conducted near {place} "
                "within two days of the reported date.",),
    Reason.NO_CIVILIAN_HARM: ("Coalition forces struck {target} near {place} at the reported "
                              "time; strike video and post-strike review showed no civilians "
                              "present.",),
    Reason.NOT_COALITION: ("Available information indicates that the strike was not conducted "
                           "by the Coalition.",),
    Reason.OTHER: ("The reported harm resulted from a ground engagement by partner forces; no "
                   "Coalition munitions were involved.",
                   "The reported explosion was of a device placed by ISIS, not a strike."),
}  # fmt: skip


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _url_fill(rng: random.Random, template: str, claim: Claim) -> str:
    day = claim.received_on
    digits = lambda n: str(rng.randint(10 ** (n - 1), 10**n - 1))  # noqa: E731
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    slug = f"{claim.place.name.lower().replace(' ', '-')}-air-strike-civilians-killed"
    return template.format(
        dmy=f"{day:%d%m%Y}", y=day.year, m=day.month, d=day.day, mm=f"{day:%m}", dd=f"{day:%d}",
        mon=f"{day:%b}".lower(), slug=slug.replace("al-", ""), cc=rng.choice(("14", "24")),
        n4=digits(4), n5=digits(5), n6=digits(6), n8=digits(8), n15=digits(15),
        n16=digits(16), n18=digits(18), hex32="".join(rng.choice("0123456789abcdef")
                                                    for _ in range(32)),
        code="".join(rng.choice(alnum) for _ in range(6)),
        uuid="".join(rng.choice("0123456789abcdef") for _ in range(8)) + "-" + digits(4),
        vid="".join(rng.choice(alnum + "abcdefghijkmnopqrstuvwxyz_-") for _ in range(11)),
    )  # fmt: skip


def airwars_url(claim: Claim) -> str:
    day = claim.incident_date
    slug = f"{claim.airwars_code}-{day:%B}-{day.day}-{day.year}".lower()
    return f"https://airwars.org/civilian-casualties/{slug}/"


def _with_article(noun: str) -> str:
    return ("an " if noun[0].lower() in "aeiou" else "a ") + noun


def airwars_codes_assign(claims: list[Claim]) -> None:
    """Airwars-style incident codes (CI… Iraq, CS… Syria) in incident order; duplicates share."""
    counters = {"IQ": 0, "SY": 0}
    for claim in sorted(claims, key=lambda c: (c.incident_date, c.ref)):
        if claim.original is None:
            counters[claim.place.country] += 1
            claim.airwars_code = f"C{claim.place.country[0]}{counters[claim.place.country]:03d}"
    for claim in claims:
        if claim.original is not None:
            claim.airwars_code = claim.original.airwars_code


def _source(rng: random.Random, claim: Claim) -> None:
    if claim.landmark is not None:
        claim.source_type = SourceType.MEDIA if claim.place.country == "SY" else SourceType.NGO
    else:
        mix = list(BATCH_MIX if month_of(claim.received_on) in BATCH_MONTHS
                   else SOURCE_MIX[claim.received_on.year])  # fmt: skip
        if claim.ever_credible:
            mix[3] *= 2.5  # the coalition's own units report much of what it finds credible
        if claim.belligerent != "Coalition":
            mix[3] = 0
        claim.source_type = rng.choices(SOURCE_TYPES, weights=mix)[0]
    country, kind = claim.place.country, claim.source_type
    if kind == SourceType.NGO:
        names = NGOS[country]
        claim.source_name = rng.choices(list(names), weights=list(names.values()))[0]
    else:
        names = {
            SourceType.MEDIA: MEDIA[country],
            SourceType.SOCIAL_MEDIA: SOCIAL,
            SourceType.SELF_REPORT: SELF,
            SourceType.WITNESS: WITNESSES,
            SourceType.GOVERNMENT: (GOVERNMENT[claim.place.province],),
            SourceType.OTHER: OTHER[country],
        }[kind]
        claim.source_name = rng.choice(names)
    if claim.source_name == "Airwars":
        claim.source_url = airwars_url(claim)
    elif claim.source_name in MEDIA_URLS:
        claim.source_url = _url_fill(rng, MEDIA_URLS[claim.source_name], claim)
    claim.has_coordinates = (
        kind == SourceType.SELF_REPORT
        or claim.landmark is not None
        or (rng.random() < {SourceType.SOCIAL_MEDIA: 0.8, SourceType.WITNESS: 0.85}.get(kind, 0.93))
    )


def _alleged(rng: random.Random, claim: Claim) -> None:
    if claim.landmark is not None:
        claim.killed_range = claim.landmark.alleged
        claim.injured_range = (None, None)
        return
    if claim.original is not None and rng.random() < 0.7:
        claim.killed_range, claim.injured_range = claim.original.killed_range, (None, None)
        return
    credible = [e for e in claim.events if e.kind == Outcome.CREDIBLE]
    if credible:
        official = credible[0].killed
        if claim.source_type == SourceType.SELF_REPORT:
            low = official
        else:
            low = official + rng.choice((0, 0, 1, 2, 3, 5))
    elif rng.random() < 0.1:
        claim.killed_range, claim.injured_range = (None, None), (None, None)
        return
    else:
        r = rng.random()
        low = (0 if r < 0.05 else rng.randint(1, 4) if r < 0.55
               else rng.randint(5, 12) if r < 0.85 else rng.randint(13, 40))  # fmt: skip
    claim.killed_range = (low, low + rng.randint(0, max(1, low // 2)))
    if rng.random() < 0.35:
        claim.injured_range = (None, None)
    else:
        injured = rng.randint(0 if low else 1, 8)
        claim.injured_range = (injured, injured + rng.randint(0, 3))


def _victims(killed: tuple, injured: tuple) -> str:
    low, high = killed
    if low is None:
        return "an unknown number of civilians were killed"
    if high == 0:
        hurt = injured[1] or "several"
        return f"{hurt} civilians were injured" if hurt != 1 else "a civilian was injured"
    if low == high:
        return "one civilian was killed" if low == 1 else f"{low} civilians were killed"
    return f"between {low} and {high} civilians were killed"


def _summary(rng: random.Random, claim: Claim) -> str:
    if claim.landmark is not None:
        return claim.landmark.summary
    place, day = claim.place, _long_date(claim.incident_date)
    where = (f"in the {rng.choice(place.quarters)} neighbourhood of {place.name}"
             if place.quarters and rng.random() < 0.6 else
             rng.choice((f"in {place.name}", f"near {place.name}")))  # fmt: skip
    if claim.source_type == SourceType.SELF_REPORT:
        target = claim.strikes[0].target if claim.strikes else "ISIS position"
        return (
            f"A Coalition unit reported that civilians may have been present when it struck "
            f"{_with_article(target)} {where} on {day}."
        )
    who = {
        SourceType.NGO: f"{claim.source_name}, citing local sources, reported",
        SourceType.MEDIA: f"{claim.source_name} reported",
        SourceType.SOCIAL_MEDIA: "Residents posting on social media reported",
        SourceType.WITNESS: "A witness told Coalition liaison officers",
        SourceType.GOVERNMENT: f"The {claim.source_name} reported",
        SourceType.OTHER: f"The {claim.source_name} reported",
    }[claim.source_type]
    strike = {
        "Coalition": "a Coalition air strike",
        "Russia": "an air strike the source attributed to Russian aircraft",
        "Syrian government": "an air strike the source attributed to Syrian government aircraft",
        "Unknown": "an air strike by unidentified aircraft",
    }[claim.belligerent]
    hit = rng.choice(BUILDINGS + (RIVER_BUILDINGS if place.name in ("Raqqa", "Hajin", "Mosul")
                                  else ()))  # fmt: skip
    text = (
        f"{who} that {_victims(claim.killed_range, claim.injured_range)} when {strike} hit "
        f"{hit} {where} on {day}."
    )
    if rng.random() < 0.5:
        text += " " + rng.choice(EXTRAS)
    return text


def _notes(rng: random.Random, claim: Claim) -> str:
    chances = {SourceType.WITNESS: 0.6, SourceType.SELF_REPORT: 0.4, SourceType.GOVERNMENT: 0.3}
    chance = chances.get(claim.source_type, 0.12)
    if rng.random() >= chance:
        return ""
    return rng.choice(NOTES).format(
        case=f"W-{rng.randint(100, 9999):04d}",
        log=f"SC-{claim.incident_date:%y%m%d}-{rng.randint(1, 99):02d}",
    )


def _rationale(rng: random.Random, claim: Claim, event: Event, previous: Event | None) -> str:
    place, day = claim.place.name, _long_date(claim.incident_date)
    target = _with_article(claim.strikes[0].target) if claim.strikes else "ISIS targets"
    if event.kind == REOPENED:
        return event.reopening.new_information
    if event.kind == Outcome.DUPLICATE:
        return (
            f"Duplicate of {claim.original.ref}, which reports the same incident near "
            f"{place} on {day}."
        )
    if event.kind == Outcome.NON_CREDIBLE:
        return rng.choice(NC_RATIONALES[event.reason]).format(place=place, target=target)
    harm = (f"{event.killed} civilian{'s were' if event.killed != 1 else ' was'} "
            f"unintentionally killed" if event.killed else
            f"{event.injured} civilian{'s were' if event.injured != 1 else ' was'} "
            f"unintentionally injured")  # fmt: skip
    if (
        previous is not None
        and previous.kind == Outcome.CREDIBLE
        and previous.killed != event.killed
    ):
        return (
            f"Reassessed after new information: {harm} in the strike near {place} on {day}, "
            f"not {previous.killed} as first assessed."
        )
    return (
        f"Coalition forces struck {target} near {place} on {day}. After review of the "
        f"available information, it was assessed that {harm}."
    )


def _diligence(rng: random.Random, claim: Claim, event: Event) -> str:
    year = event.on.year
    era = 0 if year <= 2016 else 1 if year == 2017 else 2
    credible = event.kind == Outcome.CREDIBLE
    struck = bool(claim.strikes) or credible or event.reason == Reason.NO_CIVILIAN_HARM
    chances = {
        Diligence.STRIKE_VIDEO: (0.0 if event.reason == NO_STRIKE else
                         (0.7, 0.85, 0.9)[era] if struck else 0.2),
        Diligence.PERSONNEL_INTERVIEWED: (0.15, 0.2, 0.3)[era] + (0.3 if credible else 0),
        Diligence.LOCAL_LANGUAGE_SEARCH: (0.08, 0.25, 0.5)[era],
        Diligence.MAP_SEARCH: 0.92,
        Diligence.WITNESS_INTERVIEWED: (0.005, 0.02, 0.06)[era] * (3 if credible else 1),
        Diligence.SITE_VISIT: (0.0, 0.004, 0.02 if claim.place.country == "IQ" else 0.005)[era]
        * (3 if credible else 1),
        Diligence.NGO_INFORMATION: (0.9 if claim.source_type == SourceType.NGO
                                    else (0.1, 0.3, 0.4)[era]),
    }  # fmt: skip
    steps = [step for step in chances if rng.random() < chances[step]]
    return ";".join(steps or [Diligence.MAP_SEARCH])


def claims_word(claims: list[Claim], rng: random.Random) -> None:
    """Sources, alleged figures, summaries and notes of the claims; rationales and diligence of
    their events."""
    airwars_codes_assign(claims)
    for claim in sorted(claims, key=lambda c: (c.received_on, c.serial)):
        _source(rng, claim)
        _alleged(rng, claim)
        claim.summary = _summary(rng, claim)
        claim.notes = _notes(rng, claim)
        if claim.notes.startswith(NOT_EXACT):
            claim.location_disclosure = LocationDisclosure.ROUNDED
        previous = None
        for event in claim.events:
            event.rationale = _rationale(rng, claim, event, previous)
            if event.is_assessment:
                event.diligence = _diligence(rng, claim, event)
                if claim.landmark is not None:
                    event.diligence = claim.landmark.diligence
                previous = event
            if event.kind == Outcome.DUPLICATE:
                event.duplicate_of = claim.original
