"""Audit diplograph/data/actors/states.yaml against ISO 3166 (pycountry), or print skeleton entries.

Dev tool only: ``.venv/bin/pip install pycountry==26.2.16`` first. The package never imports
pycountry; states.yaml is the curated source of truth and this script only reports drift:

    .venv/bin/python scripts/make_states.py            # report mismatches, exit 1 if any
    .venv/bin/python scripts/make_states.py --skeleton ABW GUM   # YAML stubs to curate by hand

Why: ISO codes are the one part of the state list that comes from outside; capitals, demonyms,
aliases, QIDs and dates are curated and cannot be generated.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pycountry
import yaml

# Ids with no ISO 3166 code: Kosovo's user-assigned code and historical states ISO never coded.
KNOWN_NON_ISO = {"XKX", "RVN", "YAR", "OTT", "AUH"}
STATES = Path(__file__).resolve().parents[1] / "diplograph" / "data" / "actors" / "states.yaml"


def audit(entries: list[dict]) -> list[str]:
    """Problems: iso2 that disagrees with ISO 3166-1, ids that are neither ISO 3166-1 nor 3166-3."""
    problems = []
    historic = {country.alpha_3 for country in pycountry.historic_countries}
    for entry in entries:
        current = pycountry.countries.get(alpha_3=entry["id"])
        if current is not None:
            if entry.get("iso2") != current.alpha_2:
                problems.append(f"{entry['id']}: iso2 {entry.get('iso2')!r}, ISO 3166-1 says {current.alpha_2!r}")
        elif entry["id"] not in historic and entry["id"] not in KNOWN_NON_ISO:
            problems.append(f"{entry['id']}: not an ISO 3166-1/3166-3 code")
    return problems


def skeleton(codes: list[str]) -> str:
    """YAML stubs with ISO data filled in and the curated fields left empty."""
    stubs = []
    for code in codes:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise SystemExit(f"unknown ISO 3166-1 alpha-3 code: {code}")
        name = getattr(country, "common_name", None) or country.name
        official = getattr(country, "official_name", None)
        stubs.append({"id": code, "name": name, "type": "state", "iso2": country.alpha_2, "wikidata": "Q?",
                      "aliases": [official] if official and official != name else [], "capitals": [],
                      "demonyms": []})
    return yaml.safe_dump(stubs, sort_keys=False, allow_unicode=True, default_flow_style=None)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--skeleton"]:
        print(skeleton(argv[1:]), end="")
        return 0
    entries = yaml.safe_load(STATES.read_text(encoding="utf-8"))
    problems = audit(entries)
    for problem in problems:
        print(problem)
    print(f"{len(entries)} entries, {len(problems)} to check")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
