"""A small knowledge base for the web tests: three short documents written for these tests,
extracted with the real pipeline and stored like ``diplograph ingest`` does.

TREATY tells the 2021 renewal of the China-North Korea treaty; TALKS holds 2017-2018
events and a trade figure; TRADE gives another figure for the same year.
"""
from __future__ import annotations

TREATY = ("July 12, 2021:\n"
          "China and North Korea renewed their 1961 friendship treaty in July 2021, state media said. "
          "Xi Jinping told Kim Jong Un that the two countries would stand together.\n")
TALKS = ("May 2, 2018:\n"
         "In 2017 Beijing suspended coal imports from Pyongyang under new United Nations restrictions. "
         "In March 2018 Chinese officials held talks with their North Korean counterparts in Beijing. "
         "Trade between China and North Korea reached $6.86 billion in 2014, customs data show.\n")
TRADE = ("June 1, 2019:\n"
         "Bilateral trade between China and North Korea stood at $5.1 billion in 2014, a ministry report said. "
         "Washington warned North Korea in 2017 of overwhelming force.\n")
DOCUMENTS = {"treaty": TREATY, "talks": TALKS, "trade": TRADE}


def build(path) -> None:
    """Extract and store the documents above into a SQLite file at ``path``."""
    import diplograph
    from diplograph.store import Store

    with Store(str(path)) as store:
        for name, text in DOCUMENTS.items():
            store.ingest(diplograph.extract(text, doc_id=name), name=name)
