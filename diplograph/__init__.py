"""diplograph: rebuild the system of international relations a text describes."""
from diplograph.model import Actor, Document, Event, Extraction, Quantity, Statement, Timex
from diplograph.pipeline import extract

__all__ = ["extract", "Extraction", "Document", "Actor", "Event", "Quantity", "Statement", "Timex"]
__version__ = "0.1.0"
