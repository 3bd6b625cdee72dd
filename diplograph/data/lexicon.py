"""The event lexicon: schema, loader and lookup of the two data layers.

WHY: knowledge about which words report which PLOVER event lives in YAML an analyst can edit
(``events.yaml``, curated) or regenerate (``events_cameo.yaml``, compiled from PETRARCH2 through
CAMEO2PLOVER). This module checks both against a pydantic schema and compiles them into one
lookup: verb lemma -> ranked :class:`VerbRule` list, noun lemma -> :class:`NounRule` list.
The curated layer always outranks the generated one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from diplograph.model import PLOVER_TYPES

PloverType = Literal[PLOVER_TYPES]  # type: ignore[valid-type]
CURATED = "events.yaml"
GENERATED = "events_cameo.yaml"


# --------------------------------------------------------------------------- schema

class CuratedEntry(BaseModel):
    """One meaning: a PLOVER type (and mode) with the phrases and nouns that report it."""

    model_config = ConfigDict(extra="forbid")
    type: PloverType
    mode: Optional[str] = None
    verbs: list[str] = []
    nouns: list[str] = []

    @field_validator("verbs", "nouns")
    @classmethod
    def _no_blank(cls, items: list[str]) -> list[str]:
        for item in items:
            if not item.strip() or item != item.strip().lower():
                raise ValueError(f"phrase {item!r} must be lower case without outer spaces")
        return items


class FlagCues(BaseModel):
    """Words that mark a report as negated, hedged (speculated, alleged) or hypothetical."""

    model_config = ConfigDict(extra="forbid")
    negation: list[str]
    hedge_words: list[str]
    hedge_verbs: list[str]
    hypothetical_marks: list[str]
    hypothetical_aux: list[str]


class RoleCues(BaseModel):
    """Words and types that decide who is the source and target of a trigger (see events.py)."""

    model_config = ConfigDict(extra="forbid")
    # An infinitive under these nouns/adjectives is an intention, not an event ("a willingness
    # to hold talks", "ready to help").
    modality_words: list[str]
    # A request-like noun's infinitive is done by whom the request reaches: "X obeyed Y's
    # request to send troops" -> X sends.
    directive_nouns: list[str]
    # Verbs whose object does their infinitive even when the parser calls it a purpose clause
    # ("catalyzed Beijing to restore ties").
    causative_verbs: list[str]
    # Verbs that ask their object to do their infinitive ("urged X to withdraw"): X is its source,
    # the request is the event.
    directive_verbs: list[str]
    # "X passed a resolution, which imposed sanctions": X acts through these antecedents.
    instrument_nouns: list[str]
    # Nominal triggers of these types take their source from "of" ("the request of Russia");
    # other types take their target from it ("the invasion of Kashmir").
    agentive_of_types: list[PloverType]
    # Types that report an act between two parties: without a counterpart there is no event.
    dyadic_types: list[PloverType]
    # Types read as between the members of a plural source ("the two sides met").
    reciprocal_types: list[PloverType]
    # Nominal triggers of these types report an act without a target ("missile launches").
    self_contained_types: list[PloverType]
    # Material acts: a nominal one stays beside a verb event of another actor ("denounced the test").
    material_act_types: list[PloverType]
    # A negated report of these types is a refusal, PLOVER's REJECT ("did not support X").
    refusal_of: list[PloverType]
    # Prepositions of time and circumstance: whom they name is the setting, not a party.
    setting_preps: list[str]
    # Verbs that only place an event in time ("talks, which began in 1955").
    aspect_verbs: list[str]
    # Acts done to someone the sentence leaves unnamed ("the Russian aid stopped", "X cut off
    # most trade"): their target is the state the paragraph is about, when it clearly has one.
    implicit_target_types: list[PloverType] = []


class CuratedLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    particles: list[str]
    flags: FlagCues
    roles: RoleCues
    word_sets: dict[str, list[str]]
    light_verbs: list[str]
    not_events: list[str]
    events: list[CuratedEntry]


class GeneratedPattern(BaseModel):
    model_config = ConfigDict(extra="forbid")
    particle: Optional[str] = None
    object: list[str] = []
    prep: Optional[str] = None
    pobj: list[str] = []
    type: Optional[PloverType] = None
    mode: Optional[str] = None
    cameo: Optional[str] = None


class Reading(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Optional[PloverType] = None
    mode: Optional[str] = None
    cameo: Optional[str] = None


class GeneratedBlock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: Optional[PloverType] = None
    mode: Optional[str] = None
    cameo: Optional[str] = None
    verbs: dict[str, Optional[Reading]]
    patterns: list[GeneratedPattern] = []


class GeneratedLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    synsets: dict[str, list[str]]
    blocks: list[GeneratedBlock]


# --------------------------------------------------------------------------- compiled rules

@dataclass(frozen=True)
class VerbRule:
    """A verb reading; ``objects``/``particles`` empty means the bare verb.

    objects: head lemmas one of which must be the verb's object (or inanimate subject);
    particles: particles/prepositions that must all attach; pobj: heads for ``prep``'s object.
    """

    lemma: str
    type: Optional[str]
    mode: Optional[str]
    particles: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    pobj: frozenset[str] = frozenset()
    curated: bool = True
    source: str = ""  # the phrase or CAMEO code the rule came from

    @property
    def specificity(self) -> int:
        return (2 if self.objects else 0) + (2 if self.pobj else 0) + len(self.particles)


@dataclass(frozen=True)
class NounRule:
    lemma: str
    type: str
    mode: Optional[str]
    modifiers: frozenset[str] = frozenset()  # one must modify the noun; empty: the bare noun


@dataclass
class EventLexicon:
    verbs: dict[str, list[VerbRule]]
    nouns: dict[str, list[NounRule]]
    light_verbs: frozenset[str]
    particles: frozenset[str]
    flags: FlagCues
    roles: RoleCues

    def verb_rules(self, lemma: str) -> list[VerbRule]:
        """Rules for a verb, best first: curated before generated, specific before bare."""
        return self.verbs.get(lemma, [])

    def noun_rules(self, lemma: str) -> list[NounRule]:
        return self.nouns.get(lemma, [])


# --------------------------------------------------------------------------- loading

def _read(name: str) -> dict:
    text = resources.files("diplograph").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_curated(data: Optional[dict] = None) -> CuratedLexicon:
    return CuratedLexicon.model_validate(data if data is not None else _read(CURATED))


def load_generated(data: Optional[dict] = None) -> GeneratedLexicon:
    return GeneratedLexicon.model_validate(data if data is not None else _read(GENERATED))


def _expand(words: list[str], sets: dict[str, list[str]]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        if w.startswith("&"):
            name = w[1:]
            if name not in sets:
                raise ValueError(f"unknown word set {w!r}")
            out.update(sets[name])
        else:
            out.add(w)
    return frozenset(out)


def parse_phrase(phrase: str, particles: frozenset[str], sets: dict[str, list[str]],
                 entry: CuratedEntry) -> VerbRule:
    """'cut off &aid|trade' -> VerbRule(lemma='cut', particles={'off'}, objects={...})."""
    words = phrase.split()
    lemma, rest = words[0], words[1:]
    parts: set[str] = set()
    objects: frozenset[str] = frozenset()
    for w in rest:
        if w in particles:
            parts.add(w)
        elif objects:
            raise ValueError(f"phrase {phrase!r}: only one object slot ({w!r} is a second)")
        else:
            objects = _expand(w.split("|"), sets)
    return VerbRule(lemma, entry.type, entry.mode, frozenset(parts), objects, frozenset(), True, phrase)


def parse_noun(phrase: str, sets: dict[str, list[str]], entry: CuratedEntry) -> NounRule:
    """'&weapon test' -> NounRule('test', modifiers={missile, ...}); 'summit' -> bare noun."""
    words = phrase.split()
    if len(words) > 2:
        raise ValueError(f"noun {phrase!r}: at most one modifier slot and the noun")
    mods = _expand(words[0].split("|"), sets) if len(words) == 2 else frozenset()
    return NounRule(words[-1], entry.type, entry.mode, mods)


def compile_lexicon(curated: CuratedLexicon, generated: Optional[GeneratedLexicon]) -> EventLexicon:
    particles = frozenset(curated.particles)
    sets = curated.word_sets
    verbs: dict[str, list[VerbRule]] = {}
    nouns: dict[str, list[NounRule]] = {}
    for entry in curated.events:
        for phrase in entry.verbs:
            rule = parse_phrase(phrase, particles, sets, entry)
            verbs.setdefault(rule.lemma, []).append(rule)
        for phrase in entry.nouns:
            rule = parse_noun(phrase, sets, entry)
            nouns.setdefault(rule.lemma, []).append(rule)
    silent = CuratedEntry(type="AGREE")  # placeholder entry: the rules below get type None
    for phrase in curated.not_events:
        rule = parse_phrase(phrase, particles, sets, silent)
        verbs.setdefault(rule.lemma, []).append(
            VerbRule(rule.lemma, None, None, rule.particles, rule.objects, frozenset(), True, phrase))
    if generated is not None:  # a verb the curated layer knows takes none of the generated rules
        curated_verbs = set(verbs)
        for lemma, rule in _generated_rules(generated):
            if lemma not in curated_verbs:
                verbs.setdefault(lemma, []).append(rule)
    for rules in verbs.values():  # stable: curated first, then the more specific
        rules.sort(key=lambda r: (not r.curated, -r.specificity))
    for rules in nouns.values():
        rules.sort(key=lambda r: not r.modifiers)
    return EventLexicon(verbs, nouns, frozenset(curated.light_verbs), particles, curated.flags,
                        curated.roles)


def _generated_rules(gen: GeneratedLexicon):
    """(lemma, rule) pairs of the generated layer; multiword verbs become verb + particle."""
    sets = {k.lstrip("&"): v for k, v in gen.synsets.items()}
    for block in gen.blocks:
        for verb, own in block.verbs.items():
            words = verb.split()
            lemma, parts = words[0], frozenset(words[1:])
            default = own if own is not None else Reading(type=block.type, mode=block.mode,
                                                          cameo=block.cameo)
            for p in block.patterns:
                yield lemma, VerbRule(lemma, p.type, p.mode,
                                      parts | ({p.particle} if p.particle else set())
                                      | ({p.prep} if p.prep else set()),
                                      _expand(p.object, sets), _expand(p.pobj, sets),
                                      False, p.cameo or "")
            yield lemma, VerbRule(lemma, default.type, default.mode, parts, frozenset(),
                                  frozenset(), False, default.cameo or "")


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    """The compiled lexicon of the package's data files (loaded once per process)."""
    return compile_lexicon(load_curated(), load_generated())
