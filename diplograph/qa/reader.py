"""Read the answer to a question out of one candidate sentence.

Each answer kind has its reader: a date question takes the sentence's time expressions, a
number question its figures (or numbers the parser sees), a person question its people,
a "which X" question the names headed by X (or the object of the question's verb). A
reader proposes candidates with a fit (how well the span is the kind asked for); the
caller weighs them with how close they sit to the words the question and sentence share.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from diplograph.dates import bounds
from diplograph.qa.kb import Sentence
from diplograph.qa.question import Question, load_lexicon

# spaCy entity labels that name things a "which X" question may ask for.
NAME_LABELS = {"ORG", "LAW", "EVENT", "WORK_OF_ART", "PRODUCT", "FAC", "GPE", "LOC", "NORP", "PERSON", "LANGUAGE"}
NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
SPEECH_VERBS = {"say", "write", "argue", "claim", "state", "tell", "warn", "note", "contend", "assert", "suggest",
                "believe", "declare", "insist", "observe", "remark", "explain", "conclude", "announce"}
OBJECT_DEPS = ("dobj", "oprd", "attr", "nsubjpass", "dative", "xcomp", "acomp")
MAX_ANSWER = 110


@dataclass
class Candidate:
    """A possible answer inside a sentence; ``start``/``end`` are document offsets (None when computed)."""

    text: str
    start: Optional[int]
    end: Optional[int]
    value: Union[float, str, None]
    fit: float
    sentence: Sentence
    note: str = ""


def read(q: Question, sent: Sentence, doc) -> list[Candidate]:
    """Every candidate answer of the kind ``q`` asks for in ``sent`` (``doc``: its parse)."""
    candidates = _read(q, sent, doc)
    if q.verb and q.kind in ("person", "entity", "thing"):
        for c in candidates:
            if c.start is not None and _argument_of_verb(q, sent, doc, c):
                c.fit += 0.4  # "China and Russia have vetoed": the doer (or object) of the question's verb
    if q.focus_words:
        for c in candidates:
            if c.start is not None and _titled(q, sent, c.start):
                c.fit += 0.4  # "South Korean President MOON": named just after the question's focus phrase
    return candidates


def _argument_of_verb(q: Question, sent: Sentence, doc, cand: Candidate) -> bool:
    span = doc.char_span(cand.start - sent.start, cand.end - sent.start, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "agent"):
        return False
    lemma = tok.head.lemma_.lower()
    return lemma == q.verb or (len(lemma) >= 5 and lemma[:5] == q.verb[:5])


def _titled(q: Question, sent: Sentence, start: int) -> bool:
    before = re.findall(r"[\w'-]+", sent.text[max(0, start - sent.start - 40):start - sent.start].lower())[-3:]
    hits = [w for w in before if w in q.focus_words]
    return len(hits) >= min(2, len(q.focus_words))


def _read(q: Question, sent: Sentence, doc) -> list[Candidate]:
    kind = q.kind
    if kind == "date":
        return _dates(q, sent, doc)
    if kind == "date_end":
        return _date_ends(q, sent, doc)
    if kind == "person" or (kind == "entity" and q.focus_kind == "person"):
        return _people(q, sent, doc)
    if kind == "place":
        return _places(q, sent, doc)
    if kind == "number":
        return _numbers(q, sent, doc)
    if kind == "duration":
        return _durations(q, sent)
    if kind == "entity":
        return _entities(q, sent, doc)
    if kind == "thing":
        return _objects(q, sent, doc, fit=1.0) or _names(q, sent, doc, fit=0.3)
    return []


# --------------------------------------------------------------------------- helpers

def _in_question(q: Question, text: str) -> bool:
    """Whether a span only repeats the question's own words (it cannot be the answer)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in ("the", "of", "and", "a")]
    if not words:
        return True
    asked = set(re.findall(r"\w+", q.text.lower())) | set(re.findall(r"\w+", " ".join(q.corrected.values()).lower()))
    return all(w in asked for w in words)


def _overlaps_dates(q: Question, value: Optional[str]) -> Optional[bool]:
    """Whether an EDTF value overlaps the question's dates (None when either has none)."""
    qb = q.date_bounds
    if qb is None or not value:
        return None
    lo, hi = bounds(value)
    if lo is None or hi is None:
        return None
    return lo <= qb[1] and qb[0] <= hi


