"""Merging across documents: event clusters, claims, contradictions, release.

Rows are inserted straight into the tables (no extractor) so each rule is tested alone, on
SQLite and, when DIPLOGRAPH_TEST_PG names a server, on PostgreSQL in a throwaway schema.
The end-to-end tests run two short documents through the extractor and the Store.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.pool import StaticPool

from diplograph import dates
from diplograph.store import merge
from diplograph.store.schema import (actors, claims, documents, event_actors, event_clusters, events, metadata,
                                     quantities)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    if request.param == "sqlite":
        eng = create_engine("sqlite://", poolclass=StaticPool)  # in memory: one shared connection
        metadata.create_all(eng)
        yield eng
        eng.dispose()
        return
    url = os.environ.get("DIPLOGRAPH_TEST_PG")
    if not url:
        pytest.skip("PostgreSQL: set DIPLOGRAPH_TEST_PG (e.g. postgresql://postgres@127.0.0.1:5433/postgres)")
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    base = create_engine(url)
    schema = f"merge_{uuid.uuid4().hex[:12]}"
    try:
        with base.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as err:  # server down: skip rather than fail
        base.dispose()
        pytest.skip(f"PostgreSQL at {url} is not reachable: {type(err).__name__}")
    eng = base.execution_options(schema_translate_map={None: schema})
    metadata.create_all(eng)
    yield eng
    with base.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    base.dispose()


ACTORS = {
    "USA": ("state", "United States"), "PRK": ("state", "North Korea"), "CHN": ("state", "China"),
    "KOR": ("state", "South Korea"), "RUS": ("state", "Russia"), "SGP": ("state", "Singapore"),
    "TRUMP": ("person", "Donald Trump"), "KJU": ("person", "Kim Jong Un"),
}


class Kb:
    """Builds rows the way an ingest would, one document at a time."""

    def __init__(self, conn):
        self.conn = conn
        for actor_id, (kind, name) in ACTORS.items():
            conn.execute(insert(actors).values(id=actor_id, name=name, type=kind, aliases="[]", codes="{}"))

    def document(self, name: str, body: str = "") -> int:
        return self.conn.execute(insert(documents).values(
            name=name, content_hash=uuid.uuid4().hex, text=body or name, words=len(body.split()),
            ingested_at=datetime.now(timezone.utc).isoformat())).inserted_primary_key[0]

    def event(self, doc: int, type_: str, source: list[str], target: list[str], date: str | None,
              evidence: str, negated: bool = False) -> int:
        lo, hi = dates.bounds(date)
        event_id = self.conn.execute(insert(events).values(
            document_id=doc, local_id=f"ev-{uuid.uuid4().hex[:6]}", type=type_, quad="verbal cooperation",
            score=2.5, date=date, date_lo=lo, date_hi=hi, evidence_start=0, evidence_end=len(evidence),
            text=evidence, negated=negated)).inserted_primary_key[0]
        for role, ids in (("source", source), ("target", target)):
            for actor_id in ids:
                self.conn.execute(insert(event_actors).values(event_id=event_id, actor_id=actor_id, role=role))
        return event_id

    def figure(self, name: str, sentence: str, mention: str, value: float, *, unit: str = "USD",
               bound: str = "eq", date: str | None = "2014", measure: str | None = "trade",
               subject: tuple[str, ...] = ("CHN", "PRK")) -> int:
        """A document whose one sentence gives one figure; returns the document id."""
        doc = self.document(name, sentence)
        start = sentence.index(mention)
        lo, hi = dates.bounds(date)
        self.conn.execute(insert(quantities).values(
            document_id=doc, value=value, unit=unit, bound=bound, date=date, date_lo=lo, date_hi=hi,
            measure=measure, subject=json.dumps(list(subject)), subject_key=",".join(sorted(subject)),
            evidence_start=0, evidence_end=len(sentence), mention_start=start, mention_end=start + len(mention),
            text=sentence))
        merge.cluster_claims(self.conn, doc)
        return doc

    def cluster_of(self, event_id: int) -> int | None:
        return self.conn.execute(select(events.c.cluster_id).where(events.c.id == event_id)).scalar()

    def cluster(self, cluster_id: int) -> dict:
        return dict(self.conn.execute(select(event_clusters).where(event_clusters.c.id == cluster_id))
                    .mappings().one())

    def claim_of(self, doc: int) -> dict | None:
        claim_id = self.conn.execute(select(quantities.c.claim_id).where(quantities.c.document_id == doc)).scalar()
        if claim_id is None:
            return None
        return dict(self.conn.execute(select(claims).where(claims.c.id == claim_id)).mappings().one())

    def count(self, table) -> int:
        return self.conn.execute(select(func.count()).select_from(table)).scalar()


@pytest.fixture
def kb(engine):
    with engine.begin() as conn:
        yield Kb(conn)


# ---------------------------------------------------------------- events

SUMMIT_A = "the leaders of the United States and North Korea met in Singapore for a summit on denuclearisation"
SUMMIT_B = "Washington and Pyongyang held their first summit, a meeting in Singapore on denuclearisation"


def test_two_documents_reporting_one_event_share_a_cluster(kb):
    a, b = kb.document("herald"), kb.document("gazette")
    ev_a = kb.event(a, "CONSULT", ["USA", "PRK"], [], "2018-06", SUMMIT_A)
    merge.cluster_events(kb.conn, a)
    ev_b = kb.event(b, "CONSULT", ["PRK", "USA"], [], "2018-06-12", SUMMIT_B)
    merge.cluster_events(kb.conn, b)
    cluster_id = kb.cluster_of(ev_a)
    assert cluster_id is not None and kb.cluster_of(ev_b) == cluster_id
    cluster = kb.cluster(cluster_id)
    assert cluster["n_sources"] == 2
    assert (cluster["source_key"], cluster["target_key"]) == ("PRK,USA", "")
    assert cluster["date"] == "2018-06-12"  # the narrowest report wins
    assert (cluster["date_lo"], cluster["date_hi"]) == dates.bounds("2018-06-12")
    kept = {r.text for r in kb.conn.execute(select(events.c.text).where(events.c.cluster_id == cluster_id))}
    assert kept == {SUMMIT_A, SUMMIT_B}


@pytest.mark.parametrize("type_, first, second, date_a, date_b, text_a, text_b, merged", [
    # same dyad, similar words, different years: two summits
    ("CONSULT", (["USA"], ["PRK"]), (["USA"], ["PRK"]), "2018", "2019", SUMMIT_A, SUMMIT_B, False),
    # symmetric types match with source and target swapped
    ("CONSULT", (["USA"], ["PRK"]), (["PRK"], ["USA"]), "2018-06", "2018", SUMMIT_A, SUMMIT_B, True),
    ("AGREE", (["CHN"], ["RUS"]), (["RUS"], ["CHN"]), "2019", "2019",
     "China signed a gas supply agreement with Russia", "Russia and China agreed a gas supply deal", True),
    # a directed type does not: who accuses whom matters
    ("ACCUSE", (["USA"], ["CHN"]), (["CHN"], ["USA"]), "2020", "2020",
     "Washington accused Beijing of hiding the outbreak", "Beijing accused Washington of hiding the outbreak",
     False),
    # one more actor on one side is another dyad
    ("CONSULT", (["USA", "KOR"], ["PRK"]), (["USA"], ["PRK"]), "2018", "2018", SUMMIT_A, SUMMIT_A, False),
    # same year, same dyad, nothing said in common: two different meetings
    ("CONSULT", (["USA"], ["PRK"]), (["USA"], ["PRK"]), "2018", "2018", SUMMIT_A,
     "envoys held working-level talks at the truce village about repatriating remains", False),
    # the same day needs no common words
    ("CONSULT", (["USA"], ["PRK"]), (["USA"], ["PRK"]), "2018-06-12", "2018-06-12", SUMMIT_A,
     "the two leaders shook hands before cameras", True),
    # undated reports merge only on similar evidence
    ("CONSULT", (["USA"], ["PRK"]), (["USA"], ["PRK"]), None, None, SUMMIT_A, SUMMIT_B, True),
    ("CONSULT", (["USA"], ["PRK"]), (["USA"], ["PRK"]), None, None, SUMMIT_A,
     "envoys held working-level talks at the truce village about repatriating remains", False),
    # within one month a shared word will do ...
    ("ASSAULT", (["PRK"], ["KOR"]), (["PRK"], ["KOR"]), "1950-06", "1950-06-25",
     "In June 1950 North Korea invaded the South", "North Korean forces invaded South Korea at dawn", True),
    # ... within a year the trigger word alone will not
    ("CONSULT", (["USA"], ["CHN"]), (["USA"], ["CHN"]), "1997", "1997-10",
     "the president's visit to China", "a state visit by the Chinese leader to the United States", False),
    # an open-ended date tells an ongoing activity, not one act
    ("MOBILIZE", (["PRK"], []), (["PRK"], []), "2019/..", "2023-11",
     "developing its ballistic missile programme", "a series of ballistic missile launches", False),
    # a report without actors never joins a report with actors
    ("CONSULT", ([], []), (["USA"], ["PRK"]), "2018-06-12", "2018-06-12", SUMMIT_A, SUMMIT_A, False),
])
def test_event_merge_rules(kb, type_, first, second, date_a, date_b, text_a, text_b, merged):
    a, b = kb.document("first"), kb.document("second")
    ev_a = kb.event(a, type_, *first, date_a, text_a)
    merge.cluster_events(kb.conn, a)
    ev_b = kb.event(b, type_, *second, date_b, text_b)
    merge.cluster_events(kb.conn, b)
    assert (kb.cluster_of(ev_a) == kb.cluster_of(ev_b)) is merged
    assert kb.count(event_clusters) == (1 if merged else 2)


def test_one_document_telling_two_acts_keeps_them_apart(kb):
    doc = kb.document("chronicle")
    first = kb.event(doc, "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_A)
    second = kb.event(doc, "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_A)
    merge.cluster_events(kb.conn, doc)
    assert kb.cluster_of(first) != kb.cluster_of(second)
    other = kb.document("digest")
    third = kb.event(other, "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_B)
    merge.cluster_events(kb.conn, other)
    assert kb.cluster_of(third) == kb.cluster_of(first)  # the oldest of two equal fits
    assert kb.cluster(kb.cluster_of(first))["n_sources"] == 2
    assert kb.cluster(kb.cluster_of(second))["n_sources"] == 1


def test_leaders_stand_for_their_states_at_the_event_date(kb):
    a, b = kb.document("wire"), kb.document("weekly")
    ev_a = kb.event(a, "CONSULT", ["USA", "PRK"], ["SGP"], "2018-06-12",
                    "the leaders of the United States and North Korea met in Singapore")
    merge.cluster_events(kb.conn, a)
    ev_b = kb.event(b, "CONSULT", ["TRUMP", "KJU"], ["SGP"], "2018-06",
                    "Donald Trump and Kim Jong Un held a summit in Singapore, the first meeting of the leaders")
    merge.cluster_events(kb.conn, b)
    assert kb.cluster_of(ev_a) == kb.cluster_of(ev_b)
    assert kb.cluster(kb.cluster_of(ev_a))["source_key"] == "PRK,USA"


def test_a_meeting_that_did_not_happen_is_not_the_meeting(kb):
    a, b = kb.document("one"), kb.document("two")
    ev_a = kb.event(a, "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_A)
    merge.cluster_events(kb.conn, a)
    ev_b = kb.event(b, "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_B, negated=True)
    merge.cluster_events(kb.conn, b)
    assert kb.cluster_of(ev_a) != kb.cluster_of(ev_b)


def test_release_recomputes_and_drops_empty_clusters(kb):
    docs = [kb.document(n) for n in ("alpha", "beta", "gamma")]
    ids = [kb.event(docs[0], "CONSULT", ["USA"], ["PRK"], "2018", SUMMIT_A)]
    merge.cluster_events(kb.conn, docs[0])
    ids.append(kb.event(docs[1], "CONSULT", ["USA"], ["PRK"], "2018-06-12", SUMMIT_B))
    merge.cluster_events(kb.conn, docs[1])
    ids.append(kb.event(docs[2], "CONSULT", ["USA"], ["PRK"], "2018-06", SUMMIT_A))
    merge.cluster_events(kb.conn, docs[2])
    cluster_id = kb.cluster_of(ids[0])
    assert {kb.cluster_of(i) for i in ids} == {cluster_id}
    assert kb.cluster(cluster_id)["n_sources"] == 3

    merge.release(kb.conn, docs[1])  # forget the one that gave the day
    kb.conn.execute(events.delete().where(events.c.document_id == docs[1]))
    cluster = kb.cluster(cluster_id)
    assert cluster["n_sources"] == 2 and cluster["date"] == "2018-06"
    assert (cluster["date_lo"], cluster["date_hi"]) == dates.bounds("2018-06")

    for doc in (docs[0], docs[2]):
        merge.release(kb.conn, doc)
    assert kb.count(event_clusters) == 0
    assert kb.conn.execute(select(func.count()).where(events.c.cluster_id.is_not(None))).scalar() == 0


def test_clustering_twice_changes_nothing(kb):
    a = kb.document("repeat")
    kb.event(a, "CONSULT", ["USA"], ["PRK"], "2018", SUMMIT_A)
    merge.cluster_events(kb.conn, a)
    merge.cluster_events(kb.conn, a)
    assert kb.count(event_clusters) == 1


def _clusters_after(engine_url: str) -> list[tuple]:
    eng = create_engine(engine_url)
    metadata.create_all(eng)
    with eng.begin() as conn:
        kb = Kb(conn)
        for i, (date, evidence) in enumerate([("2018", SUMMIT_A), ("2018-06-12", SUMMIT_B), (None, SUMMIT_A),
                                              ("2019", SUMMIT_B), ("2018-06-12", "leaders shook hands")]):
            doc = kb.document(f"doc{i}")
            kb.event(doc, "CONSULT", ["USA"], ["PRK"], date, evidence)
            merge.cluster_events(conn, doc)
        rows = conn.execute(select(events.c.document_id, events.c.cluster_id).order_by(events.c.id)).all()
    eng.dispose()
    return [tuple(r) for r in rows]


def test_same_inputs_same_clusters(tmp_path):
    first = _clusters_after(f"sqlite:///{tmp_path / 'a.db'}")
    assert first == _clusters_after(f"sqlite:///{tmp_path / 'b.db'}")
    assert len({c for _, c in first}) == 2  # the 2019 summit stands apart


# ---------------------------------------------------------------- claims


def test_figures_that_agree_within_rounding_form_one_claim(kb):
    a = kb.figure("customs", "Trade between the two reached $6.86 billion in 2014.", "$6.86 billion", 6.86e9)
    b = kb.figure("review", "Bilateral trade stood at $6.9 billion that year.", "$6.9 billion", 6.9e9,
                  measure="bilateral trade", subject=("PRK", "CHN"))
    claim = kb.claim_of(a)
    assert claim is not None and kb.claim_of(b)["id"] == claim["id"]
    assert claim["measure"] == "trade" and claim["subject_key"] == "CHN,PRK" and claim["unit"] == "USD"
    assert (claim["n_sources"], claim["min_value"], claim["max_value"]) == (2, 6.86e9, 6.9e9)
    assert claim["contradiction"] is False
    assert merge.contradictions(kb.conn) == []


def test_contradicting_figures_are_listed_with_every_source(kb):
    a = kb.figure("customs", "Trade between the two reached $6.86 billion in 2014.", "$6.86 billion", 6.86e9)
    kb.figure("institute", "The institute put trade at about $5.2 billion in 2014.", "about $5.2 billion", 5.2e9,
              bound="approx", measure="total trade")
    assert kb.claim_of(a)["contradiction"] is True
    (found,) = merge.contradictions(kb.conn)
    assert (found["measure"], found["subject"], found["unit"], found["date"]) == ("trade", ["CHN", "PRK"], "USD", "2014")
    assert [(s["document"], s["value"], s["bound"], s["mention"]) for s in found["sources"]] == [
        ("customs", 6.86e9, "eq", "$6.86 billion"), ("institute", 5.2e9, "approx", "about $5.2 billion")]
    assert found["sources"][1]["text"] == "The institute put trade at about $5.2 billion in 2014."


@pytest.mark.parametrize("first, second, contradiction", [
    (("more than 90 percent", 90, "gt"), ("92 percent", 92, "eq"), False),
    (("less than 80 percent", 80, "lt"), ("92 percent", 92, "eq"), True),
    (("at least 85 percent", 85, "ge"), ("nearly 84 percent", 84, "approx"), False),
    (("92.4 percent", 92.4, "eq"), ("92 percent", 92, "eq"), False),
    (("92.4 percent", 92.4, "eq"), ("95.1 percent", 95.1, "eq"), True),
])
def test_bounds_and_rounding_decide_contradiction(kb, first, second, contradiction):
    docs = [kb.figure(f"doc{i}", f"China took {mention} of its trade.", mention, value, unit="percent",
                      bound=bound) for i, (mention, value, bound) in enumerate((first, second))]
    claim = kb.claim_of(docs[0])
    assert kb.claim_of(docs[1])["id"] == claim["id"]
    assert claim["contradiction"] is contradiction


@pytest.mark.parametrize("changes", [
    {"date": "2014-06"},            # a monthly figure is not the yearly one
    {"date": "2015"},
    {"unit": "rmb"},
    {"subject": ("CHN", "KOR")},
    {"measure": "export"},
])
def test_different_period_unit_subject_or_measure_is_another_claim(kb, changes):
    a = kb.figure("one", "Trade reached $6.86 billion in 2014.", "$6.86 billion", 6.86e9)
    b = kb.figure("two", "Trade reached $5.2 billion.", "$5.2 billion", 5.2e9, **changes)
    assert kb.claim_of(a)["id"] != kb.claim_of(b)["id"]
    assert merge.contradictions(kb.conn) == []


def test_same_period_written_two_ways_is_one_claim(kb):
    a = kb.figure("one", "Trade reached $6.86 billion in 2014.", "$6.86 billion", 6.86e9)
    b = kb.figure("two", "Trade reached $6.9 billion.", "$6.9 billion", 6.9e9, date="2014-01/2014-12")
    assert kb.claim_of(a)["id"] == kb.claim_of(b)["id"]


@pytest.mark.parametrize("changes", [{"measure": None}, {"date": None}, {"subject": ()}])
def test_figures_without_measure_date_or_subject_stay_out_of_claims(kb, changes):
    doc = kb.figure("loose", "Trade reached $6.86 billion.", "$6.86 billion", 6.86e9, **changes)
    assert kb.claim_of(doc) is None and kb.count(claims) == 0


def test_one_document_giving_two_values_lists_two_things(kb):
    doc = kb.document("summary", "Kim has met Xi four times and Moon three times since 2018.")
    for mention, value in (("four", 4), ("three", 3)):
        start = kb.conn.execute(select(documents.c.text).where(documents.c.id == doc)).scalar().index(mention)
        kb.conn.execute(insert(quantities).values(
            document_id=doc, value=value, unit="count", bound="eq", date="2018/..", date_lo=None, date_hi=None,
            measure="meeting", subject='["KJU", "CHN", "KOR"]', subject_key="CHN,KJU,KOR", evidence_start=0,
            evidence_end=50, mention_start=start, mention_end=start + len(mention), text="..."))
    merge.cluster_claims(kb.conn, doc)
    assert kb.count(claims) == 2 and merge.contradictions(kb.conn) == []


def test_a_document_repeating_a_figure_is_one_source(kb):
    sentence = "Trade reached $6.86 billion in 2014; the $6.86 billion total was a record."
    doc = kb.document("repeat", sentence)
    for start in (sentence.index("$6.86"), sentence.rindex("$6.86")):
        kb.conn.execute(insert(quantities).values(
            document_id=doc, value=6.86e9, unit="USD", bound="eq", date="2014", measure="trade",
            subject='["CHN", "PRK"]', subject_key="CHN,PRK", evidence_start=0, evidence_end=len(sentence),
            mention_start=start, mention_end=start + 13, text=sentence))
    merge.cluster_claims(kb.conn, doc)
    claim = kb.claim_of(doc)
    assert kb.count(claims) == 1 and claim["n_sources"] == 1 and claim["contradiction"] is False


def test_release_recomputes_claims(kb):
    a = kb.figure("customs", "Trade reached $6.86 billion in 2014.", "$6.86 billion", 6.86e9)
    b = kb.figure("institute", "Trade was $5.2 billion in 2014.", "$5.2 billion", 5.2e9)
    c = kb.figure("ministry", "Trade totalled $6.9 billion in 2014.", "$6.9 billion", 6.9e9)
    claim_id = kb.claim_of(a)["id"]
    assert kb.claim_of(a)["contradiction"] is True and kb.claim_of(a)["n_sources"] == 3

    merge.release(kb.conn, b)
    claim = kb.claim_of(a)
    assert claim["id"] == claim_id and claim["contradiction"] is False
    assert (claim["n_sources"], claim["min_value"], claim["max_value"]) == (2, 6.86e9, 6.9e9)

    merge.release(kb.conn, a)
    merge.release(kb.conn, c)
    assert kb.count(claims) == 0


@pytest.mark.parametrize("value, bound, mention, lo, hi", [
    (6.86e9, "eq", "$6.86 billion", 6.855e9, 6.865e9),
    (6.9e9, "eq", "$6.9 billion", 6.85e9, 6.95e9),
    (7000, "eq", "7,000 troops", 6500, 7500),            # trailing zeros are rounding
    (10000, "eq", "10,000 troops", 9000, 11000),         # ... but no wider than a tenth
    (90, "gt", "more than 90 percent", 85, float("inf")),
    (5.2e9, "approx", "about $5.2 billion", 4.42e9, 5.98e9),
    (2_000_000, "eq", "two million", 1_800_000, 2_200_000),  # number words: from the value
])
def test_value_interval(value, bound, mention, lo, hi):
    got = merge.value_interval(value, bound, mention)
    assert got == pytest.approx((lo, hi))


@pytest.mark.parametrize("measure, canonical", [
    ("Bilateral Trade", "trade"), ("the total trade", "trade"), ("trade", "trade"), ("troops", "troop"),
    ("soldier", "troop"), ("exports", "export"), ("casualties", "casualty"), ("nuclear warheads", "nuclear warhead"),
    ("", None), (None, None),
])
def test_normalise_measure(measure, canonical):
    assert merge.normalise_measure(measure) == canonical


@pytest.mark.parametrize("forms, same", [
    ("invaded invades invade invading", True), ("agreed agrees agree agreeing", True),
    ("met meeting meets meet", True), ("held holds holding", True), ("planned plans plan", True),
    ("countries country", True), ("summit sanction", False),
])
def test_stem_maps_the_forms_of_a_word_together(forms, same):
    cfg = merge.load_config()
    assert (len({merge.stem(w, cfg) for w in forms.split()}) == 1) is same


def test_merge_yaml_is_validated():
    data = merge.load_config().model_dump()
    merge.load_config(data)  # the packaged file round-trips
    bad = json.loads(json.dumps(data))
    bad["measure_synonyms"]["export"].append("bilateral trade")
    with pytest.raises(ValidationError, match="listed under"):
        merge.load_config(bad)
    bad = json.loads(json.dumps(data))
    bad["events"]["symmetric_types"].append("MEET")
    with pytest.raises(ValidationError, match="PLOVER"):
        merge.load_config(bad)


# ---------------------------------------------------------------- end to end

SUMMIT_REPORTS = [
    ("summit-wire", "On 12 June 2018, the leaders of the United States and North Korea met in Singapore.",
     "2018-06-13"),
    ("summit-weekly", "Donald Trump and Kim Jong Un held a summit in Singapore in June 2018, the first meeting "
                      "of the two countries' leaders.", "2019-01-10"),
]
TRADE_REPORTS = [
    ("trade-customs", "Trade between China and North Korea reached $6.86 billion in 2014, according to "
                      "customs figures.", "2015-03-01"),
    ("trade-institute", "In 2014, bilateral trade between China and North Korea amounted to $3.1 billion, "
                        "a research institute in Seoul estimated.", "2016-05-02"),
]


@pytest.fixture
def store(tmp_path, nlp):
    try:
        from diplograph.store import Store
    except ImportError as err:
        pytest.skip(f"diplograph.store.Store is not available yet: {err}")
    db = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    yield db
    db.close()


def _ingest(store, reports):
    from diplograph import extract

    for name, body, date in reports:
        store.ingest(extract(body, date, doc_id=name), name=name)


@pytest.mark.slow
def test_end_to_end_one_summit_told_twice(store):
    _ingest(store, SUMMIT_REPORTS)
    with store.engine.connect() as conn:
        rows = conn.execute(select(event_clusters.c.type, event_clusters.c.n_sources, event_clusters.c.date)
                            .where(event_clusters.c.type == "CONSULT")).all()
    assert [(r.type, r.n_sources, r.date) for r in rows] == [("CONSULT", 2, "2018-06-12")]
    assert store.forget("summit-wire")
    with store.engine.connect() as conn:
        rows = conn.execute(select(event_clusters.c.n_sources, event_clusters.c.date)
                            .where(event_clusters.c.type == "CONSULT")).all()
    assert [tuple(r) for r in rows] == [(1, "2018-06")]


@pytest.mark.slow
def test_end_to_end_contradicting_trade_figures(store):
    _ingest(store, TRADE_REPORTS)
    with store.engine.connect() as conn:
        found = merge.contradictions(conn)
    assert len(found) == 1
    assert (found[0]["measure"], found[0]["subject"], found[0]["date"]) == ("trade", ["CHN", "PRK"], "2014")
    assert sorted(s["document"] for s in found[0]["sources"]) == ["trade-customs", "trade-institute"]
    assert all(s["mention"] in s["text"] for s in found[0]["sources"])
