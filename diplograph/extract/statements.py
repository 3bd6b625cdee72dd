"""Statements: who claimed what, when, direct or reported.

Contract: ``extract_statements(ctx) -> list[Statement]`` in text order, one
statement per speech act. Each has the speaker's actor ids (resolved through
``ctx.actors``, so pronouns and generic groups count when the actor stage links
them), the speaker's role as the text gives it, the date of the speech act (not
of what was said), the cue, the content and the clause as evidence.

Three shapes are read from spaCy's dependency parse, with cue words from
``data/speech.yaml``:

- a cue verb with its speaker as subject and what was said as complement:
  ``X said (that) ...``, ``"...," X wrote``, ``..., said X, director of Y``,
  ``X announced a pivot``, ``X vowed to ...``, ``X made clear that ...``;
- a report noun: ``X issued a statement condemning ...``, ``X's claim that ...``;
- an attribution phrase: ``according to X, ...``, ``in X's view, ...``.

A cue with no actor behind it ("the treaty says") yields nothing: a statement
needs a speaker. A negated, conditional, modal or passive cue yields nothing
either, since nobody is said to have made the claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from diplograph.data.speech import SpeechLexicon, VerbCue, load_speech_lexicon
from diplograph.model import Span, Statement

_SUBJECT_DEPS = ("nsubj",)
_CLAUSE_DEPS = ("ccomp",)
_OWN_ACT_DEPS = ("conj", "ccomp", "parataxis")
_PLAIN_RIGHT_DEPS = {"punct", "advmod", "npadvmod", "nsubj", "appos", "cc", "agent"}
_TOPIC_PREPS = {"about", "on", "of", "to", "for", "with"}
_CORE_LEFT_DEPS = {"compound", "det", "amod", "poss", "nmod", "nummod", "case", "punct", "quantmod"}
_HYPOTHETICAL_AUX = {"could", "might", "would", "may", "should", "must", "shall"}
_CONDITION_MARKS = {"if", "unless", "whether", "once"}
_QUOTE_PAIRS = re.compile(r"\u201c[^\u201d\n]{1,2000}\u201d|\"[^\"\n]{1,2000}\"")
_GAP_BEFORE_CLAUSE = re.compile(r"^[\s,.;:\u2014\u2013-]*$")
_GAP_AFTER_CUE = re.compile(r"^[\s,:\u2014\u2013-]*$")
_TRIM = " \t\n,;:.\u2014\u2013-"


@dataclass
class _Found:
    """A statement before its date is set: token positions kept for dating and de-duplication."""

    speaker: list[str]
    role: Optional[str]
    cue: Span
    cue_token: object  # spaCy Token whose tense dates the act
    content: Span
    evidence: Span
    direct: bool


# --------------------------------------------------------------------------- entry point

def extract_statements(ctx) -> list[Statement]:
    """Statements of the document, in text order, one per speech act."""
    if ctx.actors is None:
        return []
    lexicon = load_speech_lexicon()
    reader = _Reader(ctx, lexicon)
    found: list[_Found] = []
    for token in ctx.doc:
        hit = reader.verb_statement(token) or reader.noun_statement(token) or reader.attribution(token)
        if hit is not None:
            found.append(hit)
    return [_with_date(ctx, _trimmed(reader.text, f)) for f in _one_per_speech_act(found)]


def _trimmed(text: str, found: _Found) -> _Found:
    found.evidence = _trim(text, found.evidence)
    found.content = _trim(text, found.content) if not found.direct else found.content
    return found


def _one_per_speech_act(found: list[_Found]) -> list[_Found]:
    """Drop a cue lying inside another statement's content: it is part of what was said."""
    kept = []
    for f in found:
        inside_other = any(o is not f and o.content.start <= f.cue.start and f.cue.end <= o.content.end
                           for o in found)
        if not inside_other:
            kept.append(f)
    return sorted(kept, key=lambda f: (f.evidence.start, f.cue.start))


# --------------------------------------------------------------------------- reading the parse

