"""The questions analysts ask of the knowledge base, as Python functions.

Each takes a ``Store`` (or an SQLAlchemy engine), reads with SQLAlchemy Core selects
(the same on SQLite and PostgreSQL) and returns plain dicts, ready for JSON, CSV or a
table; the CLI commands in ``diplograph.commands.query`` are thin shells over them.
Actors may be given by id (``CHN``), name or alias (``North Korea``); dates as EDTF.
"""
from diplograph.analytics.common import QueryError, resolve_actor
from diplograph.analytics.claims import contradictions
from diplograph.analytics.dyad import dyad_series
from diplograph.analytics.figures import figure_series
from diplograph.analytics.actors import Network, actors_list, network
from diplograph.analytics.events import timeline

__all__ = ["timeline", "dyad_series", "figure_series", "actors_list", "network", "Network", "contradictions",
           "resolve_actor", "QueryError"]
