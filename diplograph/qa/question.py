"""Read a question: what kind of answer it wants, about whom, when, and in which words.

The question goes through the same pipeline as a document (so "North Korea", "Kim" and
"in 2000" become actor ids and EDTF values exactly as they are in the knowledge base),
then the question lexicon (``data/questions.yaml``) decides the answer kind from its
opening words and focus noun. Misspelt names are corrected against the gazetteer first,
so "Noth Korea" still finds North Korea.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional

import yaml
from pydantic import BaseModel, ConfigDict

from diplograph.dates import bounds

_LAST_DAY = 3_652_059  # date.max.toordinal()
KINDS = ("date", "date_end", "person", "place", "number", "duration", "yesno", "entity", "thing")


class QuestionLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    openers: dict[str, list[str]]
    focus_kinds: dict[str, list[str]]
    time_units: dict[str, float]
    superlatives: dict[str, list[str]]
    offices: dict[str, list[str]]
    leading_verbs: list[str]
    measure_nouns: list[str]
    equivalents: dict[str, list[str]]
    when_clause: list[str]
    arithmetic: dict[str, list[str]]
    examples: list[str]
    stop_words: list[str]

    def model_post_init(self, _context) -> None:
        unknown = set(self.openers) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown answer kinds in openers: {sorted(unknown)}")


@lru_cache(maxsize=1)
def load_lexicon() -> QuestionLexicon:
    """The validated question lexicon (read once)."""
    raw = resources.files("diplograph.data").joinpath("questions.yaml").read_text(encoding="utf-8")
    return QuestionLexicon.model_validate(yaml.safe_load(raw))


@dataclass
class Keyword:
    """A content word of the question: its lemma, and how much matching it counts."""

    lemma: str
    text: str
    weight: float
    is_verb: bool = False
    position: int = -1  # token index in the question: adjacent keywords form a phrase
    equivalents: tuple[str, ...] = ()  # words that say the same (the lexicon's ``equivalents``)


@dataclass
class Question:
    """What ``analyse`` made of a question."""

    text: str
    kind: str
    focus: Optional[str] = None            # the noun after which/what ("resolution", "city")
    focus_kind: Optional[str] = None       # what that noun asks for (place, state, person, ...)
    focus_words: set[str] = field(default_factory=set)  # the focus phrase: "south korean president"
    plural: bool = False                   # "which countries": the answer may be a list
    count_noun: Optional[str] = None       # "how many summits" -> "summit"
    actors: list[str] = field(default_factory=list)
    actor_words: set[str] = field(default_factory=set)   # lower-cased words of actor names in the question
    word_actor: dict[str, str] = field(default_factory=dict)  # each of those words -> the actor it names
    dates: list[str] = field(default_factory=list)       # EDTF values the question names
    date_texts: list[str] = field(default_factory=list)
    clause_dates: list[str] = field(default_factory=list)  # of those, the ones that date the question's
    #                                 clause ("in 2000"), not a thing it names ("the 1965 ceasefire")
    keywords: list[Keyword] = field(default_factory=list)
    verb: Optional[str] = None             # the main verb's lemma ("renew")
    passive: bool = False
    present: bool = False                  # "What share ... is": the latest reports say it best
    negated: bool = False
    superlative: Optional[str] = None      # max | min
    office: Optional[str] = None           # gazetteer office a "who led/was president" question asks for
    office_state: Optional[str] = None
    when_clause: Optional[str] = None      # "when South Korea closed the complex": the time it is about
    arithmetic: Optional[tuple[str, str, str]] = None  # (after|before, clause A, clause B)
    time_unit: Optional[str] = None        # the unit of a "how many days/years" question
    event_types: list[str] = field(default_factory=list)  # PLOVER types the question's verb reports
    corrected: dict[str, str] = field(default_factory=dict)  # misspelt word -> gazetteer form

    @property
    def date_bounds(self) -> Optional[tuple[int, int]]:
        """The ordinal day range the question's dates cover (None when it names none)."""
        spans = [bounds(value) for value in self.dates]
        # an open end ("since 2018") reaches to the calendar's edge
        spans = [(lo or 1, hi or _LAST_DAY) for lo, hi in spans if lo is not None or hi is not None]
        if not spans:
            return None
        return min(lo for lo, _ in spans), max(hi for _, hi in spans)


