"""Answer a question: structured records first, then retrieval, never an invented answer.

1. Read the question (``question.analyse``): answer kind, actors, dates, keywords.
2. Questions that need reasoning are split: "who led X in Y" asks the gazetteer's dated
   terms which person held office, then cites a stored sentence naming that person;
   "how many years after A did B" answers "when A" and "when B" and subtracts.
3. Otherwise gather candidate sentences: full-text search on the question's words, plus
   sentences holding figures or events that match its measure, actors and event type.
   Each is parsed, scored by how much of the question it shares (words, actors, dates),
   and read for answers of the kind asked (``reader``); the answer nearest the shared
   words in the best sentence wins.
4. Below a floor of agreement, the answer is "no answer found", with the closest passages.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Optional

from diplograph.dates import bounds
from diplograph.qa import kb
from diplograph.qa.answer import Answer, Citation, not_found
from diplograph.qa.question import Question, analyse, load_lexicon, phrases
from diplograph.qa.reader import Candidate, read

SEARCH_LIMIT = 80        # sentences the full-text search returns
PARSE_LIMIT = 20         # of those, how many are parsed and read (parsing is most of the time)
SEMANTIC_LIMIT = 40      # sentences embedded when the semantic extra is installed
SEMANTIC_WEIGHT = 1.0
# Answer kinds read from named entities; the others are parsed without the entity recogniser.
NER_KINDS = ("person", "place", "entity", "thing", "number")
MIN_COVERAGE = 0.25      # share of the question's words a sentence must hold to answer it
MIN_SCORE = 2.5  # of a sentence and its answer together
PASSAGES = 3
SUPPORT = 3              # documents cited for one answer at most: the best sentence, then agreeing ones
CONTEXT_CREDIT = 0.5     # a question word found only in the sentence before counts this much
PHRASE_BONUS = 0.3       # per phrase of the question the sentence holds word for word (two at most)


@dataclass
class Scored:
    sentence: kb.Sentence
    doc: object
    coverage: float
    score: float
    anchors: dict[str, tuple[float, list[int]]]


def ask(question: str, store) -> Answer:
    """Answer ``question`` from ``store`` (a ``diplograph.store.Store``)."""
    question = " ".join(str(question).split())
    if not question:
        return not_found(question)
    with store.engine.connect() as conn:
        q = analyse(question, known=kb.known_word(conn))
        if q.arithmetic:
            answer = _arithmetic(conn, q)
            if answer is not None:
                return answer
        if q.office:
            answer = _office_holder(conn, q)
            if answer is not None:
                return answer
        return _read_best(conn, q)


# --------------------------------------------------------------------------- retrieval and reading

def _candidate_sentences(conn, q: Question) -> list[kb.Sentence]:
    words = [w for k in q.keywords for w in (k.text, k.lemma, *k.equivalents)]
    found = kb.retrieve(conn, words, SEARCH_LIMIT)
    scores = dict(found)
    ids = [i for i, _ in found]
    if q.kind == "number":
        measures = [k.lemma for k in q.keywords if k.lemma in load_lexicon().measure_nouns]
        ids += kb.sentences_with_figures(conn, measures, q.actors)
    if q.event_types and q.actors:
        ids += kb.sentences_with_events(conn, q.event_types, q.actors)
    sentences = kb.fetch(conn, ids)
    top = max(scores.values(), default=1.0) or 1.0
    for s in sentences:
        s.retrieval = scores.get(s.id, 0.0) / top
    return sentences


def _score_sentences(q: Question, sentences: list[kb.Sentence]) -> list[Scored]:
    from diplograph.nlp import load_nlp

    if not sentences:
        return []
    weights = _specificity(q, sentences)
    # Parsing is the cost of an answer: rank by a cheap reading of the text first, parse the best.
    rough = {s.id: 2.6 * _rough_coverage(q, s, weights) + 0.5 * _actor_share(q, s) + 0.4 * s.retrieval
             for s in sentences}
    meaning = _meaning(q, sorted(sentences, key=lambda s: -rough[s.id])[:SEMANTIC_LIMIT])
    pre = sorted(sentences, key=lambda s: -(rough[s.id] + meaning.get(s.id, 0.0)))[:PARSE_LIMIT]
    nlp = load_nlp()
    skip = () if q.kind in NER_KINDS else ("ner",)
    with nlp.select_pipes(disable=[p for p in skip if p in nlp.pipe_names]):
        docs = list(nlp.pipe([s.text for s in pre], batch_size=PARSE_LIMIT))
    recency = _recency(q, pre)
    pairs = phrases(q)
    scored = []
    for sent, doc in zip(pre, docs):
        coverage, anchors = _coverage(q, doc, weights, sent)
        held = sum(1 for pair in pairs if re.search(r"\b" + re.escape(pair) + r"\b", sent.text.lower()))
        score = (2.6 * coverage + 0.5 * _actor_share(q, sent) + 0.4 * sent.retrieval + recency.get(sent.id, 0.0)
                 + meaning.get(sent.id, 0.0) + PHRASE_BONUS * min(held, 2))
        if q.dates and not any(_overlap(q, t["value"]) for t in sent.timexes if t["value"]):
            score -= 0.3
        scored.append(Scored(sent, doc, coverage, score, anchors))
    scored.sort(key=lambda s: -s.score)
    return scored


def _meaning(q: Question, sentences: list[kb.Sentence]) -> dict[int, float]:
    """A bonus for sentences close in meaning to the question (the optional ``semantic`` extra)."""
    from diplograph.qa import semantic

    sims = semantic.similarities(q.text, [s.text for s in sentences])
    if not sims:
        return {}
    return {s.id: SEMANTIC_WEIGHT * max(0.0, sim) for s, sim in zip(sentences, sims)}


def _rough_coverage(q: Question, sent: kb.Sentence, weights: dict[str, float]) -> float:
    """The share of the question's keywords whose stem the sentence's text contains (no parse)."""
    text, context = sent.text.lower(), sent.context.lower()
    total = matched = 0.0
    for kw in q.keywords:
        weight = kw.weight * weights.get(kw.lemma, 1.0) * (0.5 if kw.text in q.actor_words else 1.0)
        total += weight
        matched += weight * _keyword_credit(q, kw, sent, _in_text(kw, text), context)
    return matched / total if total else 0.0


def _keyword_credit(q: Question, kw, sent: kb.Sentence, in_sentence: bool, context: str) -> float:
    """1 for a keyword the sentence holds (a word of an actor's name also when the sentence
    names that actor otherwise: "Beijing" for "China"), ``CONTEXT_CREDIT`` when only the
    sentence before does, else 0."""
    actor = q.word_actor.get(kw.text)
    if in_sentence or (actor is not None and actor in {m["actor"] for m in sent.mentions}):
        return 1.0
    if (context and _in_text(kw, context)) or (actor is not None and actor in sent.context_actors):
        return CONTEXT_CREDIT
    return 0.0


def _in_text(kw, text: str) -> bool:
    """Whether lower-cased ``text`` holds the keyword or a word of its stem (no parse)."""
    if kw.text in text:
        return True
    for word in (kw.lemma, *kw.equivalents):
        stem = word[:5] if len(word) >= 5 else word
        if re.search(r"\b" + re.escape(stem), text):
            return True
    return False


def _actor_share(q: Question, sent: kb.Sentence) -> float:
    """The share of the question's actors the sentence names or its records are about (a figure's
    subject comes from its paragraph; those only the sentence before names count for less),
    less when its figures are about other states instead."""
    if not q.actors:
        return 0.0
    wanted = set(q.actors)
    present = {m["actor"] for m in sent.mentions}
    subjects = {a for x in sent.quantities for a in x["subject"]}
    implied = (sent.context_actors - present - subjects) & wanted  # named in the sentence before
    share = (len((present | subjects) & wanted) + CONTEXT_CREDIT * len(implied)) / len(wanted)
    if q.kind in ("number", "date") and not wanted <= (present | subjects):
        others = {m["actor"] for m in sent.mentions if m["type"] == "state"} | subjects
        if others - wanted:
            share -= 1.0  # "trade peaked" between other states
    return share


def _recency(q: Question, sentences: list[kb.Sentence]) -> dict[int, float]:
    """For a question in the present tense, a bonus that grows with the document's date."""
    if not q.present:
        return {}
    years = {s.id: int(s.document_date[:4]) for s in sentences
             if s.document_date and s.document_date[:4].isdigit()}
    if len(set(years.values())) < 2:
        return {}
    low, high = min(years.values()), max(years.values())
    return {i: 0.3 * (y - low) / (high - low) for i, y in years.items()}


