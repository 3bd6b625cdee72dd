"""Merging across documents: one event told by several reports, one figure given by several sources.

Records stay as each document gave them; merging only links them. ``cluster_events`` puts the
reports of one event in an ``event_clusters`` row (every evidence kept, a count of distinct
documents), ``cluster_claims`` puts figures about one measure, subject and period in a ``claims``
row, and a claim whose values cannot all be true at once, even allowing for rounding, is a
contradiction (``contradictions`` lists them with every source's value and sentence).
``release`` undoes a document's share before its rows are deleted.

All functions take a SQLAlchemy ``Connection`` inside the caller's transaction and use Core
statements only, so they behave the same on SQLite and PostgreSQL. They process rows in id
order and break every tie by id, so the same documents ingested in the same order give the same
clusters and claims.

Tunables and word lists live in ``diplograph/data/merge.yaml`` (schema: ``MergeConfig``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Iterable, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from diplograph import dates
from diplograph.model import PLOVER_TYPES
from diplograph.store.schema import actors, claims, documents, event_actors, event_clusters, events, quantities

Office = Literal["head_of_state", "head_of_government", "foreign_minister", "leader"]


# ---------------------------------------------------------------- configuration


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Similarity(_Strict):
    """How much two evidences must share: ``threshold`` of the shorter side, ``min_shared`` words."""

    threshold: float = Field(gt=0, le=1)
    min_shared: int = Field(ge=1)
    short_side_suffices: bool = False

    def met(self, a: frozenset[str], b: frozenset[str]) -> tuple[bool, float]:
        """(whether two content-word sets are similar enough, their overlap coefficient)."""
        ratio, shared = evidence_similarity(a, b)
        least = min(self.min_shared, len(a), len(b)) if self.short_side_suffices else self.min_shared
        return shared >= max(least, 1) and ratio >= self.threshold, ratio


class SimilarityByDate(_Strict):
    month: Similarity
    dated: Similarity
    undated: Similarity


class EventRules(_Strict):
    symmetric_types: list[str]
    representative_offices: list[Office]
    similarity: SimilarityByDate

    @field_validator("symmetric_types")
    @classmethod
    def _plover(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in PLOVER_TYPES]
        if unknown:
            raise ValueError(f"not PLOVER types: {unknown}")
        return value


class ClaimRules(_Strict):
    max_rounding_relative: float = Field(gt=0, lt=1)
    min_relative_tolerance: float = Field(ge=0, lt=1)
    approx_relative: float = Field(ge=0, lt=1)


class MergeConfig(_Strict):
    """merge.yaml: what makes two reports one event and two figures one claim."""

    events: EventRules
    claims: ClaimRules
    irregular_forms: dict[str, str]
    stop_words: list[str]
    measure_synonyms: dict[str, list[str]]

    @model_validator(mode="after")
    def _one_canonical_per_variant(self) -> "MergeConfig":
        seen: dict[str, str] = {}
        for canonical, variants in self.measure_synonyms.items():
            for variant in [canonical, *variants]:
                key = " ".join(variant.lower().split())
                if seen.get(key, canonical) != canonical:
                    raise ValueError(f"measure {variant!r} is listed under {seen[key]!r} and {canonical!r}")
                seen[key] = canonical
        return self

    @property
    def stop(self) -> frozenset[str]:
        return _frozen_stop(tuple(self.stop_words))

    @property
    def measure_index(self) -> dict[str, str]:
        """Every spelling of a measure -> its canonical name."""
        return {" ".join(v.lower().split()): canonical
                for canonical, variants in self.measure_synonyms.items() for v in [canonical, *variants]}


@lru_cache(maxsize=4)
def _frozen_stop(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def load_config(data: Optional[dict] = None) -> MergeConfig:
    """The validated merge rules: ``data`` if given (tests), else the packaged merge.yaml (cached)."""
    return MergeConfig.model_validate(data) if data is not None else _packaged_config()


@lru_cache(maxsize=1)
def _packaged_config() -> MergeConfig:
    text = resources.files("diplograph").joinpath("data", "merge.yaml").read_text(encoding="utf-8")
    return MergeConfig.model_validate(yaml.safe_load(text))


# ---------------------------------------------------------------- words and measures

_LETTERS = re.compile(r"[^\W\d_]+")


def stem(word: str, cfg: MergeConfig) -> str:
    """A crude stem, the same on both sides of a comparison: "invaded", "invades", "invade" -> "invad".

    Not a lemma (no dictionary at store time): it only has to map the forms of one word together.
    """
    w = word.lower()
    if w in cfg.irregular_forms:
        w = cfg.irregular_forms[w]
    elif len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = _undouble(w[:-3])
    elif len(w) > 4 and w.endswith("eed"):
        w = w[:-1]
    elif len(w) > 4 and w.endswith("ed"):
        w = _undouble(w[:-2])
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def _undouble(w: str) -> str:
    """ "planned" -> "plann" -> "plan"; "called" keeps its "ll"."""
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        return w[:-1]
    return w


def content_words(text: str, cfg: MergeConfig, drop: Iterable[str] = ()) -> frozenset[str]:
    """Stems of the words that say what happened: no function words, numbers, dates or ``drop``."""
    stop, dropped = cfg.stop, set(drop)
    out = set()
    for match in _LETTERS.finditer(text or ""):
        raw = match.group().lower()
        if raw in stop or len(raw) < 2:
            continue
        s = stem(raw, cfg)
        if s not in stop and s not in dropped:
            out.add(s)
    return frozenset(out)


def evidence_similarity(a: frozenset[str], b: frozenset[str]) -> tuple[float, int]:
    """(share of the shorter set found in the other, shared count): the overlap coefficient.

    The shorter side is the denominator because a brief mention ("the Singapore summit") must
    not be penalised for the length of a fuller account of the same act.
    """
    if not a or not b:
        return 0.0, 0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared


def normalise_measure(measure: Optional[str], cfg: Optional[MergeConfig] = None) -> Optional[str]:
    """The canonical name of a measure: lower case, no article, plural folded, synonyms merged."""
    if not measure:
        return None
    cfg = cfg or load_config()
    words = measure.lower().replace("\u2019", "'").split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    if not words:
        return None
    index = cfg.measure_index
    phrase = " ".join(words)
    if phrase in index:
        return index[phrase]
    singular = " ".join([*words[:-1], _singular(words[-1])])
    return index.get(singular, singular)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(ids: Iterable[str]) -> str:
    return ",".join(sorted(set(ids)))


# ---------------------------------------------------------------- actors


class _ActorBook:
    """What merging needs of actors: the words of their names, and which state a leader stands for.

    A person holding a representative office (merge.yaml) for a state on the event's date stands
    for that state, so "Trump and Kim met" and "the United States and North Korea met" share a
    dyad; other persons, organisations and groups stand for themselves.
    """

    def __init__(self, conn: Connection, cfg: MergeConfig) -> None:
        self.conn, self.cfg = conn, cfg
        self.rows: dict[str, dict] = {}
        self._words: dict[str, frozenset[str]] = {}

    def load(self, ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - set(self.rows))
        if not missing:
            return
        q = select(actors.c.id, actors.c.type, actors.c.name, actors.c.aliases, actors.c.affiliation) \
            .where(actors.c.id.in_(missing))
        for row in self.conn.execute(q).mappings():
            self.rows[row["id"]] = dict(row)
        for actor_id in missing:
            self.rows.setdefault(actor_id, {"id": actor_id, "type": None, "name": actor_id,
                                            "aliases": "[]", "affiliation": None})

    def stands_for(self, actor_id: str, date: Optional[str]) -> str:
        self.load([actor_id])
        row = self.rows[actor_id]
        if row["type"] != "person":
            return actor_id
        entry = _gazetteer().entries.get(actor_id)
        offices = set(self.cfg.events.representative_offices)
        if entry is not None and entry.terms:
            day = dates.representative_day(date)
            terms = entry.terms_at(day) if day else list(entry.terms)
            states = {t.state for t in terms if t.office in offices}
            if len(states) == 1:
                return states.pop()
        affiliation = row.get("affiliation")
        if affiliation:
            self.load([affiliation])
            if self.rows[affiliation]["type"] == "state":
                return affiliation
        return actor_id

    def name_words(self, actor_id: str) -> frozenset[str]:
        if actor_id not in self._words:
            self.load([actor_id])
            row = self.rows[actor_id]
            names = [row["name"] or "", actor_id]
            try:
                names += list(json.loads(row["aliases"] or "[]"))
            except (TypeError, ValueError):
                pass
            entry = _gazetteer().entries.get(actor_id)
            if entry is not None:
                names += [entry.name, *entry.aliases, *entry.demonyms, *entry.capitals, entry.surname or ""]
            words = set()
            for name in names:
                words |= {stem(m.group(), self.cfg) for m in _LETTERS.finditer(str(name))}
            self._words[actor_id] = frozenset(words)
        return self._words[actor_id]


@lru_cache(maxsize=1)
def _gazetteer():
    from diplograph.data.gazetteer import load_gazetteer

    return load_gazetteer()


# ---------------------------------------------------------------- events


@dataclass
class _Report:
    """One event row with its actors as the merge compares them."""

    id: int
    document_id: int
    type: str
    quad: str
    date: Optional[str]
    negated: bool
    hypothetical: bool
    text: str
    actor_ids: frozenset[str]      # every actor named, as stored
    cluster_id: Optional[int] = None
    source_key: str = ""           # resolved (a leader stands for the state)
    target_key: str = ""


def _load_reports(conn: Connection, where, book: _ActorBook) -> list[_Report]:
    rows = conn.execute(select(events.c.id, events.c.document_id, events.c.type, events.c.quad,
                               events.c.date, events.c.negated, events.c.hypothetical, events.c.text,
                               events.c.cluster_id)
                        .where(where).order_by(events.c.id)).all()
    if not rows:
        return []
    roles: dict[int, dict[str, list[str]]] = {r.id: {"source": [], "target": []} for r in rows}
    ids = [r.id for r in rows]
    for chunk in _chunks(ids):
        for ea in conn.execute(select(event_actors.c.event_id, event_actors.c.actor_id, event_actors.c.role)
                               .where(event_actors.c.event_id.in_(chunk))):
            roles[ea.event_id].setdefault(ea.role, []).append(ea.actor_id)
    book.load({a for r in roles.values() for side in r.values() for a in side})
    reports = []
    for r in rows:
        src, tgt = roles[r.id].get("source", []), roles[r.id].get("target", [])
        reports.append(_Report(
            id=r.id, document_id=r.document_id, type=r.type, quad=r.quad, date=r.date,
            negated=bool(r.negated), hypothetical=bool(r.hypothetical), text=r.text or "",
            actor_ids=frozenset(src) | frozenset(tgt), cluster_id=r.cluster_id,
            source_key=_key(book.stands_for(a, r.date) for a in src),
            target_key=_key(book.stands_for(a, r.date) for a in tgt)))
    return reports


def _chunks(ids: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _day_precise(value: Optional[str]) -> bool:
    lo, hi = dates.bounds(value)
    return lo is not None and lo == hi


def _same_day(a: Optional[str], b: Optional[str]) -> bool:
    return _day_precise(a) and dates.bounds(a) == dates.bounds(b)


def _open_ended(value: Optional[str]) -> bool:
    lo, hi = dates.bounds(value)
    return (lo is None) != (hi is None)


def _dates_fit(a: Optional[str], b: Optional[str]) -> bool:
    """Compatible dates; an open-ended one ("since 2019", "until 2018") only fits the same interval.

    A report dated by an open interval tells a continuing activity ("has been developing
    missiles since 2019"); it overlaps every later act of the kind, and is none of them.
    """
    if _open_ended(a) or _open_ended(b):
        return dates.bounds(a) == dates.bounds(b)
    return dates.compatible(a, b)


def _narrowest(values: Iterable[Optional[str]]) -> tuple[Optional[str], Optional[int], Optional[int]]:
    """The most precise date among reports: the shortest closed interval, then the earliest."""
    best = None
    for value in values:
        lo, hi = dates.bounds(value)
        if lo is None and hi is None:
            continue
        width = (hi - lo) if lo is not None and hi is not None else math.inf
        rank = (width, lo if lo is not None else -math.inf, value)
        if best is None or rank < best[0]:
            best = (rank, value, lo, hi)
    return (best[1], best[2], best[3]) if best else (None, None, None)


def cluster_events(conn: Connection, document_id: int, cfg: Optional[MergeConfig] = None) -> None:
    """Put each event of the document in the cluster of the same event, or in a new cluster.

    A report joins a cluster when (1) the type is the same; (2) the dyad is the same, a
    leader standing for the state (symmetric types also match swapped; empty sides only match
    empty sides); (3) its date is compatible (EDTF intervals overlap) with every member's;
    (4) negation and hypothetical flags agree (a meeting that did not happen is not the
    meeting); (5) no member comes from the same document (one document telling two acts
    means two acts); and (6) the evidence is similar: at least a threshold share of the
    shorter evidence's content words, once the actors' own names are removed, occur in a
    member's (overlap coefficient), with a least number of shared words. Why 0.3 when
    both reports are dated: type, dyad and date already say much, so the words only have
    to separate distinct acts of one dyad in one period (two rounds of talks in a year);
    reports of one act share its predicate and circumstances (summit, meet, Singapore)
    even when worded apart, while distinct acts rarely share a third of their words once
    names are gone. Within a month one shared word will do, over a year two (the trigger
    word alone is shared by every act of the type) unless one side has but one ("the war"
    in 1979 against "the 1979 war"); an undated report is compatible with
    any date, so words must carry it all: half the shorter side, three words at least
    (merge.yaml ``events.similarity``). Two reports giving the same day skip (6): one dyad
    rarely does the same kind of act twice on one day. Among fitting clusters the best is the one
    with the same day, then the most similar evidence, then the narrowest date, then the
    oldest. Events already in a cluster are left alone, so a second call is harmless.
    """
    cfg = cfg or load_config()
    book = _ActorBook(conn, cfg)
    for report in _load_reports(conn, and_(events.c.document_id == document_id, events.c.cluster_id.is_(None)),
                                book):
        cluster_id = _best_cluster(conn, report, book, cfg)
        if cluster_id is None:
            cluster_id = conn.execute(insert(event_clusters).values(
                type=report.type, quad=report.quad, source_key=report.source_key,
                target_key=report.target_key, n_sources=1)).inserted_primary_key[0]
        conn.execute(update(events).where(events.c.id == report.id).values(cluster_id=cluster_id))
        _refresh_cluster(conn, cluster_id)


def _best_cluster(conn: Connection, report: _Report, book: _ActorBook, cfg: MergeConfig) -> Optional[int]:
    same = and_(event_clusters.c.source_key == report.source_key, event_clusters.c.target_key == report.target_key)
    if report.type in cfg.events.symmetric_types and report.source_key != report.target_key:
        same = or_(same, and_(event_clusters.c.source_key == report.target_key,
                              event_clusters.c.target_key == report.source_key))
    where = [event_clusters.c.type == report.type, same]
    lo, hi = dates.bounds(report.date)
    if hi is not None:  # the cluster's date is one of its members' and must overlap the report's
        where.append(or_(event_clusters.c.date_lo.is_(None), event_clusters.c.date_lo <= hi))
    if lo is not None:
        where.append(or_(event_clusters.c.date_hi.is_(None), event_clusters.c.date_hi >= lo))
    candidates = [r.id for r in conn.execute(select(event_clusters.c.id).where(*where)
                                             .order_by(event_clusters.c.id))]
    if not candidates:
        return None
    members: dict[int, list[_Report]] = {}
    for chunk in _chunks(candidates):
        for member in _load_reports(conn, events.c.cluster_id.in_(chunk), book):
            members.setdefault(member.cluster_id, []).append(member)
    best = None
    for cluster_id in candidates:
        rank = _fit(report, members.get(cluster_id, []), book, cfg)
        if rank is not None and (best is None or (rank, cluster_id) < best):
            best = (rank, cluster_id)
    return best[1] if best else None


def _fit(report: _Report, members: list[_Report], book: _ActorBook, cfg: MergeConfig) -> Optional[tuple]:
    """How well a report fits a cluster's members (smaller is better), None when it does not."""
    if not members:
        return None
    if any(m.document_id == report.document_id for m in members):
        return None
    if any(m.negated != report.negated or m.hypothetical != report.hypothetical for m in members):
        return None
    if not all(_dates_fit(report.date, m.date) for m in members):
        return None
    same_day = any(_same_day(report.date, m.date) for m in members)
    names = set(report.actor_ids)
    for m in members:
        names |= m.actor_ids
    names |= set(report.source_key.split(",")) | set(report.target_key.split(","))
    drop = set().union(*(book.name_words(a) for a in names if a))
    mine = content_words(report.text, cfg, drop)
    best_similarity, similar = 0.0, False
    for m in members:
        ok, ratio = _similarity_needed(report.date, m.date, cfg).met(mine, content_words(m.text, cfg, drop))
        if ok:
            best_similarity, similar = max(best_similarity, ratio), True
    if not (same_day or similar):
        return None
    _, lo, hi = _narrowest(m.date for m in members)
    width = (hi - lo) if lo is not None and hi is not None else math.inf
    return (0 if same_day else 1, -best_similarity, width)


_MONTH_DAYS = 31


def _similarity_needed(a: Optional[str], b: Optional[str], cfg: MergeConfig) -> Similarity:
    """The evidence rule for two reports: the wider of their dates decides how much words must say."""
    rules = cfg.events.similarity
    widths = []
    for value in (a, b):
        lo, hi = dates.bounds(value)
        if lo is None and hi is None:
            return rules.undated
        widths.append(math.inf if lo is None or hi is None else hi - lo + 1)
    return rules.month if max(widths) <= _MONTH_DAYS else rules.dated


def _refresh_cluster(conn: Connection, cluster_id: int) -> None:
    """Recount a cluster's sources and narrow its date from its members; drop it when empty."""
    rows = conn.execute(select(events.c.document_id, events.c.date).where(events.c.cluster_id == cluster_id)
                        .order_by(events.c.id)).all()
    if not rows:
        conn.execute(delete(event_clusters).where(event_clusters.c.id == cluster_id))
        return
    date, lo, hi = _narrowest(r.date for r in rows)
    conn.execute(update(event_clusters).where(event_clusters.c.id == cluster_id).values(
        n_sources=len({r.document_id for r in rows}), date=date, date_lo=lo, date_hi=hi))


# ---------------------------------------------------------------- claims


def cluster_claims(conn: Connection, document_id: int, cfg: Optional[MergeConfig] = None) -> None:
    """Put each dated, measured figure of the document about someone in its claim.

    One claim is one measure (synonyms merged) of one subject (sorted actor ids) in one unit
    over one period: the figures' EDTF dates must cover exactly the same days. So a figure
    for 2014 and one for 2014-06 are never the same claim: a yearly total and a monthly
    figure (or a stock on some day of the year) are different quantities, and putting them
    together would report a false contradiction; ``2014`` and ``2014-01/2014-12`` are the
    same period and do meet. Figures without a measure, a date or a subject stay out of
    claims: nothing says what they would agree with. Among claims of the same key a figure
    joins one it agrees with, else the oldest (see ``_best_claim``), so contradictions are
    between documents. Figures already in a claim are left alone.
    """
    cfg = cfg or load_config()
    rows = conn.execute(select(quantities.c.id, quantities.c.measure, quantities.c.subject,
                               quantities.c.subject_key, quantities.c.unit, quantities.c.date,
                               quantities.c.value, quantities.c.bound, _mention_text().label("mention"))
                        .join(documents, documents.c.id == quantities.c.document_id)
                        .where(quantities.c.document_id == document_id, quantities.c.claim_id.is_(None),
                               quantities.c.measure.is_not(None), quantities.c.date.is_not(None))
                        .order_by(quantities.c.id)).all()
    for q in rows:
        measure = normalise_measure(q.measure, cfg)
        subject_key = _subject_key(q.subject, q.subject_key)
        lo, hi = dates.bounds(q.date)
        if not measure or not subject_key or (lo is None and hi is None):
            continue
        where = [claims.c.measure == measure, claims.c.subject_key == subject_key, claims.c.unit == q.unit,
                 claims.c.date_lo.is_(None) if lo is None else claims.c.date_lo == lo,
                 claims.c.date_hi.is_(None) if hi is None else claims.c.date_hi == hi]
        candidates = [r.id for r in conn.execute(select(claims.c.id).where(*where).order_by(claims.c.id))]
        claim_id = _best_claim(conn, candidates, document_id, q, cfg)
        if claim_id is None:
            claim_id = conn.execute(insert(claims).values(
                measure=measure, subject_key=subject_key, unit=q.unit, date=q.date, date_lo=lo, date_hi=hi,
                n_sources=1, min_value=q.value, max_value=q.value, contradiction=False)).inserted_primary_key[0]
        conn.execute(update(quantities).where(quantities.c.id == q.id).values(claim_id=claim_id))
        _refresh_claim(conn, claim_id, cfg)


def _best_claim(conn: Connection, candidates: list[int], document_id: int, figure, cfg: MergeConfig
                ) -> Optional[int]:
    """The claim a figure joins among those of its key: one it agrees with, else the oldest.

    A claim never takes a figure that disagrees with another figure of the same document: one
    text giving two values for one key is listing two things (its subject or measure was read
    too coarsely, "four meetings with Xi, three with Moon"), not contradicting itself.
    """
    if not candidates:
        return None
    mine = _interval(figure, cfg)
    best = None
    for claim_id in candidates:
        members = _claim_members(conn, claim_id)
        if any(m.document_id == document_id and disagree([mine, _interval(m, cfg)]) for m in members):
            continue
        agrees = not disagree([mine, *(_interval(m, cfg) for m in members)])
        rank = (0 if agrees else 1, claim_id)
        if best is None or rank < best:
            best = rank
    return best[1] if best else None


def _claim_members(conn: Connection, claim_id: int) -> list:
    return conn.execute(select(quantities.c.id, quantities.c.document_id, quantities.c.value, quantities.c.bound,
                               _mention_text().label("mention"))
                        .join(documents, documents.c.id == quantities.c.document_id)
                        .where(quantities.c.claim_id == claim_id).order_by(quantities.c.id)).all()


def _interval(member, cfg: Optional[MergeConfig]) -> tuple[float, float]:
    return value_interval(member.value, member.bound, member.mention, cfg)


def _subject_key(subject_json: Optional[str], stored_key: Optional[str]) -> str:
    try:
        ids = json.loads(subject_json or "[]")
    except (TypeError, ValueError):
        ids = []
    return _key(ids) if ids else _key(k for k in (stored_key or "").split(",") if k)


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _digit_unit(literal: str) -> float:
    """The place value of the last significant digit of a written number ("6.86" -> 0.01, "7,000" -> 1000)."""
    literal = literal.replace(",", "").lstrip("-+")
    if "." in literal:
        return 10.0 ** -len(literal.split(".", 1)[1])
    digits = literal.lstrip("0")
    significant = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(significant)) if significant else 1.0


