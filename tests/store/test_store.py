"""The Store on SQLite and PostgreSQL: idempotent ingest, replacement, forget, reading back, errors.

Extractions are built by hand (``store_helpers.build_extraction``) so each test knows
exactly which rows it stored; the seeded store runs the real pipeline.
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, select

from diplograph.store import (DocumentNotStored, IngestResult, Store, StoreFull, StoreUnavailable, content_hash,
                              database_url)
from diplograph.store.schema import SCHEMA_VERSION, actors, documents, events, meta
from store_helpers import build_extraction, document_counts, table_counts

DELHI_TEMPLATE = ("NEW DELHI, May 3, 2021 -- India and Pakistan agreed to restore the 2003 ceasefire along the "
                  "Line of Control, the Indian army said. Trade between India and Pakistan fell to ${figure} billion "
                  "in 2020. \"We want peace with all neighbours,\" India's foreign minister said in Parliament.")
DELHI_TEXT = DELHI_TEMPLATE.format(figure="0.5")
TOKYO_TEXT = ("TOKYO, June 9, 2022 -- Japan protested China's military drills near Taiwan in 2022, and the "
              "United States imposed sanctions on Chinese firms. Trade between Japan and China reached "
              "$350 billion in 2021, according to Japanese customs.")


def delhi(text: str = DELHI_TEXT, name: str = "delhi-ceasefire", figure: str = "0.5"):
    return build_extraction(
        name, text, "2021-05-03",
        events=[("AGREE", ["IND", "PAK"], ["IND", "PAK"], "2021-05-03",
                 "India and Pakistan agreed to restore the 2003 ceasefire", "agreed")],
        quantities=[(float(figure) * 1e9, "USD", "trade", ["IND", "PAK"], "2020",
                     f"Trade between India and Pakistan fell to ${figure} billion in 2020", f"${figure} billion")],
        statements=[(["IND"], "\"We want peace with all neighbours,\"", "said", True)],
        timexes=[("May 3, 2021", "2021-05-03"), ("2020", "2020")],
        roles={"IND": None})


def tokyo(text: str = TOKYO_TEXT, name: str = "tokyo-drills"):
    return build_extraction(
        name, text, "2022-06-09",
        events=[("PROTEST", ["JPN"], ["CHN"], "2022", "Japan protested China's military drills", "protested"),
                ("SANCTION", ["USA"], ["CHN"], "2022", "the United States imposed sanctions on Chinese firms",
                 "imposed sanctions")],
        quantities=[(350e9, "USD", "trade", ["CHN", "JPN"], "2021",
                     "Trade between Japan and China reached $350 billion in 2021", "$350 billion")],
        timexes=[("June 9, 2022", "2022-06-09"), ("2021", "2021")])


@pytest.fixture
def store(store_url):
    with Store(store_url) as opened:
        yield opened


# --- idempotence, replacement, forget -------------------------------------------------------------

def test_store_reingest_same_text_is_skipped_and_counts_stay(store, store_url):
    assert store.ingest(delhi()).status == "added"
    assert store.ingest(tokyo()).status == "added"
    before = table_counts(store_url)
    again = [store.ingest(delhi()), store.ingest(tokyo())]
    assert [result.status for result in again] == ["skipped", "skipped"]
    assert table_counts(store_url) == before
    assert before["documents"] == 2 and before["events"] == 3 and before["event_actors"] == 8


def test_store_same_text_under_another_name_is_skipped(store):
    first = store.ingest(delhi())
    result = store.ingest(delhi(name="delhi-copy"))
    assert result == IngestResult("skipped", first.document_id, "delhi-ceasefire")
    assert [row["name"] for row in store.documents()] == ["delhi-ceasefire"]


def test_store_changed_document_replaces_only_its_own_records(store, store_url, tmp_path):
    store.ingest(delhi())
    store.ingest(tokyo())
    tokyo_before = store.document_records("tokyo-drills")
    changed = DELHI_TEMPLATE.format(figure="0.6")
    changed_extraction = delhi(changed, figure="0.6")
    result = store.ingest(changed_extraction)
    assert result.status == "replaced"
    assert store.document_records("tokyo-drills") == tokyo_before
    delhi_now = store.document_records("delhi-ceasefire")
    assert delhi_now["document"]["content_hash"] == content_hash(changed)
    assert [q["value"] for q in delhi_now["quantities"]] == [0.6e9]
    assert [q["text"] for q in delhi_now["quantities"]] == ["$0.6 billion"]
    # The same rows as a store that only ever saw the new text (actors, clusters and claims included).
    with Store(f"sqlite:///{tmp_path / 'clean.db'}") as clean:
        clean.ingest(changed_extraction)
        clean.ingest(tokyo())
        assert table_counts(store_url) == table_counts(str(clean.url))
        assert document_counts(store_url) == document_counts(str(clean.url))


def test_store_forget_removes_the_document_its_records_and_actors_only_it_named(store, store_url):
    store.ingest(delhi())
    store.ingest(tokyo())
    assert store.forget("delhi-ceasefire") is True
    assert [row["name"] for row in store.documents()] == ["tokyo-drills"]
    assert set(document_counts(store_url)) == {"tokyo-drills"}
    with store.engine.connect() as conn:
        stored_actors = set(conn.execute(select(actors.c.id)).scalars())
    assert stored_actors == {"JPN", "CHN", "USA"}  # India and Pakistan were only in the forgotten report
    assert store.forget("delhi-ceasefire") is False
    assert store.ingest(delhi()).status == "added"  # and it can come back


def test_store_forget_accepts_the_document_id(store):
    added = store.ingest(tokyo())
    assert store.forget(str(added.document_id)) is True
    assert store.documents() == []


# --- reading back -------------------------------------------------------------------------------

RECORD_KIND = {"events": "event", "quantities": "quantity", "statements": "statement", "timexes": "timex"}


@pytest.mark.parametrize("kind, fields", [
    ("events", ("id", "type", "quad", "score", "source", "target", "date", "evidence", "trigger", "negated")),
    ("quantities", ("value", "unit", "bound", "date", "measure", "subject", "evidence", "mention", "text")),
    ("statements", ("speaker", "date", "direct", "evidence", "content", "cue", "text")),
    ("timexes", ("text", "start", "end", "value", "type")),
])
def test_store_document_records_give_back_what_was_extracted(store, kind, fields):
    extraction = delhi()
    store.ingest(extraction)
    stored = store.document_records("delhi-ceasefire")[kind]
    expected = [record for record in extraction.records() if record["kind"] == RECORD_KIND[kind]]
    assert len(stored) == len(expected) > 0
    for got, want in zip(stored, expected):
        assert {f: got[f] for f in fields} == {f: want[f] for f in fields}


def test_store_document_records_list_actors_with_their_mentions(store):
    store.ingest(delhi())
    records = store.document_records("delhi-ceasefire")
    by_id = {actor["id"]: actor for actor in records["actors"]}
    assert set(by_id) == {"IND", "PAK"}
    assert [m["text"] for m in by_id["PAK"]["mentions"]] == ["Pakistan", "Pakistan"]
    assert by_id["IND"]["codes"] == {"iso3": "IND"} and by_id["IND"]["aliases"] == ["INDIA"]
    assert records["document"]["words"] == len(DELHI_TEXT.split())
    assert store.document_records("no-such-report") is None


def test_store_documents_lists_counts(store):
    store.ingest(delhi())
    store.ingest(tokyo())
    rows = {row["name"]: row for row in store.documents()}
    assert {k: rows["tokyo-drills"][k] for k in ("events", "quantities", "statements", "actors", "date")} == \
        {"events": 2, "quantities": 1, "statements": 0, "actors": 3, "date": "2022-06-09"}


def test_store_upsert_fills_an_empty_role_but_keeps_a_known_one(store):
    store.ingest(delhi())
    with_role = delhi(DELHI_TEXT + " ", name="delhi-2")
    with_role.actors[0].role = "host"
    store.ingest(with_role)
    with store.engine.connect() as conn:
        assert conn.execute(select(actors.c.role).where(actors.c.id == "IND")).scalar() == "host"
    other_role = delhi(DELHI_TEXT + "  ", name="delhi-3")
    other_role.actors[0].role = "guest"
    store.ingest(other_role)
    with store.engine.connect() as conn:
        assert conn.execute(select(actors.c.role).where(actors.c.id == "IND")).scalar() == "host"


def test_store_event_actor_missing_from_the_actor_list_still_gets_a_row(store):
    extraction = tokyo()
    extraction.events[0].target = ["TWN"]  # referenced, but not among the actors
    store.ingest(extraction)
    with store.engine.connect() as conn:
        row = conn.execute(select(actors).where(actors.c.id == "TWN")).one()
    assert row.known is False


def test_store_records_schema_version_and_reopens(store_url):
    Store(store_url).close()
    with Store(store_url) as reopened:
        with reopened.engine.connect() as conn:
            assert conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar() \
                == str(SCHEMA_VERSION)


def test_store_refuses_another_schema_version(store_url):
    with Store(store_url) as store, store.engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="999"))
    with pytest.raises(StoreUnavailable, match="schema version 999"):
        Store(store_url)


@pytest.mark.slow
def test_store_seeded_store_holds_both_reports(seeded_store):
    rows = {row["name"]: row for row in seeded_store.documents()}
    assert set(rows) == {"beijing-agreement-2019", "seoul-review-2019"}
    assert all(row["events"] > 0 and row["quantities"] > 0 for row in rows.values())


# --- SQLite settings and URLs ---------------------------------------------------------------------

def test_store_sqlite_uses_wal_foreign_keys_and_busy_timeout(tmp_path):
    with Store(str(tmp_path / "kb.db"), busy_timeout=2.5) as store:
        with store.engine.connect() as conn:
            pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 2500}


@pytest.mark.parametrize("given, env, expected", [
    (None, None, "sqlite:///diplograph.db"),
    (None, "/data/kb.db", "sqlite:////data/kb.db"),
    ("kb.db", "/data/other.db", "sqlite:///kb.db"),
    ("sqlite:////tmp/kb.db", None, "sqlite:////tmp/kb.db"),
    ("postgresql://analyst@db.example.org:5432/kb", None, "postgresql+psycopg://analyst@db.example.org:5432/kb"),
    ("postgres://analyst@db.example.org/kb", None, "postgresql+psycopg://analyst@db.example.org/kb"),
])
def test_store_database_url(monkeypatch, given, env, expected):
    if env is None:
        monkeypatch.delenv("DIPLOGRAPH_DB", raising=False)
    else:
        monkeypatch.setenv("DIPLOGRAPH_DB", env)
    assert database_url(given) == expected


# --- errors ---------------------------------------------------------------------------------------

def test_store_not_a_database_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are meeting notes, not a database.\n" * 200)
    with pytest.raises(StoreUnavailable, match="file is not a database"):
        Store(str(path))
    assert path.read_bytes().startswith(b"These are meeting notes")


def test_store_missing_folder(tmp_path):
    with pytest.raises(StoreUnavailable, match="does not exist"):
        Store(str(tmp_path / "no" / "such" / "kb.db"))


@pytest.mark.parametrize("url, reason", [
    ("postgresql://postgres@127.0.0.1:1/kb", "cannot connect to the database postgresql://postgres@127.0.0.1:1/kb"),
    ("postgresql://postgres@no-such-host.invalid:5432/kb", "cannot connect to the database"),
])
def test_store_unreachable_postgresql(url, reason):
    with pytest.raises(StoreUnavailable) as caught:
        Store(url)
    message = str(caught.value)
    assert message.startswith(reason) and "\n" not in message


def test_store_locked_sqlite_fails_the_document_and_keeps_what_is_stored(tmp_path):
    path = tmp_path / "kb.db"
    with Store(str(path), busy_timeout=0.2) as store:
        store.ingest(delhi())
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process's write lock, held past the busy timeout
        try:
            with pytest.raises(DocumentNotStored, match="^database is locked"):
                store.ingest(tokyo())
            assert [row["name"] for row in store.documents()] == ["delhi-ceasefire"]  # reading still works
        finally:
            holder.rollback()
            holder.close()
        assert store.ingest(tokyo()).status == "added"  # the lock is gone: the document goes in


def test_store_full_disk_stops_with_one_line_and_loses_nothing(tmp_path):
    path = tmp_path / "kb.db"
    with Store(str(path)) as store:
        store.ingest(delhi())
        pages = store.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_connection, _record):  # the database may not grow: as if the disk were full
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        store.engine.dispose()
        big = tokyo(TOKYO_TEXT + " Analysts expect further talks." * 2000)
        with pytest.raises(StoreFull) as caught:
            store.ingest(big)
        assert "disk is full" in str(caught.value) and "\n" not in str(caught.value)
    with Store(str(path)) as reopened:
        assert [row["name"] for row in reopened.documents()] == ["delhi-ceasefire"]
        assert reopened.document_records("delhi-ceasefire")["events"][0]["type"] == "AGREE"


def test_store_ingest_is_one_transaction(store, store_url, monkeypatch):
    """A failure after the rows went in (here in the merge) leaves no trace of the document."""
    store.ingest(delhi())
    before = table_counts(store_url)
    from diplograph.store import merge

    def broken(conn, document_id):
        raise RuntimeError("merge failed")

    monkeypatch.setattr(merge, "cluster_claims", broken)  # the last step of an ingest
    with pytest.raises(RuntimeError):
        store.ingest(tokyo())
    assert table_counts(store_url) == before
    with store.engine.connect() as conn:
        assert conn.execute(select(documents.c.name)).scalars().all() == ["delhi-ceasefire"]
        assert conn.execute(select(events.c.type).order_by(events.c.id)).scalars().all() == ["AGREE"]
