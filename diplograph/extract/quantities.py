"""Quantities: the figures a text reports, each with unit, bound, date, measure, subject and source.

Contract: ``extract_quantities(ctx) -> list[Quantity]`` (records in text order).

Why a grammar of our own: spaCy's MONEY/PERCENT/CARDINAL spans miss multipliers ("tenfold"),
ranks ("ranked fourth") and elliptical counts ("four meetings with X, three with Y"), and
general-purpose quantity parsers misread this genre ("Half a million" as 1.5 M). So numbers are
read token by token with a small English number grammar; the parse (heads, tags) says what a
number counts, and NER DATE spans say which numbers are years rather than amounts. All word
lists live in ``diplograph/data/units.yaml`` (``UnitsLexicon`` checks them).

Units follow ``../shared/eval/README.md``: ``USD`` (plain dollars), lower-case ISO 4217 codes
for other currencies (``rmb`` for the renminbi), ``percent``, ``person``, ``count``, ``ratio``,
``year`` (durations), ``rank``, and lower-case unit names (``km``, ``tonne``, ``day``, ...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from diplograph.model import Quantity, Span

# --------------------------------------------------------------------------- lexicon schema

BOUND_KINDS = ("gt", "ge", "lt", "le", "approx")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CurrencyEntry(_Strict):
    """One currency: the unit written in records and the ways a text writes it."""

    unit: str
    symbols: list[str] = []
    codes: list[str] = []
    names: list[str] = []
    usd_rate: float

    @field_validator("unit")
    @classmethod
    def _unit_form(cls, v: str) -> str:
        if v != "USD" and v != v.lower():
            raise ValueError(f"currency unit {v!r}: write USD or a lower-case code")
        return v


class UnitEntry(_Strict):
    """A unit noun: its surface words, the canonical unit (default: the key) and the factor."""

    words: list[str]
    unit: Optional[str] = None
    factor: float = 1.0


class MultiplierWords(_Strict):
    adverbs: dict[str, float]
    fold_suffix: str
    verbs: dict[str, float]


class DeclineWords(_Strict):
    nouns: list[str]
    verbs: list[str]


class Policy(_Strict):
    convert_to_usd: bool = False
    sequence_ordinals: bool = False


class UnitsLexicon(_Strict):
    """Schema of ``data/units.yaml``."""

    number_words: dict[str, float]
    scale_words: dict[str, float]
    scale_suffixes: dict[str, float]
    fractions: dict[str, float]
    vague_plurals: dict[str, float]
    ordinals: dict[str, int]
    bounds: dict[str, list[str]]
    multipliers: MultiplierWords
    decline: DeclineWords
    percent_words: list[str]
    currencies: list[CurrencyEntry]
    policy: Policy
    units: dict[str, UnitEntry]
    duration_units: list[str]
    person_nouns: list[str]
    ratio_after_times: list[str]
    identifier_nouns: list[str]
    anaphoric_determiners: list[str]
    ranking_verbs: list[str]
    top_words: list[str]
    rank_nouns: list[str]
    superlatives: list[str]
    source_cues: list[str]
    source_verbs: list[str]
    reference_nouns: list[str]
    age_words: list[str]
    relative_time_words: list[str]
    # Measures that always have two parties ("bilateral trade"): without named subjects they
    # are between the two states the paragraph is about.
    paired_measure_words: list[str] = []

    @field_validator("bounds")
    @classmethod
    def _known_bounds(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(BOUND_KINDS)
        if unknown:
            raise ValueError(f"unknown bound kinds {sorted(unknown)}; use {BOUND_KINDS}")
        return v

    @field_validator("number_words", "scale_words", "vague_plurals", "fractions", "ordinals")
    @classmethod
    def _lower_keys(cls, v: dict) -> dict:
        bad = [k for k in v if k != k.lower()]
        if bad:
            raise ValueError(f"word keys must be lower case: {bad}")
        return v


def _key(text: str) -> str:
    """Phrase key: lower case, single spaces, so any tokenisation of a phrase matches."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Lexicon:
    """The lexicon compiled into lookup tables keyed by ``_key`` phrases."""

    raw: UnitsLexicon
    bounds: dict[str, str]                       # phrase -> bound
    percent: frozenset[str]
    currency_prefix: dict[str, CurrencyEntry]    # symbols and codes
    currency_suffix: dict[str, CurrencyEntry]    # names and codes
    unit_words: dict[str, tuple[str, float]]     # phrase -> (unit, factor)
    decline_nouns: frozenset[str]
    decline_verbs: frozenset[str]
    person_nouns: frozenset[str]
    ratio_after_times: frozenset[str]
    identifier_nouns: frozenset[str]
    anaphoric: frozenset[str]
    ranking_verbs: frozenset[str]
    top_words: frozenset[str]
    rank_nouns: frozenset[str]
    superlatives: frozenset[str]
    source_cues: frozenset[str]
    source_verbs: frozenset[str]
    duration_units: frozenset[str]
    reference_nouns: frozenset[str] = frozenset()
    age_words: frozenset[str] = frozenset()
    max_phrase_tokens: int = 5


