"""A small knowledge base written row by row, so query tests do not hang on extraction quality.

Imported by conftest.py (fixtures ``kb`` and ``kb_path``) and by tests that check offsets.

Three short documents (written for these tests) and a known mix of events and figures:

=====  =============================  ==========  =================================
unit   event                          date        reports
=====  =============================  ==========  =================================
-1     ASSAULT CHN->PRK (unclustered) 1950/1953   border.txt
 1     CONSULT CHN->PRK               2018-03     border.txt, summit.txt
 2     SANCTION CHN->PRK              2017        border.txt
 3     AID CHN->PRK                   1991        trade.txt
 4     ACCUSE PRK->CHN                2017        summit.txt
 6     CONSULT XJP->KJU (leaders)     2019        summit.txt
 7     THREATEN USA->PRK              2017        border.txt
-8     AGREE CHN->PRK, negated        2018        trade.txt
-9     SUPPORT CHN->PRK, undated      --          trade.txt
=====  =============================  ==========  =================================

Figures: bilateral trade CHN,PRK 2014 = 6.86 bn USD in two documents (one claim, agreed);
2023 = 2.3 bn (trade.txt) against 3.1 bn (summit.txt) (one claim, a contradiction);
PRK's economy shrank 4.5 percent in 2020 (unclustered).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import insert

from diplograph.dates import bounds
from diplograph.model import PLOVER_SCORE, QUAD_CLASS
from diplograph.store import schema as s

BORDER = ("Chinese troops crossed the Yalu River and fought alongside North Korean forces from 1950 to 1953. "
          "In 2017 Beijing suspended coal imports from Pyongyang under new restrictions. "
          "The same year Washington warned North Korea of overwhelming force. "
          "In March 2018 Chinese officials held talks with their North Korean counterparts in Beijing. "
          "Trade between China and North Korea reached $6.86 billion in 2014, customs data show.")
SUMMIT = ("North Korea accused China in 2017 of betraying the two countries' friendship. "
          "Officials of both governments met for talks in Beijing in March 2018. "
          "Xi Jinping met Kim Jong Un in Pyongyang in June 2019. "
          "Two-way trade stood at $6.86 billion in 2014 and $3.1 billion in 2023, a ministry report said.")
TRADE = ("After the Soviet collapse in 1991, China sent food and fuel aid to North Korea. "
         "China did not agree to a new border treaty with North Korea in 2018. "
         "China has long backed North Korea at the United Nations. "
         "Bilateral trade recovered to $2.3 billion in 2023. "
         "North Korea's economy shrank 4.5 percent in 2020.")
DOCUMENTS = {"border.txt": BORDER, "summit.txt": SUMMIT, "trade.txt": TRADE}

ACTORS = [  # id, name, type, aliases
    ("CHN", "China", "state", ["People's Republic of China"]),
    ("PRK", "North Korea", "state", ["DPRK"]),
    ("USA", "United States", "state", []),
    ("XJP", "Xi Jinping", "person", []),
    ("KJU", "Kim Jong Un", "person", []),
    ("UN", "United Nations", "igo", []),
    ("CUSTOMS_OFFICE", "Customs Office", "org", ["the customs office"]),
]

# unit key, document, type, source, target, date, sentence start (evidence), flags
EVENTS = [
    (-1, "border.txt", "ASSAULT", ["CHN"], ["PRK"], "1950/1953", "Chinese troops crossed", {}),
    (1, "border.txt", "CONSULT", ["CHN"], ["PRK"], "2018-03", "In March 2018 Chinese", {}),
    (1, "summit.txt", "CONSULT", ["CHN", "PRK"], ["PRK", "CHN"], "2018-03", "Officials of both", {}),
    (2, "border.txt", "SANCTION", ["CHN"], ["PRK"], "2017", "In 2017 Beijing", {}),
    (3, "trade.txt", "AID", ["CHN"], ["PRK"], "1991", "After the Soviet", {}),
    (4, "summit.txt", "ACCUSE", ["PRK"], ["CHN"], "2017", "North Korea accused", {}),
    (6, "summit.txt", "CONSULT", ["XJP"], ["KJU"], "2019-06", "Xi Jinping met", {}),
    (7, "border.txt", "THREATEN", ["USA"], ["PRK"], "2017", "The same year", {}),
    (-8, "trade.txt", "AGREE", ["CHN"], ["PRK"], "2018", "China did not agree", {"negated": True}),
    (-9, "trade.txt", "SUPPORT", ["CHN"], ["PRK"], None, "China has long", {}),
]

# claim id, document, measure, subject, value, unit, date, sentence start
FIGURES = [
    (1, "border.txt", "bilateral trade", ["CHN", "PRK"], 6.86e9, "USD", "2014", "Trade between"),
    (1, "summit.txt", "bilateral trade", ["PRK", "CHN"], 6.86e9, "USD", "2014", "Two-way trade"),
    (2, "summit.txt", "bilateral trade", ["CHN", "PRK"], 3.1e9, "USD", "2023", "Two-way trade"),
    (2, "trade.txt", "bilateral trade", ["CHN", "PRK"], 2.3e9, "USD", "2023", "Bilateral trade"),
    (None, "trade.txt", "economy", ["PRK"], -4.5, "percent", "2020", "North Korea's economy"),
]


@dataclass
class KB:
    """The test knowledge base: its engine and which database it is."""

    engine: object
    backend: str


def sentence(doc: str, start_words: str) -> tuple[int, int, str]:
    """Offsets and text of the sentence of ``doc`` that starts with ``start_words``."""
    body = DOCUMENTS[doc]
    start = body.index(start_words)
    end = body.index(". ", start) + 1 if ". " in body[start:] else len(body)
    return start, end, body[start:end]


def fill(conn) -> None:
    """Insert the documents, actors, mentions, clusters, events and figures above."""
    conn.execute(insert(s.meta).values(key="schema_version", value=str(s.SCHEMA_VERSION)))
    doc_ids = {}
    for number, (name, body) in enumerate(DOCUMENTS.items(), start=1):
        conn.execute(insert(s.documents).values(id=number, name=name, content_hash=f"{number:064d}", text=body,
                                                date="2024-01-15", words=len(body.split()),
                                                ingested_at="2024-01-15T00:00:00Z"))
        doc_ids[name] = number
    for actor_id, name, kind, aliases in ACTORS:
        conn.execute(insert(s.actors).values(id=actor_id, name=name, type=kind, aliases=json.dumps(aliases),
                                             codes="{}", known=True))
    for name, body in DOCUMENTS.items():
        for actor_id, actor_name, _, _ in ACTORS:
            position = body.find(actor_name)
            if position >= 0:
                conn.execute(insert(s.mentions).values(document_id=doc_ids[name], actor_id=actor_id,
                                                       start=position, end=position + len(actor_name)))
    _events(conn, doc_ids)
    _figures(conn, doc_ids)


def _events(conn, doc_ids: dict) -> None:
    clusters: dict[int, list] = {}
    for unit, doc, kind, source, target, date, words, flags in EVENTS:
        if unit > 0:
            clusters.setdefault(unit, []).append((doc, kind, source, target, date))
    for unit, reports in clusters.items():
        doc, kind, source, target, date = reports[0]
        lo, hi = bounds(date)
        conn.execute(insert(s.event_clusters).values(
            id=unit, type=kind, quad=QUAD_CLASS[kind], source_key=",".join(sorted(source)),
            target_key=",".join(sorted(target)), date=date, date_lo=lo, date_hi=hi,
            n_sources=len({r[0] for r in reports})))
    for number, (unit, doc, kind, source, target, date, words, flags) in enumerate(EVENTS, start=1):
        event_id = -unit if unit < 0 else 100 + number
        start, end, body = sentence(doc, words)
        lo, hi = bounds(date)
        conn.execute(insert(s.events).values(
            id=event_id, document_id=doc_ids[doc], local_id=f"ev-{number}", cluster_id=unit if unit > 0 else None,
            type=kind, mode=None, quad=QUAD_CLASS[kind], score=PLOVER_SCORE[kind], date=date, date_lo=lo,
            date_hi=hi, evidence_start=start, evidence_end=end, text=body,
            negated=flags.get("negated", False), hedged=False, hypothetical=False))
        for role, actors in (("source", source), ("target", target)):
            for actor in actors:
                conn.execute(insert(s.event_actors).values(event_id=event_id, actor_id=actor, role=role))


def _figures(conn, doc_ids: dict) -> None:
    claims: dict[int, list] = {}
    for claim, doc, measure, subject, value, unit, date, words in FIGURES:
        if claim is not None:
            claims.setdefault(claim, []).append((doc, value))
    for claim, values in claims.items():
        row = next(f for f in FIGURES if f[0] == claim)
        lo, hi = bounds(row[6])
        numbers = [value for _, value in values]
        conn.execute(insert(s.claims).values(
            id=claim, measure=row[2], subject_key=",".join(sorted(row[3])), unit=row[5], date=row[6],
            date_lo=lo, date_hi=hi, n_sources=len({doc for doc, _ in values}), min_value=min(numbers),
            max_value=max(numbers), contradiction=min(numbers) != max(numbers)))
    for claim, doc, measure, subject, value, unit, date, words in FIGURES:
        start, end, body = sentence(doc, words)
        lo, hi = bounds(date)
        conn.execute(insert(s.quantities).values(
            document_id=doc_ids[doc], claim_id=claim, value=value, unit=unit, bound="eq", date=date, date_lo=lo,
            date_hi=hi, measure=measure, subject=json.dumps(subject), subject_key=",".join(sorted(subject)),
            cited_source="[]", evidence_start=start, evidence_end=end, mention_start=start,
            mention_end=end, text=body))


def build(engine) -> None:
    """Create the tables and fill them."""
    s.metadata.create_all(engine)
    with engine.begin() as conn:
        fill(conn)