def _display_name(surface: str, canonical: Optional[str]) -> str:
    """The words the text uses, with the knowledge base's name when it says more."""
    if canonical and canonical.lower() not in surface.lower() and surface.lower() not in canonical.lower():
        return f"{surface} ({canonical})"
    if canonical and len(canonical) > len(surface) and surface.lower() in canonical.lower():
        return f"{surface} ({canonical})"
    return surface


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_ANSWER:
        return text
    cut = text[:MAX_ANSWER].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _span_of(sent: Sentence, doc, first: int, last: int) -> tuple[int, int, str]:
    """Document offsets and text of tokens ``first``..``last`` of the sentence parse."""
    start = sent.start + doc[first].idx
    end = sent.start + doc[last].idx + len(doc[last].text)
    return start, end, sent.piece(start, end)


# --------------------------------------------------------------------------- readers

def _attributive(sent: Sentence, doc, start: int, end: int) -> bool:
    """"the 1961 treaty", "its 2006 test": a date that names a thing, not when the clause happened."""
    span = doc.char_span(start - sent.start, end - sent.start, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("nummod", "compound", "amod", "nmod", "poss") and root.head.pos_ in ("NOUN", "PROPN") \
        and root.head.i > root.i


def _relative(text: str) -> bool:
    """"that year", "since then": a time expression that does not show its own date."""
    return not re.search(r"\d", text)


def _event_fit(q: Question, sent: Sentence, value: str) -> float:
    """A date that is the date of an event the sentence reports (more if the question's verb reports it)."""
    bonus = 0.0
    for e in sent.events:
        if e["date"] and (e["date"] == value or value.startswith(e["date"]) or e["date"].startswith(value)):
            trigger = sent.piece(e["start"], e["end"]).lower() if e["start"] is not None else ""
            if e["actors"] and q.actors and not set(e["actors"]) & set(q.actors):
                continue  # an event of other actors
            if q.verb and trigger[:4] == q.verb[:4]:
                return 0.4
            bonus = 0.15
    return bonus


def _actor_fit(q: Question, sent: Sentence, start: int) -> float:
    """"India accepted on September 21 and Pakistan on September 22": a date goes with the actor
    named just before it, so it answers for that actor."""
    if len({m["actor"] for m in sent.mentions}) < 2 or not q.actors:
        return 0.0
    before = [m for m in sent.mentions if m["end"] <= start]
    if not before:
        return 0.0
    nearest = max(before, key=lambda m: m["end"])
    if nearest["actor"] in q.actors:
        return 0.4
    named = sent.piece(nearest["start"], nearest["end"])[:1].isupper()
    return -0.4 if named and nearest["type"] in ("state", "person") else 0.0


def _dated_text(t: dict) -> str:
    """The answer text of a time expression: its words, with the date when they do not show it."""
    if _relative(t["text"]) and t["value"]:
        return f"{t['value']} ({t['text']})"
    return t["text"]


def _dates(q: Question, sent: Sentence, doc) -> list[Candidate]:
    wants_month = bool(re.search(r"\bmonth\b", q.text.lower()))
    wants_day = bool(re.search(r"\b(?:date|dates|day)\b", q.text.lower()))
    out = []
    for t in sent.timexes:
        if not t["value"] or t["type"] not in ("date", "range") or t["value"] in q.dates:
            continue
        if t["text"] in q.date_texts:
            continue
        overlap = _overlaps_dates(q, t["value"])
        if overlap is False:
            continue
        value = t["value"].strip("./")
        precision = len(value.split("/")[0])
        fit = 1.0
        if wants_month and precision < 7:
            fit = 0.5
        if wants_day and precision < 10:
            fit = 0.6
        if "X" in value:
            fit -= 0.2
        if _relative(t["text"]):
            fit -= 0.4
        if "/" in value and re.search(r"\b(?:which|what) year\b", q.text.lower()):
            fit -= 0.2  # "in which year": a year, not a span of years
        if _attributive(sent, doc, t["start"], t["end"]):
            fit -= 0.5
        fit += _event_fit(q, sent, t["value"]) + _actor_fit(q, sent, t["start"])
        out.append(Candidate(_dated_text(t), t["start"], t["end"], t["value"], fit, sent))
    return out


def _date_ends(q: Question, sent: Sentence, doc) -> list[Candidate]:
    out = []
    points = [t for t in sent.timexes if t["value"] and t["type"] in ("date", "range")
              and not _attributive(sent, doc, t["start"], t["end"])]
    for t in points:
        value = t["value"]
        if "/" in value and not value.endswith("/.."):
            end = value.split("/")[1]
            out.append(Candidate(t["text"], t["start"], t["end"], end[:4], 1.0, sent))
    for d in sent.timexes:
        if d["type"] != "duration" or not d["duration"]:
            continue
        before = [t for t in points if t["end"] <= d["start"] and "/" not in t["value"]]
        anchor = before[-1] if before else (points[0] if points else None)
        if anchor is None or not anchor["value"][:4].isdigit():
            continue
        year = int(anchor["value"][:4]) + int(round(d["duration"]))
        out.append(Candidate(str(year), d["start"], d["end"], str(year), 1.1, sent,
                             note=f"{anchor['text']} + {d['text']}"))
    return out


def _people(q: Question, sent: Sentence, doc) -> list[Candidate]:
    out = []
    speech = q.verb in SPEECH_VERBS
    names = {m["actor"]: m["name"] for m in sent.mentions}
    if speech:
        for s in sent.statements:
            for speaker in s["speaker"]:
                ms = [m for m in sent.mentions if m["actor"] == speaker]
                if speaker in q.actors or any(_in_question(q, sent.piece(m["start"], m["end"])) for m in ms):
                    continue
                if ms:
                    m = ms[0]
                    start, end, text = _speaker_phrase(sent, doc, m)
                    out.append(Candidate(text, start, end, None, 1.3, sent))
                elif speaker in names:
                    out.append(Candidate(names[speaker], None, None, None, 1.1, sent))
    taken = []
    for m in sent.mentions:
        surface = sent.piece(m["start"], m["end"])
        if m["actor"] in q.actors or _in_question(q, surface):
            continue
        fit = {"person": 1.0, "state": 0.55, "igo": 0.5, "org": 0.5, "group": 0.45}.get(m["type"], 0.4)
        if q.focus_kind == "person" and m["type"] != "person":
            fit -= 0.2
        if _modifier(sent, doc, m["start"], m["end"]):
            fit -= 0.6  # "North Korean refugees": a demonym describes, it does not act
        out.append(Candidate(_actor_text(surface, m), m["start"], m["end"], None, fit, sent))
        taken.append((m["start"], m["end"]))
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end = sent.start + ent.start_char, sent.start + ent.end_char
        if any(s < end and start < e for s, e in taken) or _in_question(q, ent.text):
            continue
        out.append(Candidate(ent.text, start, end, None, 0.9, sent))
    return out


def _modifier(sent: Sentence, doc, start: int, end: int) -> bool:
    span = doc.char_span(start - sent.start, end - sent.start, alignment_mode="expand")
    return span is not None and (span.root.pos_ == "ADJ" or span.root.dep_ in ("amod", "compound")
                                 and span.root.head.pos_ == "NOUN")


def _actor_text(surface: str, mention: dict) -> str:
    """An actor's answer text; an anaphor ("the country") shows the actor it stands for."""
    if surface[:1].islower() and mention["known"]:
        return mention["name"]
    return _display_name(surface, mention["name"] if mention["known"] else None)


def _speaker_phrase(sent: Sentence, doc, mention: dict) -> tuple[int, int, str]:
    """"an Iranian spokesman": a speaker named by a demonym is the phrase it modifies."""
    surface = sent.piece(mention["start"], mention["end"])
    span = doc.char_span(mention["start"] - sent.start, mention["end"] - sent.start, alignment_mode="expand")
    if span is not None and span.root.dep_ in ("amod", "compound") and span.root.head.pos_ == "NOUN":
        head = span.root.head
        start, end, text = _span_of(sent, doc, head.left_edge.i, head.i)
        return start, end, text
    return mention["start"], mention["end"], _actor_text(surface, mention)


def _places(q: Question, sent: Sentence, doc) -> list[Candidate]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        if _in_question(q, ent.text):
            continue
        start, end = sent.start + ent.start_char, sent.start + ent.end_char
        out.append(Candidate(ent.text, start, end, None, 1.0 if ent.label_ != "FAC" else 0.8, sent))
    for m in sent.mentions:
        surface = sent.piece(m["start"], m["end"])
        if m["type"] == "state" and not _in_question(q, surface) and not any(c.start == m["start"] for c in out):
            out.append(Candidate(surface, m["start"], m["end"], None, 0.6, sent))
    return out


def _numbers(q: Question, sent: Sentence, doc) -> list[Candidate]:
    lowered = q.text.lower()
    wants_percent = q.focus in ("share", "percentage", "percent", "proportion") or \
        bool(re.search(r"\b(?:share|percent|percentage|proportion)\b", lowered))
    wants_money = bool(re.search(r"\b(?:how much|value|worth|trade|aid|budget|investment|exports?|imports?|gdp|"
                                 r"cost|spending|loans?|debt)\b", lowered)) and not wants_percent
    out = []
    for quantity in sent.quantities:
        surface = sent.piece(quantity["start"], quantity["end"])
        if _in_question(q, surface) and not quantity["measure"]:
            continue
        overlap = _overlaps_dates(q, quantity["date"])
        if overlap is False:
            continue
        unit = quantity["unit"]
        if wants_percent:
            fit = 1.0 if unit == "percent" else 0.2
            after = sent.text[quantity["end"] - sent.start:quantity["end"] - sent.start + 20]
            if quantity["value"] < 0 or re.match(r"\s+(?:decline|drop|fall|rise|increase|growth)", after) \
                    or re.match(r"\s+of\s+(?:the\s+)?(?:\d{4}|its\s+\d{4})", after):
                fit -= 0.5  # a change or a level against a year, not a share
        elif wants_money:
            fit = 1.0 if unit == "USD" else (0.2 if unit == "percent" else 0.4)
        elif q.count_noun:
            after = sent.text[quantity["end"] - sent.start:quantity["end"] - sent.start + 40].lower()
            measure = (quantity["measure"] or "").lower()
            fit = 1.0 if q.count_noun[:5] in after[:25] or q.count_noun[:5] in measure else 0.5
            if unit in ("percent", "USD"):
                fit -= 0.3
        elif q.focus == "rank":
            fit = 1.0 if unit == "rank" else 0.2
        else:
            fit = 0.7 if unit != "percent" else 0.5
        measure_words = set(re.findall(r"\w+", (quantity["measure"] or "").lower()))
        if measure_words & {k.lemma for k in q.keywords} - q.actor_words:
            fit += 0.4
        subject, wanted = set(quantity["subject"]), set(q.actors)
        if wanted and wanted <= subject:
            fit += 0.3
        elif subject & wanted:
            fit += 0.1
        if wanted and subject - wanted and not wanted <= subject:
            fit -= 0.3  # a figure about other states
        if overlap:
            fit += 0.4
        elif q.dates and quantity["date"] is None and not _sentence_has_date(q, sent):
            fit -= 0.6
        out.append(Candidate(surface, quantity["start"], quantity["end"], quantity["value"], fit, sent,
                             note=unit))
    out.extend(_implied_values(q, sent, wants_money))
    taken = [(c.start, c.end) for c in out if c.start is not None] + \
        [(x["start"], x["end"]) for x in sent.quantities] + [(t["start"], t["end"]) for t in sent.timexes]
    lexicon_numbers = _number_words()
    for tok in doc:
        low = tok.text.lower()
        start, end = sent.start + tok.idx, sent.start + tok.idx + len(tok.text)
        if any(s <= start < e for s, e in taken):
            continue
        value = None
        if low in lexicon_numbers:
            value = lexicon_numbers[low]
        elif tok.like_num and tok.ent_type_ in NUMBER_LABELS:
            try:
                value = float(low.replace(",", ""))
            except ValueError:
                value = None
        if value is None or _in_question(q, tok.text):
            continue
        fit = 0.55
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if q.count_noun and nxt is not None and nxt.lemma_.lower()[:5] == q.count_noun[:5]:
            fit = 1.0
        if q.count_noun == "time" and low in ("once", "twice", "thrice"):
            fit = 1.0
        if q.dates and not _sentence_has_date(q, sent):
            fit -= 0.5
        out.append(Candidate(tok.text, start, end, value, fit, sent))
    if q.focus == "rank":
        for tok in doc:
            if tok.lower_ in ("top", "first", "second", "third", "largest", "biggest", "leading") and \
                    tok.head.pos_ == "NOUN":
                start, end = sent.start + tok.idx, sent.start + tok.idx + len(tok.text)
                out.append(Candidate(tok.text, start, end, None, 0.9, sent))
    return out


def _sentence_has_date(q: Question, sent: Sentence) -> bool:
    return any(_overlaps_dates(q, t["value"]) for t in sent.timexes if t["value"])


def _implied_values(q: Question, sent: Sentence, wants_money: bool) -> list[Candidate]:
    """"$2.3 billion, 82 percent of 2019": a value for 2019 the sentence implies but does not state."""
    out = []
    if not q.dates or not wants_money:
        return out
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(?:percent|per cent|%)\s+of\s+(?:the\s+|its\s+)?(?:levels?\s+(?:in|of)\s+)?"
                         r"(\d{4})", sent.text):
        share, year = float(m.group(1)), m.group(2)
        if year not in "".join(q.dates) or share <= 0:
            continue
        start = sent.start + m.start()
        money = [x for x in sent.quantities if x["unit"] == "USD"]
        if not money:
            continue
        base = min(money, key=lambda x: abs(x["start"] - start))  # the amount the share is of
        value = base["value"] / (share / 100)
        text = f"about {_money(value)} (implied: {sent.piece(base['start'], base['end'])} is {m.group(0)})"
        out.append(Candidate(text, start, sent.start + m.end(), round(value), 1.6, sent, note="implied"))
    return out