def written_step(mention: Optional[str], value: float) -> float:
    """The last written digit's place value in the figure's own unit ("$6.86 billion" -> 1e7).

    Read from the number as written when the mention has digits (its scale word and any unit
    conversion come from value / number), else from the value itself (number words).
    """
    for match in _NUMBER.finditer(mention or ""):
        literal = match.group().rstrip(",")
        number = float(literal.replace(",", ""))
        if number:
            return _digit_unit(literal) * abs(value / number)
    plain = format(Decimal(repr(float(value))).normalize(), "f")
    return _digit_unit(plain)


def value_interval(value: float, bound: str, mention: Optional[str], cfg: Optional[MergeConfig] = None
                   ) -> tuple[float, float]:
    """The values a written figure is consistent with, allowing for its rounding and bound.

    Half the last written digit's place value either side, at most ``max_rounding_relative``
    of the value (a round "10,000" is not read as anything from 5,000 to 15,000), at least
    ``min_relative_tolerance``; "about" widens to ``approx_relative``; "more than" / "at
    least" open the upper side, "less than" / "at most" the lower.
    """
    rules = (cfg or load_config()).claims
    size = abs(value)
    half = min(written_step(mention, value) / 2, rules.max_rounding_relative * size)
    half = max(half, rules.min_relative_tolerance * size)
    if bound == "approx":
        half = max(half, rules.approx_relative * size)
    lo, hi = value - half, value + half
    if bound in ("gt", "ge"):
        hi = math.inf
    elif bound in ("lt", "le"):
        lo = -math.inf
    return lo, hi