def compile_lexicon(raw: UnitsLexicon) -> Lexicon:
    """Turn the validated YAML into the lookup tables the grammar uses."""
    bounds = {_key(p): kind for kind, phrases in raw.bounds.items() for p in phrases}
    prefix, suffix = {}, {}
    for cur in raw.currencies:
        for s in cur.symbols + cur.codes:
            prefix[_key(s)] = cur
        for s in cur.names + cur.codes:
            suffix[_key(s)] = cur
    unit_words = {}
    for name, entry in raw.units.items():
        for w in entry.words:
            unit_words[_key(w)] = (entry.unit or name, entry.factor)
    fs = frozenset
    return Lexicon(
        raw=raw, bounds=bounds, percent=fs(_key(p) for p in raw.percent_words),
        currency_prefix=prefix, currency_suffix=suffix, unit_words=unit_words,
        decline_nouns=fs(raw.decline.nouns), decline_verbs=fs(raw.decline.verbs),
        person_nouns=fs(raw.person_nouns), ratio_after_times=fs(raw.ratio_after_times),
        identifier_nouns=fs(_key(w) for w in raw.identifier_nouns),
        anaphoric=fs(raw.anaphoric_determiners), ranking_verbs=fs(raw.ranking_verbs),
        top_words=fs(raw.top_words), rank_nouns=fs(_key(w) for w in raw.rank_nouns),
        superlatives=fs(raw.superlatives), source_cues=fs(_key(w) for w in raw.source_cues),
        source_verbs=fs(raw.source_verbs), duration_units=fs(raw.duration_units),
        reference_nouns=fs(raw.reference_nouns), age_words=fs(raw.age_words),
    )


def read_units_yaml() -> UnitsLexicon:
    """Load and validate ``data/units.yaml`` from the installed package."""
    text = resources.files("diplograph").joinpath("data/units.yaml").read_text(encoding="utf-8")
    return UnitsLexicon.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    return compile_lexicon(read_units_yaml())


