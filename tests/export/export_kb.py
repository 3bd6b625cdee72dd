"""A small knowledge base for the export tests: two reports we wrote, stored with Core inserts.

The records are written by hand (no model needed) so every export can be checked
against known counts: 9 events (two reports of one agreement merged into one
cluster, one negated event, one undated event, an open range and a closed range),
2 figures that contradict each other, 1 statement, 7 actors.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from typing import Optional

import pytest
from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from diplograph.dates import bounds, compatible
from diplograph.model import (Actor, Document, Event, Extraction, Mention, Quantity, Span, Statement,
                              Timex)
from diplograph.store import schema as s

VISIT_TEXT = (
    "SEOUL, June 20, 2019 \u2014 Chinese President Xi Jinping arrived in Pyongyang on Thursday for a "
    "two-day state visit, the first by a Chinese leader in fourteen years. Xi and North Korean leader "
    "Kim Jong Un pledged to deepen cooperation in June 2019, state media reported. In 2017, China had "
    "backed United Nations sanctions that cut North Korean coal exports. Trade between the two countries "
    "fell to $2.4 billion in 2018, according to Chinese customs data. Beijing did not impose new "
    "restrictions on fuel shipments. South Korea's foreign ministry said it welcomed the visit. "
    "Officials may seek further talks with Seoul."
)
REVIEW_TEXT = (
    "Relations between Beijing and Pyongyang warmed in 2019. During the June 2019 summit, China and "
    "North Korea agreed to expand cooperation. Bilateral trade reached $2.8 billion in 2018, customs "
    "figures show. North Korea accused the United States of a hostile policy in December 2019. From the "
    "1990s on, China supplied much of North Korea's food aid. Chinese troops fought the United States "
    "in Korea from 1950 to 1953."
)

ACTORS = {
    "CHN": Actor("CHN", "China", "state", aliases=["Beijing", "PRC"],
                 codes={"iso3": "CHN", "iso2": "CN", "wikidata": "Q148"}),
    "PRK": Actor("PRK", "North Korea", "state", aliases=["Pyongyang", "DPRK"],
                 codes={"iso3": "PRK", "iso2": "KP", "wikidata": "Q423"}),
    "KOR": Actor("KOR", "South Korea", "state", aliases=["Seoul"],
                 codes={"iso3": "KOR", "iso2": "KR", "wikidata": "Q884"}),
    "USA": Actor("USA", "United States", "state", codes={"iso3": "USA", "iso2": "US", "wikidata": "Q30"}),
    "UN": Actor("UN", "United Nations", "igo", codes={"wikidata": "Q1065"}),
    "xi-jinping": Actor("xi-jinping", "Xi Jinping", "person", codes={"wikidata": "Q15031"}, role="President",
                        affiliation="China"),
    "kim-jong-un": Actor("kim-jong-un", "Kim Jong Un", "person", codes={"wikidata": "Q56226"}, role="leader",
                         affiliation="North Korea"),
}


def span(text: str, phrase: str) -> Span:
    """Where ``phrase`` first appears as whole words (the tests' own anchors)."""
    found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    assert found, f"{phrase!r} is not in the test text"
    return Span(found.start(), found.end())


def sentence(text: str, phrase: str) -> Span:
    """The sentence that holds ``phrase``: evidence spans are sentences."""
    inner = span(text, phrase)
    before = text.rfind(". ", 0, inner.start)
    end = text.find(". ", inner.end)
    return Span(before + 2 if before >= 0 else 0, len(text) if end < 0 else end + 1)


def actor(actor_id: str, text: str, *phrases: str) -> Actor:
    base = ACTORS[actor_id]
    mentions = []
    for phrase in phrases:
        where = span(text, phrase)
        mentions.append(Mention(where.start, where.end, phrase))
    return Actor(base.id, base.name, base.type, list(base.aliases), dict(base.codes), base.role, base.affiliation,
                 True, mentions)


def event(local_id: str, type_: str, source: list[str], target: list[str], date: Optional[str], text: str,
          trigger: str, **flags) -> Event:
    return Event(local_id, type_, source, target, date, sentence(text, trigger), span(text, trigger), **flags)


def visit_extraction() -> Extraction:
    t = VISIT_TEXT
    return Extraction(
        document=Document("visit-2019", t, date="2019-06-20", title="Xi visits Pyongyang", source="visit-2019.txt",
                          date_source="dateline", body_start=23),
        actors=[actor("xi-jinping", t, "Xi Jinping"), actor("CHN", t, "Chinese", "China", "Beijing"),
                actor("PRK", t, "Pyongyang", "North Korean"), actor("kim-jong-un", t, "Kim Jong Un"),
                actor("UN", t, "United Nations"), actor("KOR", t, "South Korea", "Seoul")],
        timexes=[Timex("June 20, 2019", *_offsets(t, "June 20, 2019"), "2019-06-20"),
                 Timex("Thursday", *_offsets(t, "Thursday"), "2019-06-20", anchor="document"),
                 Timex("June 2019", *_offsets(t, "June 2019"), "2019-06"),
                 Timex("2017", *_offsets(t, "2017"), "2017"), Timex("2018", *_offsets(t, "2018"), "2018")],
        events=[
            event("ev-1", "CONSULT", ["CHN"], ["PRK"], "2019-06-20", t, "arrived", mode="visit"),
            event("ev-2", "AGREE", ["CHN"], ["PRK"], "2019-06", t, "pledged"),
            event("ev-3", "SANCTION", ["CHN", "UN"], ["PRK"], "2017", t, "backed"),
            event("ev-4", "SANCTION", ["CHN"], ["PRK"], "2019-06-20", t, "impose", negated=True),
            event("ev-5", "SUPPORT", ["KOR"], ["CHN"], "2019-06-20", t, "welcomed"),
            event("ev-6", "CONSULT", ["PRK"], ["KOR"], None, t, "seek further talks", hypothetical=True, hedged=True),
        ],
        quantities=[Quantity(2.4e9, "USD", sentence(t, "$2.4 billion"), span(t, "$2.4 billion"), bound="eq",
                             date="2018", measure="bilateral trade", subject=["CHN", "PRK"], cited_source=["CHN"],
                             raw_unit="USD")],
        statements=[Statement(["KOR"], "2019-06-20", sentence(t, "it welcomed the visit"),
                              span(t, "it welcomed the visit"), span(t, "said"), role="foreign ministry")],
    )


def review_extraction() -> Extraction:
    t = REVIEW_TEXT
    return Extraction(
        document=Document("review-2020", t, date="2020-01-15", title=None, source="https://example.org/review-2020",
                          date_source="cli"),
        actors=[actor("CHN", t, "Beijing", "China"), actor("PRK", t, "Pyongyang", "North Korea"),
                actor("USA", t, "United States")],
        timexes=[Timex("2019", *_offsets(t, "2019"), "2019"), Timex("June 2019", *_offsets(t, "June 2019"), "2019-06"),
                 Timex("December 2019", *_offsets(t, "December 2019"), "2019-12"),
                 Timex("From the 1990s on", *_offsets(t, "From the 1990s on"), "199X/..", kind="range"),
                 Timex("from 1950 to 1953", *_offsets(t, "from 1950 to 1953"), "1950/1953", kind="range")],
        events=[
            event("ev-1", "AGREE", ["CHN"], ["PRK"], "2019-06", t, "agreed"),
            event("ev-2", "ACCUSE", ["PRK"], ["USA"], "2019-12", t, "accused"),
            event("ev-3", "AID", ["CHN"], ["PRK"], "199X/..", t, "supplied"),
            event("ev-4", "ASSAULT", ["CHN"], ["USA"], "1950/1953", t, "fought"),
        ],
        quantities=[Quantity(2.8e9, "USD", sentence(t, "$2.8 billion"), span(t, "$2.8 billion"), date="2018",
                             measure="bilateral trade", subject=["CHN", "PRK"], raw_unit="USD")],
    )


def _offsets(text: str, phrase: str) -> tuple[int, int]:
    where = span(text, phrase)
    return where.start, where.end


# -- storing, as the store's ingest does (Core inserts), with a minimal merge -------------------

def store_extraction(conn: Connection, extraction: Extraction) -> int:
    """Insert one extraction's rows and merge its events and figures; RETURNS the document id."""
    doc = extraction.document
    document_id = conn.execute(insert(s.documents).values(
        name=doc.id, content_hash=hashlib.sha256(doc.text.encode()).hexdigest(), source=doc.source,
        title=doc.title, date=doc.date, date_source=doc.date_source, text=doc.text, words=len(doc.text.split()),
        ingested_at=dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc).isoformat())).inserted_primary_key[0]
    for a in extraction.actors:
        if conn.execute(select(s.actors.c.id).where(s.actors.c.id == a.id)).first() is None:
            conn.execute(insert(s.actors).values(id=a.id, name=a.name, type=a.type, aliases=json.dumps(a.aliases),
                                                 codes=json.dumps(a.codes), role=a.role, affiliation=a.affiliation,
                                                 known=a.known))
        for m in a.mentions:
            conn.execute(insert(s.mentions).values(document_id=document_id, actor_id=a.id, start=m.start, end=m.end))
    for e in extraction.events:
        lo, hi = bounds(e.date)
        event_id = conn.execute(insert(s.events).values(
            document_id=document_id, local_id=e.id, cluster_id=_event_cluster(conn, e, lo, hi), type=e.type,
            mode=e.mode, quad=e.quad, score=e.score, date=e.date, date_lo=lo, date_hi=hi,
            evidence_start=e.evidence.start, evidence_end=e.evidence.end, trigger_start=e.trigger.start,
            trigger_end=e.trigger.end, text=doc.text[e.evidence.start:e.evidence.end], negated=e.negated,
            hedged=e.hedged, hypothetical=e.hypothetical)).inserted_primary_key[0]
        for role, ids in (("source", e.source), ("target", e.target)):
            for actor_id in ids:
                conn.execute(insert(s.event_actors).values(event_id=event_id, actor_id=actor_id, role=role))
    for q in extraction.quantities:
        lo, hi = bounds(q.date)
        conn.execute(insert(s.quantities).values(
            document_id=document_id, claim_id=_claim(conn, q, lo, hi), value=q.value, unit=q.unit, bound=q.bound,
            date=q.date, date_lo=lo, date_hi=hi, measure=q.measure, subject=json.dumps(q.subject),
            subject_key=",".join(sorted(q.subject)), cited_source=json.dumps(q.cited_source), raw_unit=q.raw_unit,
            evidence_start=q.evidence.start, evidence_end=q.evidence.end, mention_start=q.mention.start,
            mention_end=q.mention.end, text=doc.text[q.evidence.start:q.evidence.end]))
    for st in extraction.statements:
        lo, hi = bounds(st.date)
        conn.execute(insert(s.statements).values(
            document_id=document_id, speaker=json.dumps(st.speaker), speaker_key=",".join(sorted(st.speaker)),
            role=st.role, date=st.date, date_lo=lo, date_hi=hi, direct=st.direct, evidence_start=st.evidence.start,
            evidence_end=st.evidence.end, content_start=st.content.start, content_end=st.content.end,
            cue_start=st.cue.start, cue_end=st.cue.end, text=doc.text[st.content.start:st.content.end]))
    for t in extraction.timexes:
        conn.execute(insert(s.timexes).values(document_id=document_id, text=t.text, start=t.start, end=t.end,
                                              value=t.value, type=t.kind, duration=t.duration, anchor=t.anchor))
    return document_id