def disagree(intervals: list[tuple[float, float]]) -> bool:
    """Whether no single value fits every source (intervals on a line meet iff max(lo) <= min(hi))."""
    return bool(intervals) and max(lo for lo, _ in intervals) > min(hi for _, hi in intervals)


def _mention_text():
    return func.substr(documents.c.text, quantities.c.mention_start + 1,
                       quantities.c.mention_end - quantities.c.mention_start)


def _evidence_text():
    return func.substr(documents.c.text, quantities.c.evidence_start + 1,
                       quantities.c.evidence_end - quantities.c.evidence_start)


def _refresh_claim(conn: Connection, claim_id: int, cfg: Optional[MergeConfig] = None) -> None:
    """Recount a claim's sources, range and contradiction from its members; drop it when empty."""
    rows = _claim_members(conn, claim_id)
    if not rows:
        conn.execute(delete(claims).where(claims.c.id == claim_id))
        return
    intervals = [_interval(r, cfg) for r in rows]
    conn.execute(update(claims).where(claims.c.id == claim_id).values(
        n_sources=len({r.document_id for r in rows}), min_value=min(r.value for r in rows),
        max_value=max(r.value for r in rows), contradiction=disagree(intervals)))


# ---------------------------------------------------------------- release and reports


def release(conn: Connection, document_id: int, cfg: Optional[MergeConfig] = None) -> None:
    """Take a document out of every cluster and claim before its rows are deleted.

    Affected clusters and claims are recomputed from their remaining members (sources, date,
    range, contradiction) and deleted when none remain. Remaining members are not re-clustered:
    what two other documents were judged to share does not depend on the one that left.
    """
    cluster_ids = sorted(r[0] for r in conn.execute(
        select(events.c.cluster_id).where(events.c.document_id == document_id, events.c.cluster_id.is_not(None))
        .distinct()))
    claim_ids = sorted(r[0] for r in conn.execute(
        select(quantities.c.claim_id).where(quantities.c.document_id == document_id,
                                            quantities.c.claim_id.is_not(None)).distinct()))
    conn.execute(update(events).where(events.c.document_id == document_id).values(cluster_id=None))
    conn.execute(update(quantities).where(quantities.c.document_id == document_id).values(claim_id=None))
    for cluster_id in cluster_ids:
        _refresh_cluster(conn, cluster_id)
    for claim_id in claim_ids:
        _refresh_claim(conn, claim_id, cfg)


