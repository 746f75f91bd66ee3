"""Real places of the campaign, their governorates and coordinates, and when the fighting was there.

Coordinates are the town centres (decimal degrees, WGS84). ACTIVITY gives each place's relative
share of the strikes month by month, following the course of the war: Mosul Dam, Sinjar and
Amirli in August 2014, Kobani that winter, Tikrit and Ramadi in 2015, Fallujah and Manbij in mid
2016, Mosul from October 2016 to July 2017, Raqqa from June to October 2017, the Euphrates
valley late in 2017, Hajin in late 2018 and Baghuz until March 2019.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

SYRIA_FIRST_STRIKE = date(2014, 9, 23)
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO 3166-1 alpha-2
    province: str  # governorate
    latitude: float
    longitude: float
    radius_km: float  # strikes and claims fall within this distance of the centre
    urban: float  # how many claims of civilian harm a strike here tends to bring
    quarters: tuple[str, ...] = ()  # neighbourhoods named in claim summaries


PLACES = {
    p.name: p
    for p in (
        # Iraq
        Place("Mosul", "IQ", "Ninawa", 36.34000, 43.13000, 6.0, 3.0, (
            "al-Jadida", "Zanjili", "al-Shifa", "Bab Sinjar", "the Old City", "al-Yarmouk",
            "al-Tammuz", "Wadi Hajar", "al-Zuhur", "al-Muthanna", "al-Mansour", "Nablus",
        )),
        Place("Mosul Dam", "IQ", "Ninawa", 36.63000, 42.82310, 3.0, 0.3),
        Place("Tal Afar", "IQ", "Ninawa", 36.37670, 42.44970, 3.0, 1.2, ("al-Qalaa", "al-Wahda")),
        Place("Sinjar", "IQ", "Ninawa", 36.32090, 41.87540, 3.0, 0.6),
        Place("Qayyarah", "IQ", "Ninawa", 35.79860, 43.29140, 3.0, 1.0),
        Place("Hammam al-Alil", "IQ", "Ninawa", 36.15580, 43.26060, 2.5, 1.0),
        Place("Makhmur", "IQ", "Erbil", 35.77610, 43.58110, 3.0, 0.5),
        Place("Bayji", "IQ", "Salah al-Din", 34.92920, 43.49310, 3.0, 0.5),
        Place("Tikrit", "IQ", "Salah al-Din", 34.60000, 43.68330, 3.0, 1.0),
        Place("al-Sharqat", "IQ", "Salah al-Din", 35.51000, 43.23000, 3.0, 1.0),
        Place("Amirli", "IQ", "Salah al-Din", 34.72360, 44.58830, 2.5, 0.5),
        Place("Tuz Khurmatu", "IQ", "Salah al-Din", 34.88860, 44.63250, 3.0, 0.7),
        Place("Hawija", "IQ", "Kirkuk", 35.32420, 43.77170, 3.0, 1.2),
        Place("Kirkuk", "IQ", "Kirkuk", 35.46810, 44.39220, 4.0, 0.6),
        Place("Jalawla", "IQ", "Diyala", 34.27140, 45.16690, 2.5, 0.7),
        Place("Muqdadiyah", "IQ", "Diyala", 33.97860, 44.93690, 2.5, 0.7),
        Place("Ramadi", "IQ", "Anbar", 33.42580, 43.29940, 4.0, 1.5, (
            "al-Tamim", "al-Hoz", "al-Jamiya", "al-Aziziya",
        )),
        Place("Fallujah", "IQ", "Anbar", 33.35000, 43.78330, 4.0, 1.5, (
            "al-Jolan", "al-Shuhada", "al-Nazal", "al-Askari",
        )),
        Place("Hit", "IQ", "Anbar", 33.63810, 42.82640, 3.0, 1.0),
        Place("Haditha", "IQ", "Anbar", 34.13970, 42.37810, 3.0, 0.8),
        Place("al-Qaim", "IQ", "Anbar", 34.36880, 41.09450, 3.0, 1.2),
        Place("Rutba", "IQ", "Anbar", 33.03810, 40.28480, 3.0, 0.7),
        # Syria
        Place("Kobani", "SY", "Aleppo", 36.89080, 38.35390, 3.0, 0.6),
        Place("Manbij", "SY", "Aleppo", 36.52810, 37.95470, 3.0, 2.0, ("al-Hazawneh", "al-Sirb")),
        Place("al-Bab", "SY", "Aleppo", 36.37030, 37.51580, 3.0, 1.5),
        Place("Harim", "SY", "Idlib", 36.20750, 36.51890, 2.0, 1.0),
        Place("Idlib", "SY", "Idlib", 35.93060, 36.63390, 3.0, 1.0),
        Place("Raqqa", "SY", "Raqqa", 35.95000, 39.01670, 4.0, 3.0, (
            "al-Badu", "al-Mashlab", "al-Rumaila", "al-Daraiya", "al-Thakana", "al-Sinaa",
            "al-Nahda", "al-Andalus",
        )),
        Place("Tabqa", "SY", "Raqqa", 35.83670, 38.54810, 3.0, 2.0, ("al-Wahab",)),
        Place("Tal Abyad", "SY", "Raqqa", 36.69750, 38.95670, 2.5, 0.8),
        Place("Hasakah", "SY", "Hasakah", 36.50000, 40.75000, 3.5, 1.0, ("Ghwayran", "al-Nashwa")),
        Place("al-Shaddadi", "SY", "Hasakah", 36.05610, 40.73030, 3.0, 1.0),
        Place("al-Hawl", "SY", "Hasakah", 36.38280, 41.15030, 2.5, 1.0),
        Place("Deir ez-Zor", "SY", "Deir ez-Zor", 35.33330, 40.15000, 4.0, 1.5, (
            "al-Jubaila", "al-Hamidiya", "al-Hawiqa",
        )),
        Place("al-Mayadin", "SY", "Deir ez-Zor", 35.01830, 40.45330, 3.0, 1.5),
        Place("Abu Kamal", "SY", "Deir ez-Zor", 34.45360, 40.91890, 3.0, 1.5),
        Place("Hajin", "SY", "Deir ez-Zor", 34.68940, 40.83080, 3.0, 2.0, ("al-Shaafa road",)),
        Place("Baghuz", "SY", "Deir ez-Zor", 34.45860, 40.95060, 2.0, 2.0, ("the camp",)),
        Place("Palmyra", "SY", "Homs", 34.55600, 38.26800, 3.0, 0.8),
    )
}  # fmt: skip

# (first month, last month, weight): each place's share of the month's strikes.
ACTIVITY: dict[str, list[tuple[str, str, float]]] = {
    "Mosul": [
        ("2014-08", "2016-09", 4),
        ("2016-10", "2016-12", 45),
        ("2017-01", "2017-07", 70),
        ("2017-08", "2019-12", 1),
    ],
    "Mosul Dam": [("2014-08", "2014-09", 30)],
    "Tal Afar": [("2014-09", "2017-07", 3), ("2017-08", "2017-08", 40)],
    "Sinjar": [("2014-08", "2014-08", 25), ("2014-09", "2015-10", 5), ("2015-11", "2015-11", 20)],
    "Qayyarah": [("2014-09", "2016-05", 2), ("2016-06", "2016-09", 20), ("2016-10", "2016-11", 6)],
    "Hammam al-Alil": [("2016-10", "2016-11", 8)],
    "Makhmur": [("2014-08", "2014-09", 20), ("2014-10", "2016-03", 2), ("2018-06", "2019-12", 4)],
    "Bayji": [("2014-09", "2015-10", 10)],
    "Tikrit": [("2014-08", "2015-02", 2), ("2015-03", "2015-04", 20)],
    "al-Sharqat": [("2015-01", "2016-08", 2), ("2016-09", "2016-10", 12)],
    "Amirli": [("2014-08", "2014-09", 15)],
    "Tuz Khurmatu": [("2014-08", "2014-12", 3), ("2017-11", "2019-12", 2)],
    "Hawija": [("2014-10", "2017-08", 3), ("2017-09", "2017-10", 30), ("2017-11", "2019-12", 2)],
    "Kirkuk": [("2014-08", "2016-12", 3), ("2018-01", "2019-12", 2)],
    "Jalawla": [("2014-08", "2014-11", 8)],
    "Muqdadiyah": [("2014-10", "2015-01", 3)],
    "Ramadi": [("2014-10", "2015-10", 8), ("2015-11", "2016-02", 30), ("2016-03", "2016-12", 2)],
    "Fallujah": [("2014-10", "2016-04", 4), ("2016-05", "2016-06", 35)],
    "Hit": [("2014-10", "2016-02", 3), ("2016-03", "2016-04", 20)],
    "Haditha": [("2014-09", "2017-08", 3), ("2017-09", "2017-10", 6), ("2018-01", "2019-12", 2)],
    "al-Qaim": [("2015-06", "2017-09", 3), ("2017-10", "2017-11", 30), ("2017-12", "2019-12", 3)],
    "Rutba": [("2015-01", "2016-04", 2), ("2016-05", "2016-05", 10), ("2016-06", "2019-12", 1)],
    "Kobani": [("2014-09", "2015-01", 60), ("2015-02", "2015-06", 4)],
    "Manbij": [("2015-01", "2016-04", 2), ("2016-05", "2016-08", 35), ("2016-09", "2017-03", 2)],
    "al-Bab": [("2016-11", "2017-02", 6)],
    "Harim": [("2014-09", "2014-11", 2)],
    "Idlib": [("2015-01", "2017-12", 1)],
    "Raqqa": [("2014-09", "2016-10", 8), ("2016-11", "2017-05", 15), ("2017-06", "2017-10", 65)],
    "Tabqa": [("2015-01", "2016-12", 2), ("2017-01", "2017-02", 6), ("2017-03", "2017-05", 25)],
    "Tal Abyad": [("2014-10", "2015-04", 2), ("2015-05", "2015-06", 15)],
    "Hasakah": [("2014-10", "2015-05", 3), ("2015-06", "2015-08", 15), ("2015-09", "2016-12", 1)],
    "al-Shaddadi": [
        ("2015-06", "2016-01", 3),
        ("2016-02", "2016-03", 20),
        ("2016-04", "2017-12", 1),
    ],
    "al-Hawl": [("2015-10", "2015-11", 12)],
    "Deir ez-Zor": [
        ("2014-09", "2017-08", 6),
        ("2017-09", "2017-11", 15),
        ("2017-12", "2019-12", 2),
    ],
    "al-Mayadin": [
        ("2014-10", "2017-08", 4),
        ("2017-09", "2017-10", 15),
        ("2017-11", "2018-08", 3),
    ],
    "Abu Kamal": [("2014-10", "2017-09", 4), ("2017-10", "2017-12", 15), ("2018-01", "2018-12", 4)],
    "Hajin": [
        ("2017-11", "2018-08", 10),
        ("2018-09", "2018-12", 60),
        ("2019-01", "2019-02", 8),
        ("2019-04", "2019-12", 1),
    ],
    "Baghuz": [("2018-05", "2018-11", 3), ("2018-12", "2018-12", 10), ("2019-01", "2019-03", 60)],
    "Palmyra": [("2015-05", "2017-03", 2)],
}
# Oil wells, refineries and tankers were struck in eastern Syria from late 2015 (Tidal Wave II).
OIL_PLACES = ("Deir ez-Zor", "al-Mayadin", "Abu Kamal", "al-Shaddadi", "Hasakah")
RIVER_PLACES = ("Mosul", "Raqqa", "Tabqa", "Deir ez-Zor", "al-Mayadin", "Hajin", "Baghuz",
                "Abu Kamal", "Hit", "Haditha", "al-Qaim", "Ramadi", "Fallujah")  # fmt: skip
SIEGES = ("Mosul", "Raqqa", "Ramadi", "Fallujah", "Tabqa", "Manbij", "Hajin", "Baghuz", "Kobani",
          "Tal Afar", "Hawija", "al-Qaim", "Abu Kamal")  # fmt: skip


def place_weights(month: str) -> list[tuple[Place, float]]:
    """The places struck in `month`, each with its share of the strikes."""
    weights = []
    for name, periods in ACTIVITY.items():
        weight = sum(w for first, last, w in periods if first <= month <= last)
        if weight:
            weights.append((PLACES[name], weight))
    return weights


def first_day_struck(place: Place) -> date:
    """The first day the coalition could strike there (Syria only from 23 September 2014)."""
    return SYRIA_FIRST_STRIKE if place.country == "SY" else date(2014, 8, 8)


def point_near(rng: random.Random, latitude: float, longitude: float, max_km: float):
    """A point uniformly within `max_km` of (latitude, longitude)."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE
    dlon = distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    return latitude + dlat, longitude + dlon
