"""Schema and loader of the speech-cue lexicon (``speech.yaml``).

The lexicon is data an analyst edits; the schema catches a misspelt key or an
unknown complement type when it is loaded, not as a silent miss at run time.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

Complement = Literal["clause", "object", "infinitive"]


class VerbCue(BaseModel):
    """One speech or cognition verb and what must follow it to make a statement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    takes: list[Complement] = Field(min_length=1)
    objects: Optional[frozenset[str]] = None
    not_objects: frozenset[str] = frozenset()
    hedged: bool = False

    @field_validator("objects", "not_objects", mode="before")
    @classmethod
    def _lower(cls, value):
        return None if value is None else frozenset(str(v).lower() for v in value)


class SpeechLexicon(BaseModel):
    """The whole lexicon; ``verbs`` is keyed by the cue's words ("say", "make clear")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verbs: dict[str, VerbCue]
    report_nouns: frozenset[str]
    support_verbs: frozenset[str]
    hedged_nouns: frozenset[str]
    according_to: frozenset[str]
    view_nouns: frozenset[str]
    source_preps: frozenset[str]

    @field_validator("verbs")
    @classmethod
    def _keys_are_words(cls, verbs: dict[str, VerbCue]) -> dict[str, VerbCue]:
        for key in verbs:
            if not key or key != key.strip().lower() or "  " in key:
                raise ValueError(f"speech cue key {key!r} must be lower-case words separated by one space")
        return verbs

    def cues_for(self, lemma: str) -> list[tuple[tuple[str, ...], VerbCue]]:
        """Cues whose verb is ``lemma``: (words that must attach to it, cue), longest first."""
        found = [(tuple(key.split()[1:]), cue) for key, cue in self.verbs.items()
                 if key.split()[0] == lemma]
        return sorted(found, key=lambda pair: -len(pair[0]))

    def is_hedged(self, lemma: str) -> bool:
        """True when a cue with this lemma marks its content as uncertain (estimate, allege)."""
        lemma = lemma.lower()
        return lemma in self.hedged_nouns or any(c.hedged for _, c in self.cues_for(lemma))


@lru_cache(maxsize=1)
def load_speech_lexicon() -> SpeechLexicon:
    """The packaged lexicon, validated once per process."""
    raw = yaml.safe_load(files("diplograph.data").joinpath("speech.yaml").read_text(encoding="utf-8"))
    return SpeechLexicon.model_validate(raw)