def analyse(text: str, known: Optional[Callable[[str], bool]] = None) -> Question:
    """Read ``text`` (one question) into a :class:`Question`; ``known(word)`` says whether the
    knowledge base's text has a word (so names it holds are never \"corrected\")."""
    from diplograph.nlp import load_nlp
    from diplograph.pipeline import run_stages
    from diplograph.read.dateline import make_document

    lex = load_lexicon()
    original = " ".join(text.split())
    fixed, corrected = correct_names(original, known)
    document = make_document(fixed, doc_id="question")
    doc = load_nlp()(document.text)
    extraction = run_stages(document, doc)
    lowered = fixed.lower().rstrip("?!. ")
    kind, opener = _kind(lowered, lex)
    q = Question(text=original, kind=kind, corrected=corrected)
    for actor in extraction.actors:
        q.actors.append(actor.id)
        for m in actor.mentions:
            for word in re.findall(r"\w+", fixed[m.start:m.end]):
                q.actor_words.add(word.lower())
                q.word_actor.setdefault(word.lower(), actor.id)
    for t in extraction.timexes:
        if t.value and t.kind in ("date", "range"):
            q.dates.append(t.value)
            q.date_texts.append(t.text)
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            root = span.root if span is not None else None
            if root is None or not (root.dep_ in ("nummod", "compound", "amod", "poss")
                                    and root.head.pos_ in ("NOUN", "PROPN") and root.head.i > root.i):
                q.clause_dates.append(t.value)
    q.event_types = sorted({e.type for e in extraction.events})
    _read_parse(q, doc, opener, lex)
    _read_focus(q, doc, lowered, opener, lex)
    _read_office(q, lowered, lex)
    _read_clauses(q, fixed, lowered, lex)
    return q


def _kind(lowered: str, lex: QuestionLexicon) -> tuple[str, str]:
    lowered = re.sub(r"^(?:and|so|but|then)\s+", "", lowered)
    best = ("thing", "")
    for kind, phrases in lex.openers.items():
        for phrase in phrases:
            if re.match(re.escape(phrase) + r"\b", lowered) and len(phrase) > len(best[1]):
                best = (kind, phrase)
    return best