# --------------------------------------------------------------------------- number grammar

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_GLUED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]+\d?)$")
_FOLD = re.compile(r"^([a-z]+|\d+(?:\.\d+)?)-?fold$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class NumberPhrase:
    """A number read from tokens ``[start, end)``: value, and how it was written."""

    start: int
    end: int
    value: float
    vague: bool = False      # "hundreds of thousands": a lower bound
    spelled: bool = False    # written in words
    unit_hint: Optional[tuple[str, float]] = None  # a unit glued to the digits ("10km")
    text: str = ""


def _tok_lower(doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def parse_number(doc, i: int, end: int, lex: Lexicon) -> Optional[NumberPhrase]:
    """Read the number that starts at token ``i`` (not past ``end``), or None.

    Handles digits with scale words ("6.86 billion"), glued scales ("5bn"), spelled numbers
    ("twenty-one", "two hundred thousand"), "half a million", "a dozen" and vague plurals
    ("hundreds of thousands").
    """
    raw = lex.raw
    t = _tok_lower(doc, i)
    if _DIGITS.match(t):
        value, j = float(t.replace(",", "")), i + 1
        if j < end and not doc[i].whitespace_ and _tok_lower(doc, j) in raw.scale_suffixes:
            value, j = value * raw.scale_suffixes[_tok_lower(doc, j)], j + 1  # "300m" split by the tokenizer
        value, j = _apply_scales(doc, j, end, value, lex)
        return NumberPhrase(i, j, value)
    glued = _GLUED.match(t)
    if glued:
        number, suffix = float(glued.group(1).replace(",", "")), glued.group(2)
        if suffix in raw.scale_suffixes:
            return NumberPhrase(i, i + 1, number * raw.scale_suffixes[suffix])
        if suffix in lex.unit_words:
            return NumberPhrase(i, i + 1, number, unit_hint=lex.unit_words[suffix])
        return None
    if t in raw.fractions and _tok_lower(doc, i + 1) in ("a", "an") and i + 2 < end \
            and _tok_lower(doc, i + 2) in raw.scale_words:
        value, j = _apply_scales(doc, i + 2, end, raw.fractions[t], lex)
        return NumberPhrase(i, j, value, spelled=True)
    if t in ("a", "an") and i + 1 < end and (
            _tok_lower(doc, i + 1) in raw.scale_words or _tok_lower(doc, i + 1) == "dozen"):
        if _tok_lower(doc, i + 1) == "dozen":
            return NumberPhrase(i, i + 2, 12.0, spelled=True)
        value, j = _apply_scales(doc, i + 1, end, 1.0, lex)
        return NumberPhrase(i, j, value, spelled=True)
    if t in ("a", "an") and lex.unit_words.get(_tok_lower(doc, i + 1), ("", 1.0))[1] > 1:
        return NumberPhrase(i, i + 1, 1.0, spelled=True)  # "a decade", "a century"
    if t in raw.vague_plurals and _tok_lower(doc, i + 1) == "of":
        value, j = raw.vague_plurals[t], i + 1
        while j + 1 < end and _tok_lower(doc, j) == "of" and (
                _tok_lower(doc, j + 1) in raw.vague_plurals or _tok_lower(doc, j + 1) in raw.scale_words):
            nxt = _tok_lower(doc, j + 1)
            value *= raw.vague_plurals.get(nxt) or raw.scale_words[nxt]
            j += 2
        return NumberPhrase(i, j, value, vague=True, spelled=True)
    if t in raw.number_words:
        return _parse_spelled(doc, i, end, lex)
    return None


def _apply_scales(doc, j: int, end: int, value: float, lex: Lexicon) -> tuple[float, int]:
    """Multiply by the scale words that follow ("2.3 billion", "half a million")."""
    while j < end:
        k = _skip_space(doc, j, end)
        if _tok_lower(doc, k) not in lex.raw.scale_words:
            break
        value *= lex.raw.scale_words[_tok_lower(doc, k)]
        j = k + 1
    return value, j


def _skip_space(doc, j: int, end: int) -> int:
    """The next token that is not whitespace (a no-break space is a token of its own)."""
    while j < end and j < len(doc) and doc[j].is_space:
        j += 1
    return j


def _parse_spelled(doc, i: int, end: int, lex: Lexicon) -> Optional[NumberPhrase]:
    """Spelled cardinals: "eleven", "twenty-one", "two hundred and five", "three dozen"."""
    words, scales = lex.raw.number_words, lex.raw.scale_words
    total, current, j, last = 0.0, 0.0, i, None
    while j < end:
        t = _tok_lower(doc, j)
        if t in ("-", "and") and last is not None and j + 1 < end and _tok_lower(doc, j + 1) in words:
            nxt = words[_tok_lower(doc, j + 1)]
            joins_tens = t == "-" and last in ("tens",) and nxt < 10
            joins_hundreds = t == "and" and last == "scale"
            if not (joins_tens or joins_hundreds):
                break
            j += 1
            continue
        if t == "dozen":
            current = (current or 1) * 12
            last = "scale"
        elif t in words:
            if last in ("unit", "tens") and not (last == "tens" and words[t] < 10):
                break
            current += words[t]
            last = "tens" if 20 <= words[t] < 100 and words[t] % 10 == 0 else "unit"
        elif t in scales and last is not None:
            scale = scales[t]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
            last = "scale"
        else:
            break
        j += 1
    if j == i:
        return None
    return NumberPhrase(i, j, total + current, spelled=True)


def match_forward(doc, i: int, end: int, table, max_tokens: int = 5) -> tuple[Optional[str], int]:
    """Longest phrase of ``table`` that starts at token ``i``: (phrase key, end token)."""
    for n in range(min(max_tokens, end - i), 0, -1):
        key = _key(doc[i:i + n].text)
        if key in table:
            return key, i + n
    return None, i


def match_backward(doc, i: int, start: int, table, max_tokens: int = 4) -> tuple[Optional[str], int]:
    """Longest phrase of ``table`` that ends just before token ``i``: (phrase key, start token)."""
    for n in range(min(max_tokens, i - start), 0, -1):
        key = _key(doc[i - n:i].text)
        if key in table:
            return key, i - n
    return None, i


# --------------------------------------------------------------------------- readings

@dataclass
class Reading:
    """One quantity found in a sentence, before its context (date, subject, source) is added."""

    start: int                 # first token of the whole phrase (bound included)
    end: int                   # token after the phrase (unit included, counted noun excluded)
    value: float
    unit: str
    anchor: int                # the token whose head tells which clause the figure is in
    bound: str = "eq"
    raw_unit: Optional[str] = None
    counted: Optional[int] = None   # token of the counted noun ("troops")
    measure: Optional[str] = None


def _is_plural_noun(tok) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NNS", "NNPS")


def _counted_noun(doc, num: NumberPhrase, j: int, sent_end: int):
    """The noun a number counts: its head noun to the right, reached over modifiers only."""
    if num.vague:  # "hundreds of thousands of refugees": the object of the last "of"
        if j < sent_end and doc[j].lower_ == "of":
            for k in range(j + 1, min(sent_end, j + 7)):
                if doc[k].dep_ == "pobj" and doc[k].head.i == j or doc[k].pos_ in ("NOUN", "PROPN") \
                        and k + 1 < sent_end and doc[k + 1].pos_ not in ("NOUN", "PROPN"):
                    return doc[k]
        return None
    last = doc[num.end - 1]
    head = last.head
    while head.i < num.end and head.i >= num.start and head.head.i != head.i:
        head = head.head  # climb inside the number phrase ("a million" -> "million")
    if head.i >= j and head.pos_ in ("NOUN", "PROPN") and head.i - j <= 6 and head.i < sent_end:
        if all(doc[k].pos_ in ("ADJ", "PROPN", "NOUN", "PUNCT", "ADV", "VERB")
               and doc[k].lower_ not in (",", ";", "(", ")") for k in range(j, head.i)):
            return head
    if j < sent_end and doc[j].pos_ in ("NOUN", "PROPN") and doc[j].dep_ != "compound":
        return doc[j]
    return None


def _times_is_ratio(doc, k: int, sent_end: int, lex: Lexicon) -> bool:
    """ "five times more"/"three times the size" is a multiplier; "met four times" a count."""
    if k >= sent_end:
        return False
    if doc[k].lower_ == "as":  # "twice as many/large" is a ratio, "twice as prime minister" is not
        return k + 1 < sent_end and (doc[k + 1].pos_ in ("ADJ", "ADV") or doc[k + 1].lower_ in ("many", "much"))
    return doc[k].lower_ in lex.ratio_after_times or doc[k].tag_ in ("JJR", "RBR")


def read_unit(doc, num: NumberPhrase, sent_end: int, lex: Lexicon, currency: Optional[CurrencyEntry]):
    """What the number measures: (unit, factor, raw unit, end token, counted noun token)."""
    j = _skip_space(doc, num.end, sent_end)
    if currency is not None:
        key, k = match_forward(doc, j, sent_end, lex.currency_suffix)
        return currency.unit, 1.0, currency.codes[0] if currency.codes else currency.unit, k, None
    if num.unit_hint:
        return num.unit_hint[0], num.unit_hint[1], num.unit_hint[0], j, None
    key, k = match_forward(doc, j, sent_end, lex.percent)
    if key:
        return "percent", 1.0, key, k, None
    hyphen = j if _tok_lower(doc, j) == "-" else None
    after = j + 1 if hyphen is not None else j
    if _tok_lower(doc, after) == lex.raw.multipliers.fold_suffix:
        return "ratio", 1.0, "fold", after + 1, None
    more = after if _tok_lower(doc, after) in ("more", "additional", "other") else None
    times_at = more + 1 if more is not None else after
    if _tok_lower(doc, times_at) == "times":
        if more is None and _times_is_ratio(doc, times_at + 1, sent_end, lex):
            return "ratio", 1.0, "times", times_at + 1, None
        return "count", 1.0, "times", times_at + 1, None
    key, k = match_forward(doc, j, sent_end, lex.currency_suffix)
    if key and not (key == "won" and doc[j].pos_ == "VERB"):
        cur = lex.currency_suffix[key]
        return cur.unit, 1.0, key, k, None
    key, k = match_forward(doc, after, sent_end, lex.unit_words)
    if key and _unit_word_ok(doc[after], key):
        unit, factor = lex.unit_words[key]
        return unit, factor, key, k, None
    noun = _counted_noun(doc, num, j, sent_end)
    if noun is not None:
        if noun.lemma_.lower() in lex.person_nouns or noun.lower_ in lex.person_nouns or (
                noun.ent_type_ == "NORP" and _is_plural_noun(noun)):
            return "person", 1.0, noun.lower_, j, noun
        if _is_plural_noun(noun):
            return "count", 1.0, noun.lower_, j, noun
    return None, 1.0, None, j, None


_UPPER_UNITS = ("MW", "GW", "KM", "KT", "MWE", "KWH")


def _unit_word_ok(tok, key: str) -> bool:
    """Abbreviations of two letters or fewer ("t", "ha", "ft") count only as written in lower
    case, or as the usual capitals of power units ("MW"), so names and initials stay out."""
    return len(key) > 2 or tok.text == key or tok.text in _UPPER_UNITS


def read_bound(doc, start: int, sent_start: int, lex: Lexicon, vague: bool) -> tuple[str, int]:
    """The comparison phrase before a number ("more than", "about"): (bound, first token)."""
    key, k = match_backward(doc, start, sent_start, lex.bounds)
    if key:
        return lex.bounds[key], k
    return ("gt" if vague else "eq"), start


def _in_entity(doc, i: int, labels: tuple[str, ...]) -> bool:
    return doc[i].ent_type_ in labels


def _is_identifier(doc, i: int, lex: Lexicon) -> bool:
    """ "Resolution 1718", "Article 5", "F-16", "COVID-19": a name, not an amount."""
    prev = doc[i - 1] if i > 0 else None
    if prev is None:
        return False
    if (prev.lower_ in lex.identifier_nouns or prev.lemma_.lower() in lex.identifier_nouns) \
            and prev.pos_ not in ("VERB", "AUX"):
        return True
    if prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.is_sent_start \
            and _DIGITS.match(doc[i].text) and prev.ent_type_ not in ("DATE", "TIME"):
        return True  # model numbers: "Boeing 747", "Heinkel He 280"
    if prev.text in ("-", "/") and not prev.whitespace_ and i > 1 and doc[i - 2].is_alpha \
            and not doc[i - 2].whitespace_ and doc[i - 2].lower_ not in lex.raw.number_words:
        return True
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return nxt is not None and nxt.text == "-" and not doc[i].whitespace_ and i + 2 < len(doc) \
        and (doc[i + 2].lower_ in lex.raw.ordinals or doc[i + 2].lower_.rstrip("s") in lex.raw.ordinals
             or doc[i + 2].lower_ == "point")


def _year_like(doc, num: NumberPhrase) -> bool:
    return num.end - num.start == 1 and bool(_YEAR.match(doc[num.start].text)) \
        and 1000 <= num.value <= 2100


def _is_decline(doc, reading_end: int, unit_tok, lex: Lexicon) -> bool:
    """A percentage or amount of change downwards: "a 4.5 percent decline", "fell by 3 percent"."""
    k = reading_end + (1 if _tok_lower(doc, reading_end) == "-" else 0)
    if k < len(doc) and doc[k].lemma_.lower() in lex.decline_nouns and doc[k].pos_ == "NOUN":
        return True
    head, via = unit_tok.head, None
    if head.lower_ in ("by",):
        via, head = head, head.head
    if unit_tok.head.lower_ in ("to", "at", "from"):
        return False
    return head.pos_ == "VERB" and head.lemma_.lower() in lex.decline_verbs \
        and (via is not None or unit_tok.dep_ in ("dobj", "npadvmod", "advmod", "obj", "attr"))


def _read_number_at(doc, i: int, sent, lex: Lexicon, previous: list[Reading]) -> Optional[Reading]:
    """A quantity whose number starts at token ``i`` (after any currency sign), or None."""
    sent_start, sent_end = sent.start, sent.end
    num = parse_number(doc, i, sent_end, lex)
    if num is None:
        return None
    currency, phrase_start = None, i
    key, k = match_backward(doc, i, sent_start, lex.currency_prefix, max_tokens=3)
    if key:
        currency, phrase_start = lex.currency_prefix[key], k
    if currency is None and _is_identifier(doc, i, lex):
        return None
    unit, factor, raw_unit, unit_end, counted = read_unit(doc, num, sent_end, lex, currency)
    in_date = _in_entity(doc, i, ("DATE", "TIME"))
    if currency is None and (_in_entity(doc, i, _NAME_ENTITIES) or _in_title(doc, num, unit_end)):
        return None
    if unit in lex.duration_units and (_is_age(doc, phrase_start, unit_end, lex)
                                       or _tok_lower(doc, unit_end) in lex.raw.relative_time_words):
        return None
    if unit in lex.duration_units or (unit == "year"):
        pass  # "another twenty years", "a decade": durations are quantities even inside DATE
    elif in_date and currency is None and unit != "percent":
        return None
    if currency is None and _year_like(doc, num) and unit in (None, "count", "year"):
        return None
    value = num.value * factor
    if unit is None:
        return _elliptical(doc, num, sent_end, lex, previous)
    if unit in ("count", "person") and _skip_count(doc, num, phrase_start, lex):
        return None
    bound, first = read_bound(doc, phrase_start, sent_start, lex, num.vague)
    if unit == "USD" or (currency is not None) or unit in {c.unit for c in lex.raw.currencies}:
        value, unit = _convert_currency(value, unit, lex)
    anchor = doc[unit_end - 1] if unit_end > num.end else doc[num.end - 1]
    if unit == "percent" or unit in {c.unit for c in lex.raw.currencies} or unit == "USD":
        if _is_decline(doc, unit_end, anchor, lex):
            value = -abs(value)
    return Reading(first, unit_end, value, unit, anchor.i, bound, raw_unit,
                   counted.i if counted is not None else None)


_NAME_ENTITIES = ("EVENT", "WORK_OF_ART", "LAW", "ORG", "FAC", "PRODUCT", "PERSON", "GPE", "LOC", "NORP")


def _in_title(doc, num: NumberPhrase, unit_end: int) -> bool:
    """A capitalised number word inside a name ("the Seven Years' War", "the Big Three")."""
    first = doc[num.start]
    if not num.spelled or not first.text[:1].isupper() or first.is_sent_start:
        return False
    nxt = doc[unit_end] if unit_end < len(doc) and unit_end > num.end else (
        doc[num.end] if num.end < len(doc) else None)
    return nxt is None or nxt.text[:1].isupper() or not nxt.is_alpha


def _is_age(doc, start: int, end: int, lex: Lexicon) -> bool:
    """ "7 years old", "aged 60 years", "the ages of 16 and 60 years": an age, not a span of time."""
    after = _tok_lower(doc, end) if _tok_lower(doc, end) != "-" else _tok_lower(doc, end + 1)
    before = {_tok_lower(doc, start - 1), _tok_lower(doc, start - 2), _tok_lower(doc, start - 3)}
    return after in lex.age_words or bool(before & (lex.age_words - {"old"}))


def _skip_count(doc, num: NumberPhrase, phrase_start: int, lex: Lexicon) -> bool:
    """Counts that are not reported figures: "one China", "the two countries", "one of them"."""
    if num.spelled and num.value == 1 and not num.vague:
        return True
    prev = _tok_lower(doc, phrase_start - 1)
    return prev in lex.anaphoric and num.spelled and num.value <= 10


def _convert_currency(value: float, unit: str, lex: Lexicon) -> tuple[float, str]:
    """Keep the currency written, unless the policy asks for US dollars throughout."""
    if unit == "USD" or not lex.raw.policy.convert_to_usd:
        return value, unit
    rate = next(c.usd_rate for c in lex.raw.currencies if c.unit == unit)
    return value * rate, "USD"


_ELLIPSIS_REACH = 12  # tokens between a count and the bare number that repeats its noun


def _elliptical(doc, num: NumberPhrase, sent_end: int, lex: Lexicon,
                previous: list[Reading]) -> Optional[Reading]:
    """ "four meetings with Xi, three with Moon": a bare number takes the count before it."""
    if num.vague or num.value <= 1 or _year_like(doc, num) or _in_entity(doc, num.start, ("DATE", "TIME")):
        return None
    nxt = doc[num.end] if num.end < sent_end else None
    if nxt is not None and not (nxt.pos_ in ("ADP", "CCONJ") or nxt.text in (",", ";", ".", ")")) \
            or nxt is not None and nxt.lower_ in ("of", "to"):
        return None
    if not previous or previous[-1].unit not in ("count", "person") or previous[-1].counted is None:
        return None
    before = previous[-1]
    if num.start - before.end > _ELLIPSIS_REACH:
        return None
    if _tok_lower(doc, num.start - 1) in lex.anaphoric:
        return None
    return Reading(num.start, num.end, num.value, before.unit, num.end - 1, "eq", before.raw_unit,
                   before.counted)


def _read_multiplier(doc, i: int, sent, lex: Lexicon) -> Optional[Reading]:
    """ "tenfold", "10-fold", "doubled", "twice": multipliers (ratio) and repeat counts."""
    tok = doc[i]
    low = tok.lower_
    raw = lex.raw
    value, unit = None, "ratio"
    fold = _FOLD.match(low)
    if fold:
        stem = fold.group(1)
        value = float(stem) if stem[0].isdigit() else (raw.number_words.get(stem) or raw.scale_words.get(stem))
    elif low in raw.multipliers.adverbs:
        value = raw.multipliers.adverbs[low]
        if not _times_is_ratio(doc, i + 1, sent.end, lex):
            unit = "count"
    elif tok.pos_ == "VERB" and tok.lemma_.lower() in raw.multipliers.verbs \
            and _tok_lower(doc, i + 1) not in ("down", "up", "as"):
        value = raw.multipliers.verbs[tok.lemma_.lower()]
    if value is None:
        return None
    bound, first = read_bound(doc, i, sent.start, lex, False)
    return Reading(first, i + 1, float(value), unit, i, bound, low)


def _ordinal_value(tok, lex: Lexicon) -> Optional[int]:
    m = _ORDINAL_DIGITS.match(tok.lower_)
    return int(m.group(1)) if m else lex.raw.ordinals.get(tok.lower_)


def _read_rank(doc, i: int, sent, lex: Lexicon) -> Optional[Reading]:
    """Ranks in an ordering: "ranked fourth", "the third-largest", "top trading partner"."""
    tok = doc[i]
    if tok.lower_ in lex.top_words:
        key, k = match_forward(doc, i + 1, sent.end, lex.rank_nouns, max_tokens=2)
        if key is None:
            key, k = match_forward(doc, i + 1, sent.end, {_key(w) + "s" for w in lex.rank_nouns}, 2)
        if key:
            return Reading(i, i + 1, 1.0, "rank", i, "eq", tok.lower_, measure=key.rstrip("s"))
        return None
    value = _ordinal_value(tok, lex)
    if value is None or _in_entity(doc, i, ("DATE", "TIME")):
        return None
    j = i + 1 + (1 if _tok_lower(doc, i + 1) == "-" else 0)
    if _tok_lower(doc, j) in lex.superlatives:
        return Reading(i, j + 1, float(value), "rank", i, "eq", doc[i:j + 1].text)
    for back in range(1, 4):
        k = i - back
        if k < sent.start:
            break
        if doc[k].lemma_.lower() in lex.ranking_verbs and doc[k].pos_ in ("VERB", "AUX"):
            return Reading(i, i + 1, float(value), "rank", i, "eq", doc[k].lower_)
        if doc[k].lower_ not in ("as", "the", "number", "no.", "in"):
            break
    if lex.raw.policy.sequence_ordinals and tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN") \
            and tok.head.lower_ not in ("time", "party"):
        return Reading(i, i + 1, float(value), "rank", i, "eq", tok.lower_)
    return None


def read_sentence(doc, sent, lex: Lexicon) -> list[Reading]:
    """All quantities of one sentence, left to right, each token used once."""
    found: list[Reading] = []
    used: set[int] = set()
    i = sent.start
    while i < sent.end:
        if i in used:
            i += 1
            continue
        reading = _read_multiplier(doc, i, sent, lex) or _read_rank(doc, i, sent, lex) \
            or _read_number_at(doc, i, sent, lex, found)
        if reading is None:
            i += 1
            continue
        if any(k in used for k in range(reading.start, i)):
            reading.start = i  # a bound phrase cannot reach back into the figure before it
        found.append(reading)
        used.update(range(reading.start, max(reading.end, i + 1)))
        i = max(reading.end, i + 1)
    return found


# --------------------------------------------------------------------------- context of a figure

_CLAUSAL = ("advcl", "conj", "ccomp", "relcl", "parataxis", "acl")


def governing_verb(tok):
    """The verb of the clause a token sits in (or the sentence root)."""
    cur = tok
    for _ in range(40):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod" or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def clause_bounds(doc, anchor, verb) -> tuple[int, int]:
    """Token range of the clause of ``verb`` that holds ``anchor``, without sister clauses."""
    start, end = verb.left_edge.i, verb.right_edge.i + 1
    for child in verb.children:
        if child.dep_ not in _CLAUSAL or child.left_edge.i <= anchor.i <= child.right_edge.i:
            continue
        if child.left_edge.i > anchor.i and child.left_edge.i > verb.i:
            end = min(end, child.left_edge.i)
        elif child.right_edge.i < anchor.i and child.right_edge.i < verb.i:
            start = max(start, child.right_edge.i + 1)
    for k in range(max(start, anchor.i + 1), end):  # a missed sentence break (".The") ends it
        if len(doc[k].text) > 1 and doc[k].text[0] in ".!?" and doc[k].text[1:2].isupper():
            end = k
            break
    while end - 1 > start and _is_edge_filler(doc[end - 1]):
        end -= 1
    while start < end - 1 and _is_edge_filler(doc[start]):
        start += 1
    return start, end


def _is_edge_filler(tok) -> bool:
    return tok.is_punct or tok.is_space or tok.pos_ == "CCONJ"


def noun_phrase_lemma(tok) -> str:
    """ "North Korea's total imports and exports" -> "total import and export"."""
    keep = {tok.i}
    stack = [tok]
    while stack:
        cur = stack.pop()
        for child in cur.children:
            if child.dep_ in ("compound", "amod", "conj", "cc") and child.pos_ not in ("NUM",) \
                    and child.i not in keep:
                keep.add(child.i)
                stack.append(child)
    doc = tok.doc
    return " ".join(doc[k].lemma_.lower() for k in sorted(keep) if not doc[k].is_punct)


def _subject_of(verb) -> Optional[str]:
    cur = verb
    for _ in range(3):
        for child in cur.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
                return noun_phrase_lemma(child)
        if cur.dep_ in ("advcl", "xcomp", "conj", "acl") and cur.head.i != cur.i:
            cur = cur.head
        else:
            break
    return None


def measure_of(doc, reading: Reading, verb, lex: Lexicon) -> Optional[str]:
    """What the figure measures: the counted noun, the "of" object of a share, or the subject."""
    if reading.measure:
        return reading.measure
    if reading.counted is not None:
        return noun_phrase_lemma(doc[reading.counted])
    if reading.unit in lex.duration_units:
        return None
    if reading.unit == "count":  # "met four times", "travelled there twice": the repeated act
        return verb.lemma_.lower() if verb.pos_ in ("VERB", "AUX") else None
    k = reading.end
    if k < len(doc) and doc[k].lower_ in ("of", "in") or (
            k < len(doc) and doc[k].lemma_.lower() in lex.decline_nouns and _tok_lower(doc, k + 1) == "in"):
        if doc[k].lower_ not in ("of", "in"):
            k += 1
        for child in doc[k].children:
            if child.dep_ == "pobj" and child.pos_ != "NUM" and child.lemma_.lower() not in lex.reference_nouns:
                return noun_phrase_lemma(child)
    return _subject_of(verb)


def _span_chars(doc, start_tok: int, end_tok: int) -> tuple[int, int]:
    """Character range of tokens ``[start_tok, end_tok)``, without trailing whitespace tokens."""
    while end_tok - 1 > start_tok and doc[end_tok - 1].is_space:
        end_tok -= 1
    return doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])


