"""A campaign N times the demo: `python bench/campaign.py SCALE FOLDER` writes its four CSV files.

Copy 1 is the demo campaign (demo/data/*.csv) unchanged, so that scale 1 imports exactly like the
demo; copy k > 1 is the same rows with every ref prefixed "Xk-": a strike's strike_ref, a claim's
claim_ref and the strike refs it names, an assessment's claim_ref and duplicate_of, an
independent finding's claim_ref. Dates are kept, so a month holds N times the demo's claims.
Rows are streamed from the demo files to the new ones, one at a time.
"""

import csv
import sys
from pathlib import Path

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "data"

# In import order (claims name strikes, assessments name claims): kind -> (file, ref columns).
# A ref column listed with ";" holds a ;-separated list of refs.
FILES = {
    "strikes": ("strikes.csv", {"strike_ref": ""}),
    "claims": ("claims.csv", {"claim_ref": "", "strike_refs": ";"}),
    "assessments": ("assessments.csv", {"claim_ref": "", "duplicate_of": ""}),
    "external_assessments": ("external_assessments.csv", {"claim_ref": ""}),
}


def copy_prefix(copy: int) -> str:
    """The prefix of the refs of copy `copy` (from 1): none for the first, the demo itself."""
    return "" if copy == 1 else f"X{copy}-"


def _prefixed(value: str, prefix: str, separator: str) -> str:
    if not prefix or not value.strip():
        return value
    if not separator:
        return prefix + value.strip()
    refs = (ref.strip() for ref in value.split(separator))
    return separator.join(prefix + ref for ref in refs if ref)


def write_campaign(scale: int, folder: str | Path, source: Path = DEMO_DATA) -> dict[str, Path]:
    """Write the campaign of `scale` copies of the demo into `folder`: {kind: path of its CSV},
    in import order."""
    if scale < 1:
        raise ValueError(f"The scale is a number of copies of the demo, 1 or more, not {scale}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, (name, ref_columns) in FILES.items():
        path = paths[kind] = folder / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = None
            for copy in range(1, scale + 1):
                prefix = copy_prefix(copy)
                with (source / name).open(encoding="utf-8", newline="") as demo:
                    reader = csv.DictReader(demo)
                    if writer is None:
                        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
                        writer.writeheader()
                    for row in reader:
                        for column, separator in ref_columns.items():
                            row[column] = _prefixed(row[column], prefix, separator)
                        writer.writerow(row)
    return paths


def main(argv: list[str]) -> None:
    if len(argv) != 2 or not argv[0].isdigit():
        sys.exit("usage: python bench/campaign.py SCALE FOLDER")
    for kind, path in write_campaign(int(argv[0]), argv[1]).items():
        with path.open(encoding="utf-8", newline="") as file:
            rows = sum(1 for _ in csv.reader(file)) - 1
        print(f"{kind:<22} {rows:>9,} rows  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