def _overlap(q: Question, value: Optional[str]) -> bool:
    """Whether an EDTF value overlaps the question's dates (an open end reaches the calendar's edge)."""
    qb = q.date_bounds
    lo, hi = bounds(value) if value else (None, None)
    if qb is None or (lo is None and hi is None):
        return False
    return (lo or 1) <= qb[1] and qb[0] <= (hi or 3_652_059)


def _specificity(q: Question, sentences: list[kb.Sentence]) -> dict[str, float]:
    """How telling each keyword is among the candidates (an IDF over them): "undernourished"
    says more than "Korea" when every candidate names Korea."""
    n = len(sentences)
    weights = {}
    texts = [s.text.lower() for s in sentences]
    for kw in q.keywords:
        stem = kw.lemma[:5] if len(kw.lemma) >= 5 else kw.lemma
        df = sum(1 for t in texts if stem in t)
        weights[kw.lemma] = math.log(1 + (n + 1) / (1 + df))
    return weights


def _coverage(q: Question, doc, weights: dict[str, float], sent: kb.Sentence) -> tuple[float, dict]:
    """The weighted share of the question's keywords the sentence holds (see ``_keyword_credit``),
    and where the question's own words (not its actors' names) are: answers are read near them."""
    context = sent.context.lower()
    total = 0.0
    matched = 0.0
    anchors: dict[str, tuple[float, list[int]]] = {}
    for kw in q.keywords:
        weight = kw.weight * weights.get(kw.lemma, 1.0) * (0.5 if kw.text in q.actor_words else 1.0)
        total += weight
        hits = [t.i for t in doc if _same_word(kw.lemma, kw.text, t)
                or any(_same_word(e, e, t) for e in kw.equivalents)]
        matched += weight * _keyword_credit(q, kw, sent, bool(hits), context)
        if hits and kw.text not in q.actor_words:
            anchors[kw.lemma] = (weight * (1.5 if kw.is_verb else 1.0), hits)
    return (matched / total if total else 0.0), anchors


