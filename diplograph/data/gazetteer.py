"""The actor gazetteer: states, organisations, groups and office holders, with dated meanings.

Why dates: a surface form names different actors in different periods ("Russia" in 1950 is the
Soviet Union; "Kim" in 2000 is Kim Jong Il, in 2022 Kim Jong Un), so every lookup takes the date
the text speaks about and picks the actor valid then.

Every ``*.yaml`` under ``diplograph/data/actors`` is read (a missing file is simply absent),
validated by :mod:`diplograph.data.schema` and cross-checked; any problem raises
:class:`diplograph.errors.DataError` naming the file, the entry id and the problem.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable, NamedTuple

import yaml
from pydantic import ValidationError

from diplograph.data.schema import EntrySchema
from diplograph.errors import DataError



class _ActorYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that leaves dates as text, so the schema (not PyYAML) judges "1990-13-45"."""


_ActorYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
_YAML_LOADER = _ActorYamlLoader

#: Order in which an office makes a bare surname mean its holder ("Kim" -> the leader, not a minister).
OFFICE_PRIORITY: tuple[str, ...] = ("leader", "head_of_state", "head_of_government", "foreign_minister")
DEFAULT_HOLDER_OFFICES: tuple[str, ...] = ("head_of_state", "head_of_government", "leader")

# How strongly each kind of match names an actor: a name beats a capital metonym beats an adjective.
_HOW_RANK = {"name": 0, "alias": 0, "historical": 0, "capital": 1, "demonym": 2, "surname": 3}
_UNBOUNDED_DAYS = 10**7