class _Reader:
    """Finds statements around one cue token; holds the document-wide lookups."""

    def __init__(self, ctx, lexicon: SpeechLexicon):
        self.ctx = ctx
        self.doc = ctx.doc
        self.text = ctx.document.text  # Doc.text rebuilds the string on every access
        self.lex = lexicon
        self.quotes = [Span(m.start(), m.end()) for m in _QUOTE_PAIRS.finditer(self.text)]

    # ---- verbs

    def verb_statement(self, verb) -> Optional[_Found]:
        """``X said that ...``, ``"...," X said``, ``X announced a pivot``, ``X vowed to ...``."""
        if verb.pos_ != "VERB":
            return None
        cue = self._matching_cue(verb)
        if cue is None or not _asserted(verb) or self._continues_cue(verb):
            return None
        content = self._complement(verb, cue)
        if content is None:
            return None
        words = self._cue_and_words(verb)[0]
        attached = [c for c in verb.children if c.lemma_.lower() in words and c.i > verb.i]
        content = _union(content, *(_subtree_span(c) for c in attached if c.dep_ == "prep"))
        subject = _subject(verb)
        if subject is None:
            return None
        speaker, role = self._speaker(subject)
        if not speaker:
            return None
        own_subject = subject.head == verb
        evidence = _union(_own_clause(verb, content), content,
                          _token_span(subject) if own_subject else None)
        cue_span = _union(_token_span(verb), *(_token_span(c) for c in attached if c.i == verb.i + 1))
        return _Found(speaker, role, cue_span, verb, content, evidence, self._is_direct(content))

    def _matching_cue(self, verb) -> Optional[VerbCue]:
        found = self._cue_and_words(verb)
        return None if found is None else found[1]

    def _cue_and_words(self, verb) -> Optional[tuple[tuple[str, ...], VerbCue]]:
        child_lemmas = {c.lemma_.lower() for c in verb.children}
        for extra_words, cue in self.lex.cues_for(verb.lemma_.lower()):
            if all(w in child_lemmas for w in extra_words):
                return extra_words, cue
        return None

    def _continues_cue(self, verb) -> bool:
        """``X said ..., adding that ...``: the participle goes on with the same act."""
        return (verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.pos_ == "VERB"
                and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
                and self._matching_cue(verb.head) is not None)

    def _complement(self, verb, cue: VerbCue) -> Optional[Span]:
        """What was said, by the complement types the cue takes, clause first."""
        for kind in cue.takes:
            if kind == "clause":
                span = self._clause_content(verb)
            elif kind == "object":
                span = self._object_content(verb, cue)
            else:
                span = self._infinitive_content(verb)
            if span is not None:
                return span
        return None

    def _clause_content(self, verb) -> Optional[Span]:
        # a that-clause the parser took for an object still is one ("advocated that the UN seat ...")
        right = [c for c in verb.children if c.i > verb.i
                 and (c.dep_ in _CLAUSE_DEPS or c.dep_ == "dobj" and _has_mark(c, "that"))]
        if right:
            return self._expand_to_quote(_union(*(_subtree_span(c) for c in right)))
        after = self._quote_after(verb)  # "X said: “...”" and the second half of "“...,” X said, “...”"
        left = [c for c in verb.children if c.dep_ in _CLAUSE_DEPS and c.i < verb.i]
        before = None
        if left:
            if _separated_by_comma_or_quote(left[-1], verb):
                before = self._expand_to_quote(_union(*(_subtree_span(c) for c in left)))
        elif verb.dep_ == "parataxis" and _ends_plainly(verb):  # "The sanctions, X said, have failed."
            before = _subtree_span(verb.head)
        elif _ends_plainly(verb, ignore=after):
            before = self._quote_before(verb)
        if before is None and after is None:
            return None
        return _union(before, after)

    def _object_content(self, verb, cue: VerbCue) -> Optional[Span]:
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
        if not objects:
            return None
        head = objects[0]
        lemma = head.lemma_.lower()
        if (cue.objects is not None and lemma not in cue.objects) or lemma in cue.not_objects:
            return None
        if head.pos_ == "PRON":
            return None
        # "noted the importance of X and that Y": a that-clause joined to the verb belongs to it
        joined = [c for c in verb.children if c.dep_ == "conj" and _has_mark(c, "that")]
        return _union(_subtree_span(head), *(_subtree_span(c) for c in joined))

    @staticmethod
    def _infinitive_content(verb) -> Optional[Span]:
        for c in verb.children:
            if c.dep_ == "xcomp" and c.i > verb.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                return _subtree_span(c)
        return None

    def _quote_after(self, verb) -> Optional[Span]:
        """``X said: "..."``: a quotation opening right after the verb (or its subject)."""
        anchor = max([verb.idx + len(verb)] + [_token_span(c).end for c in verb.children
                                              if c.dep_ in ("nsubj", "dative", "prep") and c.i > verb.i])
        for q in self.quotes:
            if q.start >= anchor and _GAP_AFTER_CUE.match(self.text[anchor:q.start]):
                return q
        return None

    def _quote_before(self, verb) -> Optional[Span]:
        """``"...," X said.``: a quotation closing right before the clause of the verb."""
        clause_start = verb.left_edge.idx
        for q in self.quotes:
            if q.end <= clause_start and _GAP_BEFORE_CLAUSE.match(self.text[q.end:clause_start]):
                return q
            if q.start < clause_start < q.end and q.end <= verb.idx:
                # the parse put the closing mark inside the clause ("...,” X said")
                if _GAP_BEFORE_CLAUSE.match(self.text[q.end:_first_word_after(verb, q.end)]):
                    return q
        return None

    def _expand_to_quote(self, content: Span) -> Span:
        """A clause inside a quotation stands for the whole quotation (quotes span sentences)."""
        for q in self.quotes:
            inside = q.start <= content.start + 2 and content.end <= q.end + 1
            if inside and q.end - q.start >= content.end - content.start:
                return q
        return content

    def _is_direct(self, content: Span) -> bool:
        """Quoted speech: the content is a quotation, or opens or closes with one."""
        return any(q.start <= content.start and content.end <= q.end or q.start == content.start
                   or q.end == content.end for q in self.quotes)

    # ---- report nouns

    def noun_statement(self, noun) -> Optional[_Found]:
        """``X issued a statement condemning ...``; ``X's claim that ...``."""
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in self.lex.report_nouns:
            return None
        if noun.dep_ == "dobj" and _supports(noun.head, self.lex.support_verbs) and _asserted(noun.head):
            support = noun.head
            subject = _subject(support)
            if subject is None:
                return None
            speaker, role = self._speaker(subject)
            if not speaker:
                return None
            content = _subtree_span(noun)
            cue = _union(_token_span(support), _token_span(noun))
            evidence = _union(_own_clause(support, content), content)
            return _Found(speaker, role, cue, support, content, evidence, self._is_direct(content))
        agent = _noun_agent(noun)
        clause = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "appos") and _has_mark(c, "that")]
        if agent is None or not clause:
            return None
        speaker, role = self._speaker(agent)
        if not speaker:
            return None
        content = _union(*(_subtree_span(c) for c in clause))
        evidence = _union(_subtree_span(noun), content)
        return _Found(speaker, role, _token_span(noun), noun, content, evidence, self._is_direct(content))

    # ---- attribution phrases

    def attribution(self, token) -> Optional[_Found]:
        """``according to X, ...`` and ``in X's view, ...``: the phrase's clause is the content."""
        source, phrase = self._attribution_source(token)
        if source is None:
            return None
        clause_head = phrase.head
        speaker, role = self._speaker(source)
        if not speaker:
            return None
        phrase_span = _subtree_span(phrase)
        clause = _subtree_span(clause_head)
        content = _larger_side(self.text, clause, phrase_span)
        if content is None:
            return None
        if phrase.lower_ in self.lex.according_to:  # the cue is "according to", the source follows it
            cue = _trim(self.text, Span(phrase.idx, _token_span(source.left_edge).start))
        else:  # "in Moscow's view"
            cue = phrase_span
        return _Found(speaker, role, cue, clause_head, content, _union(clause, phrase_span),
                      self._is_direct(content))

    def _attribution_source(self, token):
        """(source noun, the phrase's head token) for an attribution phrase at ``token``."""
        lemma = token.lower_
        if lemma in self.lex.according_to and token.dep_ == "prep":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            pobj = next((c for c in (to.children if to is not None else []) if c.dep_ == "pobj"), None)
            return pobj, token
        if (token.lemma_.lower() in self.lex.view_nouns and token.dep_ == "pobj"
                and token.head.lower_ == "in" and token.head.dep_ == "prep"):
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            return owner, token.head
        return None, None

    # ---- speakers

    def _speaker(self, head) -> tuple[list[str], Optional[str]]:
        """Actor ids behind a subject (it and its conjuncts) and the role the text gives."""
        ids: list[str] = []
        role = None
        for part in _conjuncts(head):
            part_ids, part_role = self._one_speaker(part)
            ids.extend(i for i in part_ids if i not in ids)
            role = role or part_role
        return ids, role

    def _one_speaker(self, head) -> tuple[list[str], Optional[str]]:
        if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":  # "Glaser, who said ..."
            head = head.head.head
        index = self.ctx.actors
        at_head = _token_span(head)
        ids = index.ids_at(at_head.start, at_head.end)
        if ids:
            return ids, self._role(head)
        core = _core_span(head)
        core_ids = index.ids_in(core.start, core.end)
        for appos in (c for c in head.children if c.dep_ == "appos"):  # "Y's minister, X, said"
            span = _token_span(appos)
            ids = index.ids_at(span.start, span.end)
            if ids:
                return ids + [i for i in core_ids if i not in ids], _clean(self.text, _without(head, appos))
        if core_ids:
            return core_ids, self._role(head)
        for pobj in _source_objects(head, self.lex.source_preps):  # "figures from KOTRA"
            ids, _ = self._one_speaker(pobj)
            if ids:
                return ids, None
        return [], None

    def _role(self, head) -> Optional[str]:
        """The appositive ("X, the director of Y") or the title before the name ("Professor X")."""
        for appos in (c for c in head.children if c.dep_ == "appos"):
            return _clean(self.text, _subtree_span(appos))
        name = self._name_span(head)
        core = _core_span(head)
        if name is None or name.start <= core.start:
            return None
        title_tokens = [t for t in self.doc.char_span(core.start, name.start, alignment_mode="expand") or []
                        if t.pos_ in ("NOUN", "PROPN") and not t.like_num]
        if not title_tokens:  # "the 1961 treaty": a date or number is no role
            return None
        title = _clean(self.text, Span(core.start, name.start))
        return re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.I) or None

    def _name_span(self, head) -> Optional[Span]:
        """The actor mention (else the named entity) that covers the subject's head word."""
        at = _token_span(head)
        for mention, _ in getattr(self.ctx.actors, "mentions", []):
            if mention.start <= at.start and at.end <= mention.end:
                return Span(mention.start, mention.end)
        for ent in self.doc.ents:
            if ent.start <= head.i < ent.end:
                return Span(ent.start_char, ent.end_char)
        return None