def _same_word(lemma: str, text: str, tok) -> bool:
    t_lemma, t_low = tok.lemma_.lower(), tok.lower_
    if t_lemma == lemma or t_low == text:
        return True
    return len(lemma) >= 5 and len(t_lemma) >= 5 and t_lemma[:5] == lemma[:5]


def _proximity(doc, sent: kb.Sentence, cand: Candidate, anchors: dict) -> float:
    """How close a candidate sits to the question's words in the sentence, rarer words
    counting more (1 when it touches all of them, towards 0 far from them)."""
    if cand.start is None or not anchors:
        return 0.25
    rel = cand.start - sent.start
    index = next((t.i for t in doc if t.idx + len(t.text) > rel), len(doc) - 1)
    rel_end = cand.end - sent.start
    last = next((t.i for t in doc if t.idx + len(t.text) >= rel_end), index)
    total = sum(weight for weight, _ in anchors.values())
    near = 0.0
    for weight, hits in anchors.values():
        distance = min(0 if index <= a <= last else min(abs(a - index), abs(a - last)) for a in hits)
        near += weight / (1 + distance / 3)
    return near / total if total else 0.25


def _ranked(q: Question, scored: list[Scored]) -> list[tuple[float, Candidate, Scored]]:
    ranked = []
    for s in scored:
        if q.kind == "yesno":
            continue
        if q.clause_dates and q.kind not in ("date", "date_end") and not _dated_like_question(q, s.sentence):
            continue  # "who was prime minister in 1850": a sentence about another time does not answer it
        candidates = read(q, s.sentence, s.doc)
        if q.superlative and q.kind == "number":
            _favour_extreme(q, candidates)
        for c in candidates:
            total = s.score + c.fit + 1.2 * _proximity(s.doc, s.sentence, c, s.anchors)
            ranked.append((total, c, s))
    ranked.sort(key=lambda r: -r[0])
    return ranked


def _dated_like_question(q: Question, sent: kb.Sentence) -> bool:
    if q.date_bounds is None:
        return True
    values = [t["value"] for t in sent.timexes] + [x["date"] for x in sent.quantities] + \
        [e["date"] for e in sent.events]
    return any(_overlap(q, v) for v in values if v)


def _favour_extreme(q: Question, candidates: list[Candidate]) -> None:
    values = [c for c in candidates if isinstance(c.value, (int, float)) and c.fit >= 0.9]
    if len(values) > 1:
        pick = max if q.superlative == "max" else min
        pick(values, key=lambda c: c.value).fit += 0.4


def _read_best(conn, q: Question) -> Answer:
    scored = _score_sentences(q, _candidate_sentences(conn, q))
    passages = [_citation(s.sentence) for s in scored[:PASSAGES]]
    if q.kind == "yesno":
        return _yes_no(q, scored, passages)
    ranked = [r for r in _ranked(q, scored) if r[2].coverage >= MIN_COVERAGE and r[0] >= MIN_SCORE]
    if not ranked:
        return not_found(q.text, passages)
    _, cand, s = ranked[0]
    # other documents that give the same answer are cited after the best sentence (corroboration)
    same = [(c, x.sentence) for _, c, x in ranked if _same_answer(c, cand)]
    first = {}
    for c, sent in same:
        first.setdefault(sent.id, c)
    citations = [_citation(sent, first[sent.id]) for sent in _one_per_document([sent for _, sent in same])]
    return Answer(question=q.text, found=True, answer=cand.text, value=_value(cand), method=_method(cand),
                  citations=citations)


