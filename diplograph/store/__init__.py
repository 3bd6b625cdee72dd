"""The knowledge base: every document's records in SQLite (default) or PostgreSQL (by URL).

Contract (owner: store): ``Store(url=None)`` opens or creates the database (``None`` ->
``$DIPLOGRAPH_DB`` or ``./diplograph.db``); ``Store.ingest(extraction)`` stores one
document in one transaction; ``Store.engine`` is the SQLAlchemy engine that queries read.
"""
from diplograph.store.db import (DocumentNotStored, IngestResult, Store, StoreError, StoreFull, StoreUnavailable,
                                 content_hash, database_url)

__all__ = ["Store", "IngestResult", "StoreError", "StoreUnavailable", "StoreFull", "DocumentNotStored",
           "content_hash", "database_url"]