# --------------------------------------------------------------------------- dating

def _with_date(ctx, found: _Found) -> Statement:
    return Statement(speaker=found.speaker, date=_speech_date(ctx, found), evidence=found.evidence,
                     content=found.content, cue=found.cue, role=None if not found.role else found.role,
                     direct=found.direct)


def _speech_date(ctx, found: _Found) -> Optional[str]:
    """The date of the act of saying: a time expression around the cue, not inside the content.

    A simple present ("writes", "say") speaks of now: it takes a date only when
    its own part of the sentence has one ("Today, agencies estimate ...").
    """
    if ctx.timeline is None:
        return None
    cue_token = found.cue_token
    sent = cue_token.sent
    frame = _frame(sent.start_char, sent.end_char, found.content, found.cue)
    if _simple_present(cue_token) and not any(frame.start <= t.start and t.end <= frame.end
                                              for t in ctx.timexes):
        return None
    return ctx.timeline.date_for(frame.start, frame.end, trigger=cue_token)


def _frame(sent_start: int, sent_end: int, content: Span, cue: Span) -> Span:
    """The part of the sentence on the cue's side of the content."""
    if content.start >= cue.end:
        return Span(sent_start, max(content.start, cue.end))
    if content.end <= cue.start:
        return Span(min(content.end, cue.start), sent_end)
    return Span(sent_start, sent_end)


