"""The knowledge base: every document's records in SQLite (default) or PostgreSQL (by URL).

Contract (owner: store): ``Store(url=None)`` opens or creates the database (``None`` ->
``$DIPLOGRAPH_DB`` or ``./diplograph.db``); ``Store.ingest(extraction)`` stores one
document in one transaction; ``Store.engine`` is the SQLAlchemy engine that queries read.
"""
