"""Where sources disagree: claim clusters whose values differ beyond rounding.

The merge (``diplograph.store.merge``) decides what a contradiction is, so it also
lists them; this is the query's entry point, taking a Store like the other queries,
so the CLI, the library and the merge never disagree.
"""
from __future__ import annotations

from typing import Any

from diplograph.analytics.common import engine_of


def contradictions(store: Any) -> list[dict]:
    """Every contradicted claim with the value each source gives, in date order.

    RETURNS (list[dict]): ``claim_id, measure, subject, subject_key, unit, date, min_value,
        max_value, n_sources, sources`` where each source is ``{document, document_id, value,
        unit, bound, date, mention, text}`` (``text``: the evidence clause).
    """
    from diplograph.store.merge import contradictions as listed_by_merge

    with engine_of(store).connect() as conn:
        return listed_by_merge(conn)
