"""The errors a user can cause, each with one sentence that says what to do."""
from __future__ import annotations


class DiplographError(Exception):
    """Base class: ``str(err)`` is one line fit to show a user as is."""


class InputError(DiplographError):
    """An input cannot be read: missing, a directory, binary, empty, unknown format."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class DataError(DiplographError):
    """A data file (gazetteer, lexicon) does not match its schema."""
