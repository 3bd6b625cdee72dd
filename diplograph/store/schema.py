"""The knowledge base's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

One row per record of every ingested document, keyed by the document it came from,
so a document can be replaced or forgotten alone. Merging across documents is kept
beside the records, not in place of them: ``event_clusters`` groups the reports of
one event (every evidence kept), ``claims`` groups figures about one measure,
subject and date (values that disagree beyond rounding make a contradiction).

Dates are kept twice: the EDTF string as extracted, and its first and last day as
ordinals (``diplograph.dates.bounds``) so ranges can be queried and sorted.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

SCHEMA_VERSION = 2  # 2: sentences and their full-text index

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),          # file name or corpus id: what users call it
    Column("content_hash", String(64), nullable=False, unique=True),  # sha256 of the text
    Column("source", Text),
    Column("title", Text),
    Column("date", String(32)),                    # document date, EDTF
    Column("date_source", String(16)),
    Column("text", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),  # ISO timestamp, UTC
    UniqueConstraint("name", name="uq_documents_name"),
)

actors = Table(
    "actors", metadata,
    Column("id", String(128), primary_key=True),   # gazetteer id (CHN, KJU) or slug of an NER name
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),    # state | person | igo | org | group
    Column("aliases", Text, nullable=False, default="[]"),  # JSON list
    Column("codes", Text, nullable=False, default="{}"),    # JSON object: iso2, iso3, wikidata
    Column("role", Text),
    Column("affiliation", Text),
    Column("known", Boolean, nullable=False, default=True),
)

mentions = Table(
    "mentions", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(128), ForeignKey("actors.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Index("ix_mentions_actor", "actor_id"),
    Index("ix_mentions_document", "document_id"),
)

event_clusters = Table(
    "event_clusters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(16), nullable=False),
    Column("quad", String(32), nullable=False),
    Column("source_key", Text, nullable=False),    # sorted actor ids joined by "," ("" when none)
    Column("target_key", Text, nullable=False),
    Column("date", String(32)),                    # the narrowest date its reports give
    Column("date_lo", Integer),
    Column("date_hi", Integer),
    Column("n_sources", Integer, nullable=False, default=1),  # distinct documents reporting it
    Index("ix_event_clusters_dyad", "source_key", "target_key"),
    Index("ix_event_clusters_date", "date_lo"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(32), nullable=False),  # "ev-12": the id within its extraction
    Column("cluster_id", Integer, ForeignKey("event_clusters.id")),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("quad", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("date", String(32)),
    Column("date_lo", Integer),
    Column("date_hi", Integer),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("text", Text, nullable=False),          # the evidence text, for search and display
    Column("trigger_start", Integer),              # the trigger word(s), so a stored event shows as extracted
    Column("trigger_end", Integer),
    Column("negated", Boolean, nullable=False, default=False),
    Column("hedged", Boolean, nullable=False, default=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Index("ix_events_document", "document_id"),
    Index("ix_events_cluster", "cluster_id"),
    Index("ix_events_date", "date_lo"),
    Index("ix_events_type", "type"),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(128), ForeignKey("actors.id"), nullable=False),
    Column("role", String(8), nullable=False),     # source | target
    Index("ix_event_actors_actor", "actor_id", "role"),
    Index("ix_event_actors_event", "event_id"),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("measure", Text, nullable=False),       # normalised measure ("bilateral trade")
    Column("subject_key", Text, nullable=False),   # sorted actor ids joined by ","
    Column("unit", String(32), nullable=False),
    Column("date", String(32)),
    Column("date_lo", Integer),
    Column("date_hi", Integer),
    Column("n_sources", Integer, nullable=False, default=1),
    Column("min_value", Float, nullable=False),
    Column("max_value", Float, nullable=False),
    Column("contradiction", Boolean, nullable=False, default=False),
    Index("ix_claims_key", "measure", "subject_key", "unit"),
)

quantities = Table(
    "quantities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id")),
    Column("value", Float, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("bound", String(8), nullable=False),
    Column("date", String(32)),
    Column("date_lo", Integer),
    Column("date_hi", Integer),
    Column("measure", Text),
    Column("subject", Text, nullable=False, default="[]"),       # JSON list of actor ids
    Column("subject_key", Text, nullable=False, default=""),
    Column("cited_source", Text, nullable=False, default="[]"),  # JSON list of actor ids
    Column("raw_unit", String(32)),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("mention_start", Integer, nullable=False),
    Column("mention_end", Integer, nullable=False),
    Column("text", Text, nullable=False),          # the evidence text
    Index("ix_quantities_document", "document_id"),
    Index("ix_quantities_key", "measure", "subject_key"),
    Index("ix_quantities_claim", "claim_id"),
)

statements = Table(
    "statements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("speaker", Text, nullable=False, default="[]"),        # JSON list of actor ids
    Column("speaker_key", Text, nullable=False, default=""),
    Column("role", Text),
    Column("date", String(32)),
    Column("date_lo", Integer),
    Column("date_hi", Integer),
    Column("direct", Boolean, nullable=False, default=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("cue_start", Integer),                  # the speech verb or "according to"
    Column("cue_end", Integer),
    Column("text", Text, nullable=False),          # the content text
    Index("ix_statements_document", "document_id"),
    Index("ix_statements_speaker", "speaker_key"),
)

timexes = Table(
    "timexes", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", String(32)),
    Column("type", String(16)),
    Column("duration", Float),                     # years, for a duration ("twenty years")
    Column("anchor", String(16)),                  # how a relative value was resolved
    Index("ix_timexes_document", "document_id"),
)

sentences = Table(
    "sentences", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),          # what the full-text index (store/search.py) reads
    Index("ix_sentences_document", "document_id", "start"),
)

# Tables that hold one document's own records, children first: what `forget` and a
# changed document's replacement delete.
DOCUMENT_TABLES = (event_actors, events, quantities, statements, timexes, mentions, sentences)