def _money(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"${value / size:.2f} {word}".replace(".00 ", " ")
    return f"${value:,.0f}"


def _durations(q: Question, sent: Sentence) -> list[Candidate]:
    out = []
    for t in sent.timexes:
        if t["type"] == "duration" and t["duration"]:
            out.append(Candidate(t["text"], t["start"], t["end"], t["duration"], 1.0, sent))
    if q.superlative and out:
        pick = max if q.superlative == "max" else min
        best = pick(out, key=lambda c: c.value)
        best.fit += 0.3
    return out


def _entities(q: Question, sent: Sentence, doc) -> list[Candidate]:
    out = []
    if q.focus_kind == "state":
        for m in sent.mentions:
            surface = sent.piece(m["start"], m["end"])
            if m["type"] != "state" or m["actor"] in q.actors or _in_question(q, surface):
                continue
            fit = 0.6 if surface[:1].islower() or _modifier(sent, doc, m["start"], m["end"]) else 1.0
            out.append(_with_conjuncts(q, sent, doc, m["start"], m["end"], _actor_text(surface, m), fit))
        return out
    if q.focus_kind == "organisation":
        for m in sent.mentions:
            surface = sent.piece(m["start"], m["end"])
            if m["type"] in ("igo", "org", "group") and m["actor"] not in q.actors and not _in_question(q, surface):
                out.append(Candidate(_display_name(_with_acronym(sent, m["end"], surface), m["name"]),
                                     m["start"], m["end"], None, 1.0, sent))
    focus = q.focus or ""
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        example = _example_after(sent, doc, tok)
        if example is not None:
            focus_here = any(t.lemma_.lower() == focus for t in doc)
            example.fit = 1.2 if tok.lemma_.lower() == focus else (1.05 if focus_here else 0.8)
            out.append(example)
        if tok.lemma_.lower() != focus:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.like_num:  # "Resolution 1718"
            start, end, text = _span_of(sent, doc, tok.i, nxt.i)
            out.append(Candidate(text, start, end, None, 1.3, sent))
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS or _in_question(q, ent.text):
            continue
        start, end = sent.start + ent.start_char, sent.start + ent.end_char
        has_focus = any(t.lemma_.lower() == focus for t in ent)
        fit = 1.1 if has_focus else (0.7 if q.focus_kind == "organisation" and ent.label_ == "ORG" else 0.45)
        out.append(Candidate(_with_acronym(sent, end, ent.text), start, end, None, fit, sent))
    out.extend(_objects(q, sent, doc, fit=1.0))
    return out


def _with_acronym(sent: Sentence, end: int, text: str) -> str:
    """"Korea Trade-Investment Promotion Agency (KOTRA)": keep the acronym that follows a name."""
    m = re.match(r"\s*\(([A-Z][A-Za-z.&-]{1,12})\)", sent.text[end - sent.start:])
    return f"{text} ({m.group(1)})" if m else text


def _example_after(sent: Sentence, doc, tok) -> Optional[Candidate]:
    """"goods such as diesel fuel, seafood and cell phones": what follows the focus noun's "such as"."""
    lex = load_lexicon()
    rest = sent.text[tok.idx + len(tok.text):].lower()
    for cue in sorted(lex.examples, key=len, reverse=True):
        m = re.match(r"\s*,?\s*" + re.escape(cue) + r"\s+", rest)
        if m:
            start = sent.start + tok.idx + len(tok.text) + m.end()
            tail = sent.text[start - sent.start:]
            stop = re.search(r"[.;:!?)]|\s[—–-]\s", tail)
            end = start + (stop.start() if stop else len(tail))
            # a list of examples is noun phrases: it ends where the clause's verb comes
            # ("films like X, Y and Z are smuggled ..." gives "X, Y and Z")
            verb = next((t for t in doc if start - sent.start <= t.idx < end - sent.start
                         and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")), None)
            if verb is not None:
                end = sent.start + verb.idx
                end -= len(sent.piece(start, end)) - len(sent.piece(start, end).rstrip(" ,"))
            if end <= start:
                return None
            return Candidate(_clip(sent.piece(start, end)), start, end, None, 1.2, sent)
    return None


def _with_conjuncts(q: Question, sent: Sentence, doc, start: int, end: int, text: str, fit: float) -> Candidate:
    """A plural question takes the whole coordination a name stands in ("China and Russia")."""
    if not q.plural:
        return Candidate(text, start, end, None, fit, sent)
    span = doc.char_span(start - sent.start, end - sent.start, alignment_mode="expand")
    if span is None:
        return Candidate(text, start, end, None, fit, sent)
    tok = span.root
    head = tok
    while head.dep_ == "conj":
        head = head.head
    conjuncts = [head] + list(head.conjuncts)
    if len(conjuncts) < 2:
        return Candidate(text, start, end, None, fit, sent)
    first = min(min(t.i for t in c.subtree if t.dep_ in ("det", "compound", "amod") or t.i == c.i)
                for c in conjuncts)
    last = max(c.i for c in conjuncts)
    s, e, joined = _span_of(sent, doc, first, last)
    return Candidate(_clip(joined), s, e, None, fit + 0.3, sent)


def _objects(q: Question, sent: Sentence, doc, fit: float) -> list[Candidate]:
    """The object (or complement) of the sentence's verb that the question's verb names."""
    if not q.verb:
        return []
    out = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if not (lemma == q.verb or (len(lemma) >= 5 and len(q.verb) >= 5 and lemma[:5] == q.verb[:5])):
            continue
        for child in tok.children:
            if child.dep_ not in OBJECT_DEPS:
                continue
            if child.dep_ == "nsubjpass" and not q.passive:
                continue
            if child.pos_ in ("PRON", "DET") and child.left_edge.i == child.right_edge.i:
                continue  # "that", "it": a pronoun is no answer
            first, last = child.left_edge.i, _phrase_end(child)
            start, end, text = _span_of(sent, doc, first, last)
            if _in_question(q, text):
                continue
            rank = OBJECT_DEPS.index(child.dep_)
            exact = 0.2 if lemma == q.verb else 0.0
            out.append(Candidate(_clip(_with_acronym(sent, end, text)), start, end, None,
                                 fit + exact - 0.05 * rank, sent))
        if not out and q.passive:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("as", "to", "into"):
                    for grand in child.children:
                        if grand.dep_ == "pobj":
                            start, end, text = _span_of(sent, doc, grand.left_edge.i, grand.right_edge.i)
                            out.append(Candidate(_clip(text), start, end, None, fit - 0.1, sent))
    return out


def _phrase_end(head) -> int:
    """The last token of a noun phrase without its relative clause or apposition
    ("the Shanghai Communiqué, in which each ..." ends at "Communiqué")."""
    cut = [c for c in head.children if c.i > head.i and c.dep_ in ("relcl", "acl", "appos", "advcl")]
    limit = min((c.left_edge.i for c in cut), default=head.right_edge.i + 1)
    last = head.i
    for tok in head.subtree:
        if head.i <= tok.i < limit:
            last = tok.i
    while last > head.i and head.doc[last].is_punct:
        last -= 1
    return last


def _names(q: Question, sent: Sentence, doc, fit: float) -> list[Candidate]:
    out = []
    for ent in doc.ents:
        if ent.label_ in NAME_LABELS and not _in_question(q, ent.text):
            start, end = sent.start + ent.start_char, sent.start + ent.end_char
            out.append(Candidate(ent.text, start, end, None, fit, sent))
    return out


_NUMBER_WORDS: dict[str, float] = {}


def _number_words() -> dict[str, float]:
    """Number words the reader takes as counts ("five summits", "twice")."""
    if not _NUMBER_WORDS:
        words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        _NUMBER_WORDS.update({w: float(i) for i, w in enumerate(words)})
        _NUMBER_WORDS.update({"twenty": 20.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "hundred": 100.0,
                              "once": 1.0, "twice": 2.0, "thrice": 3.0, "dozen": 12.0, "a dozen": 12.0})
    return _NUMBER_WORDS