def _event_cluster(conn: Connection, e: Event, lo, hi) -> int:
    """Same type and dyad with a compatible date joins a cluster; else a new one (a stand-in for merge.py)."""
    source_key, target_key = ",".join(sorted(e.source)), ",".join(sorted(e.target))
    rows = conn.execute(select(s.event_clusters).where(s.event_clusters.c.type == e.type,
                                                       s.event_clusters.c.source_key == source_key,
                                                       s.event_clusters.c.target_key == target_key)).mappings()
    for row in rows:
        if compatible(row["date"], e.date) and not e.negated:
            conn.execute(update(s.event_clusters).where(s.event_clusters.c.id == row["id"])
                         .values(n_sources=row["n_sources"] + 1))
            return row["id"]
    return conn.execute(insert(s.event_clusters).values(type=e.type, quad=e.quad, source_key=source_key,
                                                        target_key=target_key, date=e.date, date_lo=lo, date_hi=hi,
                                                        n_sources=1)).inserted_primary_key[0]


def _claim(conn: Connection, q: Quantity, lo, hi) -> Optional[int]:
    """Figures of one measure, subject, unit and date form a claim (a stand-in for merge.py)."""
    if q.measure is None:
        return None
    subject_key = ",".join(sorted(q.subject))
    row = conn.execute(select(s.claims).where(s.claims.c.measure == q.measure, s.claims.c.subject_key == subject_key,
                                              s.claims.c.unit == q.unit, s.claims.c.date == q.date)).mappings().first()
    if row is None:
        return conn.execute(insert(s.claims).values(measure=q.measure, subject_key=subject_key, unit=q.unit,
                                                    date=q.date, date_lo=lo, date_hi=hi, n_sources=1,
                                                    min_value=q.value, max_value=q.value)).inserted_primary_key[0]
    low, high = min(row["min_value"], q.value), max(row["max_value"], q.value)
    conn.execute(update(s.claims).where(s.claims.c.id == row["id"]).values(
        n_sources=row["n_sources"] + 1, min_value=low, max_value=high, contradiction=high > low * 1.01))
    return row["id"]


def build_kb(url: str, extractions: list[Extraction], **engine_options) -> Engine:
    """A new database at ``url`` holding the extractions."""
    engine = create_engine(url, **engine_options)
    s.metadata.create_all(engine)
    with engine.begin() as conn:
        for extraction in extractions:
            store_extraction(conn, extraction)
    return engine


PG_SCHEMA = "diplograph_export_tests"


def postgresql_engine(extractions: list[Extraction]) -> Engine:
    """The knowledge base in a schema of its own, so other tests' tables are never touched."""
    url = os.environ.get("DIPLOGRAPH_TEST_PG")
    if not url:
        pytest.skip("PostgreSQL export tests need DIPLOGRAPH_TEST_PG "
                    "(e.g. postgresql://postgres@127.0.0.1:5433/postgres)")
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.dispose()
    return build_kb(url, extractions, connect_args={"options": f"-csearch_path={PG_SCHEMA}"})