def _simple_present(verb) -> bool:
    return verb.tag_ in ("VBZ", "VBP") and not any(c.dep_ == "aux" for c in verb.children)


# --------------------------------------------------------------------------- parse helpers

def _asserted(verb) -> bool:
    """False for a cue that nobody is said to have used: negated, conditional, modal, passive."""
    for c in verb.children:
        if c.dep_ == "neg" or c.dep_ in ("auxpass", "nsubjpass"):
            return False
        if c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL_AUX:
            return False
        if c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS:
            return False
    return True


def _subject(verb):
    """The verb's subject, or the one it shares: conjoined verbs, control verbs, participles."""
    seen = 0
    while verb is not None and seen < 6:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        if any(c.dep_ in ("nsubjpass", "expl", "csubj") for c in verb.children):
            return None
        shares = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
        if not shares or verb.head is verb:
            return None
        verb, seen = verb.head, seen + 1
        if verb.pos_ not in ("VERB", "AUX"):
            return None
    return None


def _conjuncts(head) -> list:
    out = [head]
    for c in head.children:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON"):
            out.extend(_conjuncts(c))
    return out


def _core_span(head) -> Span:
    """The subject's noun phrase up to its head: determiners, modifiers, compounds, possessors."""
    start = head
    for c in sorted((c for c in head.children if c.i < head.i), key=lambda t: -t.i):
        if c.dep_ not in _CORE_LEFT_DEPS or c.right_edge.i != start.i - 1:
            break
        start = c.left_edge
    return Span(start.idx, head.idx + len(head))