def cited_sources(ctx, sent, anchor, lex: Lexicon) -> list[str]:
    """Actors the sentence cites for a figure: "according to X", "X estimates that ..."."""
    if ctx.actors is None:
        return []
    doc = ctx.doc
    out: list[str] = []
    i = sent.start
    while i < sent.end:
        key, k = match_forward(doc, i, sent.end, lex.source_cues, max_tokens=3)
        if key:
            right = max(t.right_edge.i for t in doc[i:k])
            a, b = _span_chars(doc, k, max(right + 1, k + 1))
            out += [x for x in ctx.actors.ids_in(a, b) if x not in out]
            i = k
        else:
            i += 1
    cur = anchor
    for _ in range(40):
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in lex.source_verbs:
            for child in cur.head.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    a, b = _span_chars(doc, child.left_edge.i, child.right_edge.i + 1)
                    out += [x for x in ctx.actors.ids_in(a, b) if x not in out]
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return out


_NONFINITE_DEPS = ("advcl", "xcomp", "acl", "conj", "relcl")


def date_of(ctx, doc, anchor, verb, span: tuple[int, int]) -> Optional[str]:
    """The date of the figure's clause; a participle clause ("totaling $2 billion") has no tense
    of its own, so without a time expression it takes the date of the clause it hangs on."""
    if ctx.timeline is None:
        return None
    date = ctx.timeline.date_for(span[0], span[1], trigger=verb)
    if date is None and verb.tag_ in ("VBG", "VBN") and verb.dep_ in _NONFINITE_DEPS \
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        parent = governing_verb(verb.head)
        p_start, p_end = clause_bounds(doc, verb, parent)
        date = ctx.timeline.date_for(*_span_chars(doc, p_start, p_end), trigger=parent)
    return date


