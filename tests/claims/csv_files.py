"""Writing CSV files for the importer tests."""

import textwrap


def write_csv(tmp_path, name: str, text: str, *, encoding: str = "utf-8"):
    """Write `text` (dedented, first newline dropped) to `tmp_path / name`; return the path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
    return path


def strike_rows(count: int, *, start: int = 1) -> str:
    """`count` valid strike rows, refs S-00001 onward, for the strikes header below."""
    return "".join(
        f"S-{n:05d},2017-03-{n % 28 + 1:02d},IQ,Ninawa,Mosul,36.34,43.13,Coalition,"
        f"Fighting position,GBU-38,1,https://example.org/strikes/{n}\n"
        for n in range(start, start + count)
    )


STRIKES_HEADER = (
    "strike_ref,date,country,province,locality,latitude,longitude,belligerent,target,munition,"
    "engagements,source_url\n"
)