def _source_objects(head, preps: Iterable[str]) -> list:
    return [g for c in head.children if c.dep_ == "prep" and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def _supports(verb, support_verbs) -> bool:
    """``issued a statement``, ``put out a statement``; not ``gave up its claims`` (a particle verb)."""
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    return verb.lemma_.lower() in support_verbs and particles <= {"out"}


def _noun_agent(noun):
    """The one who made a report noun: its possessor, or the object of ``by``/``from``."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")):
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if pobj is not None:
            return pobj
    return None


def _has_mark(token, word: str) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == word for c in token.children)


def _own_clause(verb, content: Span) -> Span:
    """The verb's clause without verbs joined to it (their own acts), plus the content."""
    tokens = [verb]
    for c in verb.children:
        if c.dep_ in _OWN_ACT_DEPS and not _inside(_subtree_span(c), content):
            continue  # a verb joined to the cue, or a clause the parser hung on it, is its own act
        if c.dep_ in ("cc", "punct") and c.i > verb.i:
            continue
        tokens.extend(c.subtree)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return _union(Span(start, end), content)


def _ends_plainly(verb, ignore: Optional[Span] = None) -> bool:
    """Nothing but the time, place or outlet follows the verb ("X said", "X wrote in 2017")."""
    for c in verb.children:
        if c.i < verb.i or ignore is not None and ignore.start <= c.idx < ignore.end:
            continue
        if c.dep_ == "prep" and c.lower_ not in _TOPIC_PREPS or c.dep_ in _PLAIN_RIGHT_DEPS:
            continue
        return False
    return True


def _separated_by_comma_or_quote(clause, verb) -> bool:
    """``"...," X said`` and ``..., said X``: a comma or closing quote ends the clause."""
    between = [t for t in clause.doc[clause.right_edge.i + 1: verb.i]]
    marks = [t for t in between if t.is_punct]
    return any(t.text in (",", "\u201d", "\"", "'", "\u2019") for t in marks) and not any(
        t.text in (";", ":") for t in marks)


def _first_word_after(verb, pos: int) -> int:
    for t in verb.sent:
        if t.idx >= pos and not t.is_punct:
            return t.idx
    return verb.idx


def _without(head, part) -> Span:
    """The subtree of ``head`` up to where ``part`` begins (a title before its appositive name)."""
    start = head.left_edge.idx
    end = max(part.left_edge.idx, head.idx + len(head))
    return Span(start, end)


def _token_span(token) -> Span:
    return Span(token.idx, token.idx + len(token))


def _subtree_span(token) -> Span:
    return Span(token.left_edge.idx, token.right_edge.idx + len(token.right_edge))


def _union(*spans: Optional[Span]) -> Span:
    real = [s for s in spans if s is not None]
    return Span(min(s.start for s in real), max(s.end for s in real))


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _larger_side(text: str, clause: Span, phrase: Span) -> Optional[Span]:
    """The clause without an attribution phrase at its start or end."""
    before = _trim(text, Span(clause.start, phrase.start))
    after = _trim(text, Span(phrase.end, clause.end))
    best = max((s for s in (before, after) if s.end > s.start), key=lambda s: s.end - s.start, default=None)
    return best


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return Span(start, end)


def _clean(text: str, span: Span) -> Optional[str]:
    trimmed = _trim(text, span)
    value = " ".join(text[trimmed.start:trimmed.end].split())
    return value or None