@dataclass(frozen=True)
class Term:
    """One term of office; ``end`` None means still in office."""

    office: str
    state: str
    title: str | None
    start: date | None
    end: date | None

    def covers(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


class HistoricalAlias(NamedTuple):
    alias: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Entry:
    """One actor as the linker sees it (immutable, hashable)."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    iso2: str | None = None
    wikidata: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    parent: str | None = None
    successor: str | None = None
    surname: str | None = None
    terms: tuple[Term, ...] = ()
    historical_aliases: tuple[HistoricalAlias, ...] = ()
    region: str | None = None
    born: date | None = None
    died: date | None = None

    def valid_at(self, when: date) -> bool:
        """True when the actor existed at ``when`` (a person: between birth and death if known)."""
        start, end = self._span()
        return (start is None or start <= when) and (end is None or when <= end)

    def terms_at(self, when: date) -> list[Term]:
        return [term for term in self.terms if term.covers(when)]

    def _span(self) -> tuple[date | None, date | None]:
        if self.type == "person":
            return self.born, self.died
        return self.valid_from, self.valid_to


class _Hit(NamedTuple):
    """One way a normalised form points at an entry."""

    entry_id: str
    how: str
    start: date | None  # window of a historical alias
    end: date | None


# --------------------------------------------------------------------------- normalisation

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def is_acronym(text: str) -> bool:
    """All-caps acronym of 2-6 letters, dots allowed ("US", "U.S.", "DPRK"): matched case-sensitively."""
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def normalise_form(text: str) -> tuple[str, bool]:
    """Lookup key for a surface form and whether it is case-sensitive.

    NFKC, curly apostrophes to straight, whitespace collapsed, a leading "the " dropped,
    case folded except for acronyms (see :func:`is_acronym`), which keep their case.
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _SPACES.sub(" ", text).strip()
    text = _LEADING_THE.sub("", text)
    if is_acronym(text):
        return text, True
    return text.casefold(), False


# --------------------------------------------------------------------------- the gazetteer


@dataclass
class Gazetteer:
    """All actors with a normalised lookup; build it with :func:`load_gazetteer`."""

    entries: dict[str, Entry]
    _exact: dict[str, list[_Hit]] = field(default_factory=dict, repr=False)
    _folded: dict[str, list[_Hit]] = field(default_factory=dict, repr=False)
    _forms: list[tuple[str, bool]] = field(default_factory=list, repr=False)
    _terms_by_state: dict[str, list[tuple[Term, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        seen_forms: set[tuple[str, bool]] = set()
        for entry in self.entries.values():
            for form, how, start, end in _forms_of(entry):
                key, case_sensitive = normalise_form(form)
                index = self._exact if case_sensitive else self._folded
                hits = index.setdefault(key, [])
                hit = _Hit(entry.id, how, start, end)
                if not any(h.entry_id == hit.entry_id and h.how == how for h in hits):
                    hits.append(hit)
                if (key, case_sensitive) not in seen_forms:
                    seen_forms.add((key, case_sensitive))
                    self._forms.append((form, case_sensitive))
            for term in entry.terms:
                self._terms_by_state.setdefault(term.state, []).append((term, entry.id))

    # ---- lookups

    def surface_forms(self) -> list[tuple[str, bool]]:
        """Every distinct alias, name, capital, demonym and surname as (form, case_sensitive)."""
        return list(self._forms)

    def candidates(self, surface: str) -> list[tuple[Entry, str]]:
        """Entries ``surface`` may mean, with how it names them ("name", "alias", "capital", ...)."""
        return [(self.entries[hit.entry_id], hit.how) for hit in self._hits(surface)]

    def resolve(self, surface: str, when: date | None = None) -> Entry | None:
        """The actor ``surface`` means at ``when`` (today when None); None if unknown or a tie.

        Preference: exact acronym match (by lookup), then candidates valid at ``when`` (entry
        validity, historical-alias window, for a surname a term of office covering ``when``),
        then the strongest kind of match, the highest office, the narrowest validity window.
        When nothing is valid at ``when`` the candidate nearest in time wins.
        """
        when = when or date.today()
        hits = self._hits(surface)
        if not hits:
            return None
        scored = [(self._score(hit, when), hit.entry_id) for hit in hits]
        best_per_entry: dict[str, tuple] = {}
        for score, entry_id in scored:
            if entry_id not in best_per_entry or score < best_per_entry[entry_id]:
                best_per_entry[entry_id] = score
        ranking = sorted(best_per_entry.items(), key=lambda item: item[1])
        if len(ranking) > 1 and ranking[0][1] == ranking[1][1]:
            return None
        return self.entries[ranking[0][0]]

    def holders(self, state: str, when: date, offices: Iterable[str] = DEFAULT_HOLDER_OFFICES) -> list[Entry]:
        """Persons holding one of ``offices`` for ``state`` at ``when``, in the order of ``offices``."""
        wanted = list(offices)
        found: dict[str, int] = {}
        for term, person_id in self._terms_by_state.get(state, []):
            if term.office in wanted and term.covers(when):
                rank = wanted.index(term.office)
                found[person_id] = min(rank, found.get(person_id, rank))
        ordered = sorted(found, key=lambda pid: (found[pid], self.entries[pid].name))
        return [self.entries[pid] for pid in ordered]

    # ---- internals

    def _hits(self, surface: str) -> list[_Hit]:
        key, case_sensitive = normalise_form(surface)
        if case_sensitive:
            hits = self._exact.get(key)
            if hits:
                return hits
            return self._folded.get(key.casefold(), [])  # "CHINA" in a headline
        return self._folded.get(key, [])

    def _score(self, hit: _Hit, when: date) -> tuple[int, int, int, int, int]:
        """Sort key, lower is better: (not valid, distance in days, kind, office, window width)."""
        entry = self.entries[hit.entry_id]
        office_rank = len(OFFICE_PRIORITY)
        if hit.how == "historical":
            start, end = hit.start, hit.end
            start = max(filter(None, (start, entry.valid_from)), default=None)
            end = min(filter(None, (end, entry.valid_to)), default=None)
            distance = _distance(start, end, when)
        elif hit.how == "surname":
            distance = min((_distance(t.start, t.end, when) for t in entry.terms), default=_UNBOUNDED_DAYS)
            start, end = None, None
            in_office = entry.terms_at(when)
            if in_office:
                office_rank = min(_office_rank(t.office) for t in in_office)
        else:
            start, end = entry._span()
            distance = _distance(start, end, when)
        width = (end - start).days if start and end else _UNBOUNDED_DAYS
        return (distance > 0, distance, _HOW_RANK[hit.how], office_rank, width)


def _office_rank(office: str) -> int:
    return OFFICE_PRIORITY.index(office) if office in OFFICE_PRIORITY else len(OFFICE_PRIORITY)


def _distance(start: date | None, end: date | None, when: date) -> int:
    """Days between ``when`` and the window [start, end]; 0 inside it."""
    if start is not None and when < start:
        return (start - when).days
    if end is not None and when > end:
        return (when - end).days
    return 0


def _forms_of(entry: Entry) -> Iterable[tuple[str, str, date | None, date | None]]:
    yield entry.name, "name", None, None
    for alias in entry.aliases:
        yield alias, "alias", None, None
    for capital in entry.capitals:
        yield capital, "capital", None, None
    for demonym in entry.demonyms:
        yield demonym, "demonym", None, None
    if entry.surname:
        yield entry.surname, "surname", None, None
    for alias, start, end in entry.historical_aliases:
        yield alias, "historical", start, end


# --------------------------------------------------------------------------- loading


def load_gazetteer(directory: str | Path | None = None) -> Gazetteer:
    """Read, validate and index every ``*.yaml`` of the actor gazetteer (cached).

    directory (str | Path | None): a folder of actor YAML files; None means the packaged
        ``diplograph/data/actors`` (read through importlib.resources).
    RETURNS (Gazetteer): the shared, cached instance for that folder.
    """
    return _load_cached(None if directory is None else str(Path(directory).resolve()))


@lru_cache(maxsize=8)
def _load_cached(directory: str | None) -> Gazetteer:
    files = _actor_files(directory)
    entries: dict[str, Entry] = {}
    origin: dict[str, str] = {}
    for name, text in files:
        for schema in _validated_entries(name, text):
            if schema.id in entries:
                raise DataError(f"{name}: entry {schema.id!r}: duplicate id (also in {origin[schema.id]})")
            entries[schema.id] = _to_entry(schema)
            origin[schema.id] = name
    _check_references(entries, origin)
    return Gazetteer(entries)


def _actor_files(directory: str | None) -> list[tuple[str, str]]:
    """(file name, text) of every YAML file, sorted by name; a missing folder gives nothing."""
    folder: Traversable | Path
    folder = resources.files("diplograph.data").joinpath("actors") if directory is None else Path(directory)
    if not folder.is_dir():
        return []
    found = [item for item in folder.iterdir() if item.name.endswith((".yaml", ".yml")) and item.is_file()]
    return [(item.name, item.read_text(encoding="utf-8")) for item in sorted(found, key=lambda i: i.name)]


def _validated_entries(file_name: str, text: str) -> list[EntrySchema]:
    try:
        raw = yaml.load(text, Loader=_YAML_LOADER)
    except (yaml.YAMLError, ValueError) as err:
        raise DataError(f"{file_name}: not valid YAML: {err}".replace("\n", " ")) from err
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DataError(f"{file_name}: expected a list of entries, got {type(raw).__name__}")
    validated = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{file_name}: entry #{position}: expected a mapping, got {type(item).__name__}")
        label = item.get("id") or f"#{position}"
        try:
            validated.append(EntrySchema.model_validate(item))
        except ValidationError as err:
            raise DataError(f"{file_name}: entry {label!r}: {_describe(err)}") from err
    return validated


def _describe(err: ValidationError) -> str:
    """One line per pydantic error: where and what, e.g. "unknown key 'capitol'"."""
    parts = []
    for problem in err.errors():
        where = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "extra_forbidden":
            parts.append(f"unknown key {where!r}")
        else:
            message = problem["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _to_entry(schema: EntrySchema) -> Entry:
    return Entry(
        id=schema.id,
        name=schema.name,
        type=schema.type,
        aliases=tuple(schema.aliases),
        capitals=tuple(schema.capitals),
        demonyms=tuple(schema.demonyms),
        iso2=schema.iso2,
        wikidata=schema.wikidata,
        valid_from=schema.valid_from,
        valid_to=schema.valid_to,
        parent=schema.parent,
        successor=schema.successor,
        surname=schema.surname,
        terms=tuple(Term(t.office, t.state, t.title, t.start, t.end) for t in schema.terms),
        historical_aliases=tuple(HistoricalAlias(h.alias, h.start, h.end) for h in schema.historical_aliases),
        region=schema.region,
        born=schema.born,
        died=schema.died,
    )


def _check_references(entries: dict[str, Entry], origin: dict[str, str]) -> None:
    """Every parent, successor and term state names an existing non-person entry; iso2 codes are unique."""
    for entry in entries.values():
        refs = [("parent", entry.parent), ("successor", entry.successor)]
        refs += [(f"terms[{i}].state", term.state) for i, term in enumerate(entry.terms)]
        for what, target in refs:
            if target is None:
                continue
            if target not in entries:
                raise DataError(f"{origin[entry.id]}: entry {entry.id!r}: {what} {target!r} is not a known actor id")
            if entries[target].type == "person":
                raise DataError(f"{origin[entry.id]}: entry {entry.id!r}: {what} {target!r} is a person")
    iso2_owner: dict[str, str] = {}
    for entry in entries.values():
        if entry.iso2 is None:
            continue
        if entry.iso2 in iso2_owner:
            raise DataError(
                f"{origin[entry.id]}: entry {entry.id!r}: iso2 {entry.iso2!r} already used by {iso2_owner[entry.iso2]!r}"
            )
        iso2_owner[entry.iso2] = entry.id