def to_quantity(ctx, sent, reading: Reading, lex: Lexicon) -> Quantity:
    """Place a reading in its clause: evidence, date, measure, subject and cited source."""
    doc = ctx.doc
    anchor = doc[reading.anchor]
    verb = governing_verb(anchor)
    c_start, c_end = clause_bounds(doc, anchor, verb)
    c_start, c_end = min(c_start, reading.start), max(c_end, reading.end)
    ev_a, ev_b = _span_chars(doc, c_start, c_end)
    m_a, m_b = _span_chars(doc, reading.start, reading.end)
    date = date_of(ctx, doc, anchor, verb, (ev_a, ev_b))
    subject = ctx.actors.ids_in(ev_a, ev_b) if ctx.actors is not None else []
    value = reading.value
    if float(value).is_integer():
        value = int(value)
    return Quantity(value=value, unit=reading.unit, evidence=Span(ev_a, ev_b), mention=Span(m_a, m_b),
                    bound=reading.bound, date=date, measure=measure_of(doc, reading, verb, lex),
                    subject=list(subject), cited_source=cited_sources(ctx, sent, anchor, lex),
                    raw_unit=reading.raw_unit)


def extract_quantities(ctx) -> list[Quantity]:
    """Every figure of the document, in text order, with its clause as evidence."""
    lex = load_lexicon()
    body_start = getattr(ctx.document, "body_start", 0) or 0
    out: list[Quantity] = []
    for sent in ctx.doc.sents:
        if sent.end_char <= body_start:
            continue  # the dateline and title carry no figures
        for reading in read_sentence(ctx.doc, sent, lex):
            out.append(to_quantity(ctx, sent, reading, lex))
    _fill_subjects_from_focus(out, ctx, lex)
    return out


def _fill_subjects_from_focus(quantities: list[Quantity], ctx, lex: Lexicon) -> None:
    """Figures whose clause names nobody take the state(s) their paragraph is about.

    "Bilateral trade peaked at $6.86 billion" in a paragraph on China and North Korea is
    their trade: a two-party measure takes the paragraph's two most-named states; any
    other measure its one clear focus state ("10 percent of the population").
    """
    if not hasattr(ctx.actors, "states_in_focus"):
        return
    paired = tuple(w.lower() for w in lex.raw.paired_measure_words)
    text = ctx.document.text
    for q in quantities:
        if q.subject or q.unit in ("year", "rank") or not q.measure:
            continue
        start = text.rfind("\n", 0, q.evidence.start) + 1
        end = text.find("\n", q.evidence.end)
        end = len(text) if end < 0 else end
        exclude = q.cited_source
        if any(w in q.measure.lower().split() for w in paired):
            ranked = ctx.actors.states_in_focus(start, end, exclude=exclude)
            if len(ranked) >= 2:
                q.subject = sorted(aid for aid, _ in ranked[:2])
        else:
            focus = ctx.actors.clear_focus(start, end, exclude=exclude)
            if focus is not None:
                q.subject = [focus]