def _same_answer(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates say the same: equal values, or equal words."""
    if a.value is not None and b.value is not None:
        return a.value == b.value
    return " ".join(re.findall(r"\w+", a.text.lower())) == " ".join(re.findall(r"\w+", b.text.lower()))


def best_candidate(conn, q: Question) -> Optional[tuple[Candidate, Scored]]:
    """The best answer and its sentence, or None (used by the reasoning steps)."""
    scored = _score_sentences(q, _candidate_sentences(conn, q))
    for total, cand, s in _ranked(q, scored):
        if s.coverage < MIN_COVERAGE or total < MIN_SCORE:
            return None
        return cand, s
    return None


def _value(cand: Candidate):
    if isinstance(cand.value, float) and cand.value.is_integer():
        return int(cand.value)
    return cand.value


def _method(cand: Candidate) -> str:
    if cand.note == "implied" or cand.start is None:
        return "arithmetic"
    if cand.sentence.quantities and cand.value is not None and isinstance(cand.value, (int, float)):
        return "figure"
    return "retrieval"


def _citation(sent: kb.Sentence, cand: Optional[Candidate] = None) -> Citation:
    start = cand.start if cand is not None and cand.start is not None else None
    end = cand.end if start is not None else None
    return Citation(document=sent.document, start=sent.start, end=sent.end, sentence=sent.text,
                    answer_start=start, answer_end=end, source=sent.source)


def _yes_no(q: Question, scored: list[Scored], passages: list[Citation]) -> Answer:
    """Yes or no from the sentence that shares most of the question, by its negation."""
    if not scored or scored[0].coverage < 0.6:
        return not_found(q.text, passages)
    best = scored[0]
    negated = any(t.dep_ == "neg" or t.lower_ in ("not", "never", "no", "neither", "nor") for t in best.doc)
    negated = negated != q.negated
    word = "No" if negated else "Yes"
    return Answer(question=q.text, found=True, answer=word, value=None, method="retrieval",
                  citations=[_citation(best.sentence)])


# --------------------------------------------------------------------------- reasoning

def _office_holder(conn, q: Question) -> Optional[Answer]:
    """Who held an office of a state at a date the question gives or implies (gazetteer terms)."""
    from diplograph.data.gazetteer import DEFAULT_HOLDER_OFFICES, load_gazetteer

    gazetteer = load_gazetteer()
    states = [a for a in q.actors if a in gazetteer.entries and gazetteer.entries[a].type == "state"]
    if not states:
        return None
    when, cited = _question_time(conn, q)
    if when is None:
        return None
    offices = ("leader",) + DEFAULT_HOLDER_OFFICES if q.office == "leading" else (q.office,)
    for state in states:
        for person in gazetteer.holders(state, when, offices):
            # Best: a sentence that dates the person's time in office around the question's date
            # ("Kim Jong Il from 1994 to 2011"); else any sentence that names them.
            day = when.toordinal()
            dated = [(d, o) for d, o, value in kb.mentions_near_dates(conn, person.id)
                     if _covers(value, day)]
            ids = kb.sentences_at(conn, dated[:20]) + kb.sentences_mentioning(conn, [person.id], limit=30)
            sentences = kb.fetch(conn, ids)
            named = [s for s in sentences if _names_person(s, person)]
            if not named:
                continue
            scores = {s.id: _holder_sentence_score(s, state, when) for s in named}
            named.sort(key=lambda s: -scores[s.id])
            # the best sentence, then others that also date the term around that day, from other
            # documents (corroboration: a dated range adds 2 to a sentence's score)
            floor = min(scores[named[0].id], 2.0)
            chosen = _one_per_document([s for s in named if scores[s.id] >= floor])
            citations = []
            for sent in chosen:
                mention = next(m for m in sent.mentions if m["actor"] == person.id and _is_name(sent, m, person))
                citations.append(_citation(sent, Candidate(person.name, mention["start"], mention["end"], None,
                                                           1.0, sent)))
            return Answer(question=q.text, found=True, answer=person.name, value=None, method="office",
                          citations=citations + cited)
    return None


def _one_per_document(sentences: list[kb.Sentence]) -> list[kb.Sentence]:
    """The first sentence of each document, for ``SUPPORT`` documents at most."""
    seen, out = set(), []
    for sent in sentences:
        if sent.document_id not in seen and len(out) < SUPPORT:
            seen.add(sent.document_id)
            out.append(sent)
    return out


def _covers(value: Optional[str], day: int) -> bool:
    lo, hi = bounds(value) if value else (None, None)
    return lo is not None and hi is not None and lo <= day <= hi and hi - lo > 366  # a span, not a moment


def _is_name(sent: kb.Sentence, mention: dict, person) -> bool:
    """A mention that spells the person's name (not "the leader" or "he")."""
    words = set(re.findall(r"\w+", " ".join((person.name, *person.aliases, person.surname or "")).lower()))
    return any(w in words for w in re.findall(r"\w+", sent.piece(mention["start"], mention["end"]).lower()))


def _names_person(sent: kb.Sentence, person) -> bool:
    return any(m["actor"] == person.id and _is_name(sent, m, person) for m in sent.mentions)


def _holder_sentence_score(sent: kb.Sentence, state: str, when: dt.date) -> float:
    day = when.toordinal()
    score = 1.0 if any(m["actor"] == state for m in sent.mentions) else \
        (CONTEXT_CREDIT if state in sent.context_actors else 0.0)
    for t in sent.timexes:
        lo, hi = bounds(t["value"]) if t["value"] else (None, None)
        if lo is not None and hi is not None and lo <= day <= hi:
            score += 2.0
    return score - sent.id * 1e-9


def _question_time(conn, q: Question) -> tuple[Optional[dt.date], list[Citation]]:
    """The day a question is about: its own date, or the date of its "when ..." clause."""
    qb = q.date_bounds
    if qb is not None:
        return dt.date.fromordinal((qb[0] + qb[1]) // 2), []
    if q.when_clause:
        sub = analyse(f"When {q.when_clause}?", known=kb.known_word(conn))
        found = best_candidate(conn, sub)
        if found is not None:
            cand, s = found
            lo, hi = bounds(str(cand.value)) if cand.value else (None, None)
            if lo is not None and hi is not None:
                return dt.date.fromordinal((lo + hi) // 2), [_citation(s.sentence, cand)]
    return None, []


def _arithmetic(conn, q: Question) -> Optional[Answer]:
    """"How many years after A did B": the dates of A and B, and their difference."""
    relation, clause_a, clause_b = q.arithmetic
    b_question = f"When {clause_b}?"
    if not re.search(r"\b(?:did|was|were|had|has|is)\b", clause_a) and len(clause_a.split()) <= 4:
        # "How many days after India did Pakistan accept": A is B's clause with A as its subject.
        rest = re.sub(r"^(did|was|were|had|has|is)\s+", "", clause_b)
        head = rest.split()[0] if rest.split() else ""
        a_question = f"When did {clause_a} {rest[len(head):].strip()}?" if head else f"When did {clause_a}?"
    else:
        a_question = f"When {clause_a}?"
    a = _dated(conn, a_question)
    b = _dated(conn, b_question)
    if a is None or b is None:
        return None
    (a_day, a_cite), (b_day, b_cite) = a, b
    later, earlier = (b_day, a_day) if relation == "after" else (a_day, b_day)
    unit = q.time_unit or "year"
    if unit == "day":
        n = (later - earlier).days
    elif unit == "month":
        n = (later.year - earlier.year) * 12 + later.month - earlier.month
    elif unit == "week":
        n = (later - earlier).days // 7
    else:
        n = later.year - earlier.year
    n = abs(n)
    text = f"{n} {unit}{'' if n == 1 else 's'}"
    citations = [c for c in (a_cite, b_cite) if c is not None]
    if len(citations) == 2 and (citations[0].document, citations[0].start) == (citations[1].document,
                                                                               citations[1].start):
        citations = citations[:1]  # both dates in one sentence: cite it once
    return Answer(question=q.text, found=True, answer=text, value=n, method="arithmetic", citations=citations)


def _dated(conn, question: str) -> Optional[tuple[dt.date, Optional[Citation]]]:
    """The first day of what a "when" question asks, and the sentence it rests on."""
    sub = analyse(question, known=kb.known_word(conn))
    found = best_candidate(conn, sub)
    if found is None:
        if sub.date_bounds is not None:  # "when did the 1965 war take place": the clause dates itself
            return dt.date.fromordinal(sub.date_bounds[0]), None
        return None
    cand, s = found
    lo, _ = bounds(str(cand.value)) if cand.value else (None, None)
    if lo is None:
        return None
    return dt.date.fromordinal(lo), _citation(s.sentence, cand)