def _read_parse(q: Question, doc, opener: str, lex: QuestionLexicon) -> None:
    """Keywords, main verb, voice, negation and superlatives from the parse."""
    stop = set(lex.stop_words)
    opener_words = set(opener.split())
    sup = {w: k for k, words in lex.superlatives.items() for w in words}
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subordinate = ("advcl", "relcl", "acl", "pcomp")
    verbs = [t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() not in ("do", "be", "have")
             and t.dep_ not in subordinate and not any(a.dep_ in subordinate for a in t.ancestors)]
    main = root if root is not None and root.pos_ in ("VERB", "AUX") else (verbs[0] if verbs else root)
    if main is not None and main.pos_ == "AUX" and verbs:
        main = verbs[0]
    if main is not None and main.pos_ == "VERB" and main.lemma_.lower() not in ("do", "be", "have"):
        q.verb = main.lemma_.lower()
        q.passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in main.children)
    elif main is not None and main.lemma_.lower() == "do":
        q.verb = _misparsed_verb(doc, main)
    q.present = any(t.tag_ in ("VBZ", "VBP") for t in doc if t.dep_ in ("ROOT", "aux", "auxpass") or t.head is t)
    for tok in doc:
        low = tok.text.lower()
        if tok.dep_ == "neg":
            q.negated = True
        if low in sup or tok.lemma_.lower() in sup:
            q.superlative = sup.get(low) or sup.get(tok.lemma_.lower())
        if tok.is_punct or tok.is_space or low in stop or tok.lemma_.lower() in stop or low in opener_words:
            continue
        if tok.pos_ in ("AUX", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART"):
            continue
        weight = 1.5 if tok.pos_ in ("PROPN", "NUM") else (1.2 if tok.pos_ in ("NOUN", "VERB") else 0.8)
        q.keywords.append(Keyword(lemma=tok.lemma_.lower(), text=low, weight=weight, is_verb=tok.pos_ == "VERB",
                                  position=tok.i, equivalents=tuple(lex.equivalents.get(tok.lemma_.lower(), ()))))


def phrases(q: Question) -> list[str]:
    """Pairs of adjacent keywords, actors' names left out ("vice president", "border fence"):
    a sentence holding one says the same thing, not only the same words."""
    pairs = zip(q.keywords, q.keywords[1:])
    return [f"{a.text} {b.text}" for a, b in pairs
            if b.position == a.position + 1 >= 1 and a.text not in q.actor_words and b.text not in q.actor_words]


def _misparsed_verb(doc, aux) -> Optional[str]:
    """"Which document did the US and the PRC issue near ...": the small model may tag the verb
    after "did" + subject as a noun; take the first word there that is an event verb, else the
    word that ends the subject before a preposition."""
    from diplograph.data.lexicon import event_lexicon

    verbs = event_lexicon().verbs
    after = [t for t in doc if t.i > aux.i and not t.is_punct]
    for tok in after:
        if tok.pos_ in ("NOUN", "VERB") and tok.lemma_.lower() in verbs and tok.dep_ not in ("pobj", "dobj"):
            return tok.lemma_.lower()
    for tok, nxt in zip(after, after[1:] + [None]):
        if tok.pos_ == "NOUN" and (nxt is None or nxt.pos_ == "ADP"):
            return tok.lemma_.lower()
    return None


def _read_focus(q: Question, doc, lowered: str, opener: str, lex: QuestionLexicon) -> None:
    """The noun after which/what (and what it asks for), the counted noun of "how many".

    "Which resolution ...": the focus is the noun after the opener. "What was China's rank
    ...": a copula first, so the focus is the subject's head. "What did X abandon": no focus,
    the answer is the verb's object.
    """
    n_opener = len(opener.split())
    first = doc[n_opener] if n_opener < len(doc) else None
    if opener in ("which", "what") or opener.endswith((" which", " what")):
        focus_tok = None
        if first is not None and first.pos_ in ("AUX", "VERB"):
            if first.lemma_ == "be" and not any(t.pos_ == "VERB" and t.dep_ != "amod" for t in doc[n_opener + 1:]):
                focus_tok = next((t for t in doc[n_opener + 1:] if t.dep_ in ("nsubj", "nsubjpass", "attr")
                                  and t.pos_ in ("NOUN", "PROPN")), None)
            if q.kind == "entity":
                q.kind = "thing"
        else:
            focus_tok = _head_noun_after(doc, n_opener)
        if focus_tok is not None:
            q.focus = focus_tok.lemma_.lower()
            q.focus_words = {t.lower_ for t in focus_tok.subtree if t.i <= focus_tok.i and t.pos_ in
                             ("NOUN", "PROPN", "ADJ")}
            q.plural = focus_tok.tag_ in ("NNS", "NNPS") or bool(re.match(r"(?:two|three|four|both)\b",
                                                                         lowered[len(opener):].strip()))
            q.focus_kind = _focus_kind(focus_tok, lex)
            if q.kind in ("entity", "thing") and q.focus_kind in ("date", "place", "number"):
                q.kind = q.focus_kind
            elif q.kind == "thing" and q.focus_kind is None and q.focus in lex.measure_nouns:
                q.kind = "number"
            elif q.kind == "thing" and q.focus_kind in ("state", "person", "organisation"):
                q.kind = "entity"
    if q.kind in ("number", "duration"):
        m = re.match(r"(?:for |by )?how (?:many|much|long)\s+(?:more\s+|fewer\s+)?(\w+)", lowered)
        if m and m.group(1) in lex.time_units:
            q.time_unit = m.group(1).rstrip("s")
        elif m:
            counted = next((t for t in doc if t.i >= n_opener and t.pos_ == "NOUN"), None)
            if counted is not None and counted.i <= n_opener + 4:
                q.count_noun = counted.lemma_.lower()
    if q.kind == "entity" and q.focus is None:
        q.kind = "thing"


def _head_noun_after(doc, start: int):
    """The first noun after the opening which/what that heads its phrase: the question's focus."""
    for tok in doc[start:start + 6]:
        if tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":
            return tok
    return None


def _focus_kind(tok, lex: QuestionLexicon) -> Optional[str]:
    phrase = " ".join(t.text.lower() for t in tok.doc[max(0, tok.i - 1):tok.i + 1])
    for kind, words in lex.focus_kinds.items():
        if phrase in words:
            return kind
    for kind, words in lex.focus_kinds.items():
        if tok.text.lower() in words or tok.lemma_.lower() in words:
            return kind
    return None


def _lemma_of(doc, word: str) -> str:
    for tok in doc:
        if tok.text.lower() == word:
            return tok.lemma_.lower()
    return word


def _read_office(q: Question, lowered: str, lex: QuestionLexicon) -> None:
    """A "who led X" or "who was the president of X" question asks for an office holder."""
    if q.kind != "person" and not (q.kind == "entity" and q.focus_kind == "person"):
        return
    for office, titles in lex.offices.items():
        for title in sorted(titles, key=len, reverse=True):
            if re.search(r"\b" + re.escape(title) + r"\b", lowered):
                q.office = office
                break
        if q.office:
            break
    if q.verb not in (None, "be") and q.verb not in lex.leading_verbs:
        q.office = None  # "Which president has Kim met": not a question about who held the office
    elif q.office is None and q.verb in lex.leading_verbs:
        q.office = "leading"


def _read_clauses(q: Question, fixed: str, lowered: str, lex: QuestionLexicon) -> None:
    """A subordinate clause that dates the question, or the two clauses of time arithmetic."""
    for word in sorted(lex.when_clause, key=len, reverse=True):
        m = re.search(r"\b" + re.escape(word) + r"\s+(.+)$", fixed.rstrip("?!. "), re.IGNORECASE)
        if m and q.kind in ("person", "entity") and m.start() > 3:
            q.when_clause = m.group(1)
            break
    if q.kind not in ("number", "duration") or q.time_unit is None and not re.match(r"for how many", lowered):
        return
    if q.time_unit is None:
        m = re.match(r"for how many (\w+)", lowered)
        if m and m.group(1) in lex.time_units:
            q.time_unit = m.group(1).rstrip("s")
        else:
            return
    text = fixed.rstrip("?!. ")
    for relation, words in lex.arithmetic.items():
        for word in sorted(words, key=len, reverse=True):
            # "How many years after A did B?"  /  "For how many years was B before A?"
            m = re.match(r"(?i)how many \w+ " + re.escape(word) + r"\s+(.+?)\s+(did|was|were|had|has|is)\s+(.+)$",
                         text)
            if m:
                q.arithmetic = (relation, m.group(1), f"{m.group(2)} {m.group(3)}")
                return
            m = re.match(r"(?i)(?:for )?how many \w+\s+(did|was|were|had|has|is)\s+(.+?)\s+" + re.escape(word)
                         + r"\s+(.+)$", text)
            if m:
                q.arithmetic = (relation, m.group(3), f"{m.group(1)} {m.group(2)}")
                return


# --------------------------------------------------------------------------- spelling

@lru_cache(maxsize=1)
def _name_words() -> tuple[frozenset[str], list[str]]:
    """Every word of the gazetteer's names, aliases, demonyms and capitals, lower-cased."""
    from diplograph.data.gazetteer import load_gazetteer

    words: set[str] = set()
    for entry in load_gazetteer().entries.values():
        for form in (entry.name, *entry.aliases, *entry.demonyms, *entry.capitals):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", form or ""))
    return frozenset(words), sorted(w for w in words if len(w) >= 4)


_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][a-z]{3,})(?!['’]?\w)")


def correct_names(text: str, known: Optional[Callable[[str], bool]] = None) -> tuple[str, dict[str, str]]:
    """Replace capitalised words that are close misspellings of a name the gazetteer knows.

    A word is left alone when it is the question's first word, a word of a known name, or a
    word the knowledge base's text contains (``known``); only a close match (difflib ratio >=
    0.8) replaces it, so "Noth Korea" reads "North Korea" and "Kaesong" stays "Kaesong".
    """
    words, ordered = _name_words()
    corrected: dict[str, str] = {}
    pieces = []
    last = 0
    for m in _CAPITALISED.finditer(text):
        word = m.group(1)
        if m.start() == 0 or word.lower() in words or (known is not None and known(word)):
            continue
        close = difflib.get_close_matches(word.lower(), ordered, n=1, cutoff=0.8)
        if close:
            replacement = close[0].capitalize()
            corrected[word] = replacement
            pieces.append(text[last:m.start()] + replacement)
            last = m.end()
    return "".join(pieces) + text[last:], corrected