def contradictions(conn: Connection) -> list[dict]:
    """Every contradictory claim with each source's value, unit, bound, document and sentence.

    RETURNS (list[dict]): ``claim_id, measure, subject (list), subject_key, unit, date,
    min_value, max_value, n_sources, sources``; each source: ``document, document_id, value,
    unit, bound, date, mention, text`` (the evidence clause). Ordered by date, measure, subject.
    """
    heads = conn.execute(select(claims).where(claims.c.contradiction.is_(True))
                         .order_by(claims.c.date_lo, claims.c.measure, claims.c.subject_key, claims.c.id)
                         ).mappings().all()
    if not heads:
        return []
    out = {h["id"]: {"claim_id": h["id"], "measure": h["measure"],
                     "subject": [k for k in h["subject_key"].split(",") if k], "subject_key": h["subject_key"],
                     "unit": h["unit"], "date": h["date"], "min_value": h["min_value"],
                     "max_value": h["max_value"], "n_sources": h["n_sources"], "sources": []}
           for h in heads}
    ids = list(out)
    for chunk in _chunks(ids):
        q = (select(quantities.c.claim_id, documents.c.name, quantities.c.document_id, quantities.c.value,
                    quantities.c.unit, quantities.c.bound, quantities.c.date,
                    _mention_text().label("mention"), _evidence_text().label("evidence"))
             .join(documents, documents.c.id == quantities.c.document_id)
             .where(quantities.c.claim_id.in_(chunk))
             .order_by(quantities.c.claim_id, documents.c.name, quantities.c.id))
        for r in conn.execute(q):
            out[r.claim_id]["sources"].append({
                "document": r.name, "document_id": r.document_id, "value": r.value, "unit": r.unit,
                "bound": r.bound, "date": r.date, "mention": r.mention, "text": r.evidence})
    return [out[i] for i in ids]
