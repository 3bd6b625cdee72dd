"""PLOVER events: who did what to whom, when, from the dependency parse and the event lexicon.

Contract: ``extract_events(ctx) -> list[Event]``.

For each sentence, verbs and nominal triggers are looked up in the event lexicon
(``diplograph/data/events.yaml`` over the CAMEO-derived ``events_cameo.yaml``); the source is the
actor(s) of the subject (or, for a nominal trigger, its possessor / demonym / "by" phrase), the
target the actor(s) of the object and of target prepositions ("to", "with", "against", "on").
Subjects are carried into infinitives, conjuncts and relative clauses, so "persuade X to
revoke", "Resolution 1718, which imposed sanctions" and "sanctions imposed on X" find their
actors. A trigger without any actor is dropped: every record must be a checkable claim.
Evidence is the trigger's clause (its subtree without subordinate clauses and conjuncts).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Optional

from diplograph.data.lexicon import EventLexicon, VerbRule, event_lexicon
from diplograph.model import Event, Span

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Dependency labels (spaCy's English scheme) that the coder reads.
SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}
CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "conj", "cc", "csubj"}
TARGET_PREPS = {"to", "with", "against", "on", "into", "toward", "towards", "at", "upon", "over",
                "onto", "between", "among"}
# Prepositions that name the target only for some types: "withdrew from X", "met in Beijing"
# (the latter only when nobody else is named).
TYPE_TARGET_PREPS = {"RETREAT": {"from"}, "SANCTION": {"from"}}
PLACE_TARGET_TYPES = {"CONSULT"}
SOURCE_PREPS = {"by", "from"}  # of a nominal trigger: "condemnation from", "a visit by"
RELATIVE_TAGS = {"WDT", "WP", "WP$"}
QUANTIFIERS = {"some", "all", "most", "many", "part", "much", "few", "none", "one", "any", "each",
               "several", "both", "half", "majority", "rest"}
VERB_POS = {"VERB"}
NOUN_POS = {"NOUN", "PROPN"}
# Types read as between their participants when the text names only a group of them
# ("the two countries renewed the treaty", "both sides agreed an armistice").
# Nominal triggers of these types report an act without a target ("North Korea's missile
# launches"); they also stay beside a verb event of another actor ("denounced the test").
SELF_CONTAINED_TYPES = {"MOBILIZE", "PROTEST"}
MATERIAL_ACT_TYPES = {"MOBILIZE", "PROTEST", "ASSAULT", "COERCE"}
RECIPROCAL_TYPES = {"AGREE", "CONSULT", "COOPERATE", "ASSAULT", "SUPPORT"}


@dataclass
class Trigger:
    """A token the lexicon reads as an event, before actors and flags are attached."""

    token: "Token"
    type: str
    mode: Optional[str]
    nominal: bool
    rule: str = ""
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- entry point

def extract_events(ctx) -> list[Event]:
    """PLOVER events of the document, in text order, ids ``ev-1``, ``ev-2``, ..."""
    lexicon = event_lexicon()
    events: list[Event] = []
    for sent in ctx.doc.sents:
        for trig in code_sentence(sent, lexicon, ctx.actors, ctx.document.body_start or 0):
            events.append(_as_event(trig, sent, ctx, lexicon, len(events) + 1))
    return events


def code_sentence(sent: "SpacySpan", lexicon: EventLexicon, actors, body_start: int = 0) -> list[Trigger]:
    """The triggers of one sentence that have an actor, with source and target filled in."""
    triggers = [t for t in (_read_token(tok, lexicon, actors) for tok in sent) if t]
    triggers = [t for t in triggers if t.token.idx >= body_start]  # not the dateline or title
    by_token = {t.token.i: t for t in triggers}
    kept = []
    for trig in triggers:
        if _governed_by_trigger(trig, by_token):
            continue
        if trig.nominal:
            trig.source, trig.target = _noun_roles(trig.token, actors)
            if _absorbed_by_verb(trig, by_token, actors):
                continue
            if not (trig.source and (trig.target or trig.type in SELF_CONTAINED_TYPES)):
                continue  # "UN sanctions", "its aggression": a topic, not a reported act
        else:
            if _subject_is_bare_thing(trig.token, actors):
                continue  # "famine killed", "strains deepened": no actor acts
            trig.source, trig.target = _verb_roles(trig.token, actors, trig.type)
        trig.target = [a for a in trig.target if a not in trig.source] or (
            list(trig.source) if len(trig.source) > 1 and trig.type in RECIPROCAL_TYPES else [])
        if trig.source or trig.target:
            kept.append(trig)
    return kept


# --------------------------------------------------------------------------- lexicon lookup

def _read_token(tok: "Token", lexicon: EventLexicon, actors) -> Optional[Trigger]:
    if tok.pos_ in VERB_POS or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return _read_verb(tok, lexicon, actors)
    if tok.pos_ in NOUN_POS:
        return _read_noun(tok, lexicon)
    return None


def _read_verb(tok: "Token", lexicon: EventLexicon, actors) -> Optional[Trigger]:
    lemma = tok.lemma_.lower()
    rules = lexicon.verb_rules(lemma)
    if not rules and lemma not in lexicon.light_verbs:
        return None
    particles = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "agent", "dative")}
    objects, pobjs = _object_heads(tok, actors)
    noun_object = _light_verb_object(tok, lexicon) if lemma in lexicon.light_verbs else None
    for rule in rules:
        if not rule.objects and not rule.pobj and noun_object:
            break  # a light verb takes its event from its object noun ("held talks")
        if _rule_fits(rule, particles, objects, pobjs):
            return Trigger(tok, rule.type, rule.mode, False, rule.source) if rule.type else None
    if noun_object:
        return Trigger(tok, noun_object.type, noun_object.mode, False, f"{lemma} +{noun_object.lemma}")
    return None


def _rule_fits(rule: VerbRule, particles: set[str], objects: set[str], pobjs: set[str]) -> bool:
    if not rule.particles <= particles:
        return False
    if rule.objects and not (rule.objects & (objects | pobjs)):
        return False
    if rule.pobj and not (rule.pobj & pobjs):
        return False
    return True


def _object_heads(tok: "Token", actors) -> tuple[set[str], set[str]]:
    """Lemmas of what the verb acts on: objects, passive or inanimate subjects; and pobj heads."""
    heads: list["Token"] = []
    pobjs: set[str] = set()
    for child in tok.children:
        if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS:
            heads.append(child)
        elif child.dep_ in SUBJECTS and not _is_actor(child, actors):
            heads.append(child)  # "trade resumed", "the aid stopped", "sanctions eased"
        elif child.dep_ in ("prep", "agent"):
            pobjs.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        heads.append(tok.head)  # "sanctions imposed on X": the head noun is the object
    heads += [g for h in heads if h.lemma_.lower() in QUANTIFIERS
              for p in h.children if p.dep_ == "prep" and p.lower_ == "of"
              for g in p.children if g.dep_ == "pobj"]  # "upheld some of the sanctions"
    heads += [c for h in heads for c in h.conjuncts]
    return {h.lemma_.lower() for h in heads}, pobjs


def _light_verb_object(tok: "Token", lexicon: EventLexicon):
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            rule = _noun_rule(child, lexicon)
            if rule:
                return rule
    return None


def _read_noun(tok: "Token", lexicon: EventLexicon) -> Optional[Trigger]:
    rule = _noun_rule(tok, lexicon)
    if rule is None:
        return None
    return Trigger(tok, rule.type, rule.mode, True, rule.lemma)


def _noun_rule(tok: "Token", lexicon: EventLexicon):
    if tok.dep_ == "compound":  # "missile test launch": the head noun carries the event
        return None
    rules = lexicon.noun_rules(tok.lemma_.lower())
    if not rules:
        return None
    mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        mods.update(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    for rule in rules:
        if not rule.modifiers or rule.modifiers & mods:
            return rule
    return None


# --------------------------------------------------------------------------- which trigger speaks

def _governed_by_trigger(trig: Trigger, by_token: dict) -> bool:
    """An infinitive under an event verb is part of that event ("refused to", "agreed to")."""
    tok = trig.token
    if trig.nominal:
        return False
    if tok.dep_ in ("xcomp",) and tok.head.i in by_token and not by_token[tok.head.i].nominal:
        return True
    return False


def _absorbed_by_verb(trig: Trigger, by_token: dict, actors) -> bool:
    """A nominal trigger that a verb event already reports ("imposed sanctions", "held a summit").

    It stays when it names its own source distinct from the verb's ("China denounced a North
    Korean missile test": the test is North Korea's event).
    """
    tok = trig.token
    if any(c.dep_ in ("acl", "relcl") and c.i in by_token for c in tok.children):
        return True  # "sanctions imposed on X", "sanctions, which Beijing voted for"
    head = tok.head
    for _ in range(6):
        if head.pos_ in VERB_POS or head.head.i == head.i:
            break
        head = head.head
    if head.i not in by_token or by_token[head.i].nominal or head.i == tok.i:
        return False
    verb_source, _ = _verb_roles(head, actors, by_token[head.i].type)
    if not trig.source or not verb_source or trig.type not in MATERIAL_ACT_TYPES:
        return True
    return bool(set(trig.source) & set(verb_source))


# --------------------------------------------------------------------------- actors

def _is_actor(tok: "Token", actors) -> bool:
    return bool(actors.ids_in(tok.idx, tok.idx + len(tok.text))) if actors else False


def _core_tokens(tok: "Token") -> list["Token"]:
    """The phrase of ``tok`` without its subordinate clauses and conjoined clauses."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in CLAUSAL and not (child.dep_ in ("conj", "cc") and tok.pos_ in NOUN_POS | {"PRON"}):
            continue
        out.extend(_core_tokens(child))
    return out


def _span_ids(tokens: Iterable["Token"], actors) -> list[str]:
    toks = list(tokens)
    if not toks or actors is None:
        return []
    ids: list[str] = []
    for t in sorted(toks, key=lambda t: t.i):  # per token keeps text order and skips gaps
        for aid in actors.ids_in(t.idx, t.idx + len(t.text)):
            if aid not in ids:
                ids.append(aid)
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    for aid in actors.ids_in(start, end):  # multi-token mentions ("North Korea")
        if aid not in ids and _mention_inside(actors, aid, toks):
            ids.append(aid)
    return ids


def _mention_inside(actors, aid: str, toks: list["Token"]) -> bool:
    """True when a mention of ``aid`` lies on the given tokens (not in a gap between them)."""
    covered = {(t.idx, t.idx + len(t.text)) for t in toks}
    starts = {s for s, _ in covered}
    ends = {e for _, e in covered}
    for mention, mid in getattr(actors, "mentions", []):
        if mid == aid and mention.start in starts and mention.end in ends:
            return True
    return not getattr(actors, "mentions", None)


def _phrase_ids(tok: "Token", actors) -> list[str]:
    """Actor ids of a noun phrase; a relative pronoun stands for its antecedent."""
    if tok.tag_ in RELATIVE_TAGS and tok.head.dep_ == "relcl":
        tok = tok.head.head
    elif tok.tag_ in RELATIVE_TAGS and tok.head.dep_ == "prep" and tok.head.head.dep_ == "relcl":
        tok = tok.head.head.head
    return _span_ids(_core_tokens(tok), actors)


def _subject_ids(verb: "Token", actors, depth: int = 0) -> list[str]:
    """The actors doing ``verb``: its subject, else the subject it inherits from its governor."""
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            ids = _phrase_ids(child, actors)
            if not ids and child.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
                antecedent = verb.head  # "passed a resolution, which imposed": the passer acts
                if _is_inanimate(antecedent) and antecedent.head.pos_ in VERB_POS and depth < 4:
                    return _subject_ids(antecedent.head, actors, depth + 1)
            if ids or not _is_inanimate(child):
                return ids
    for child in verb.children:
        if child.dep_ == "agent":
            return [a for g in child.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
    if depth > 4 or verb.dep_ == "ROOT":
        return []
    head = verb.head
    if verb.dep_ == "relcl":
        return _phrase_ids(head, actors)
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":  # "sanctions imposed on X": the actors named on the head noun
            return _span_ids(_modifier_tokens(head), actors)
        ids = _phrase_ids(head, actors)
        if not ids and _is_inanimate(head) and head.head.pos_ in VERB_POS:
            return _subject_ids(head.head, actors, depth + 1)  # "a willingness to hold talks"
        return ids
    if verb.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp"):
        if verb.dep_ == "xcomp":  # object control: "persuade X to", "catalyzed X to restore"
            for child in head.children:
                if child.dep_ in ("dobj",):
                    ids = _phrase_ids(child, actors)
                    if ids:
                        return ids
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
        return _subject_ids(head, actors, depth + 1)
    return []


def _subject_is_bare_thing(verb: "Token", actors) -> bool:
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            return _is_inanimate(child) and not _span_ids(_core_tokens(child), actors)
    return False


def _is_inanimate(tok: "Token") -> bool:
    return tok.pos_ == "NOUN"


def _modifier_tokens(noun: "Token") -> list["Token"]:
    """A noun's own modifiers (possessor, compound, adjective): "U.S. sanctions", "China's"."""
    out: list["Token"] = []
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
            out.extend(child.subtree)
    return out


def _verb_roles(verb: "Token", actors, type_: str) -> tuple[list[str], list[str]]:
    passive = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS]
    source = _subject_ids(verb, actors) if not passive else []
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                source = [a for g in child.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
    target: list[str] = []
    for child in verb.children:
        ids: list[str] = []
        if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS:
            ids = _phrase_ids(child, actors)
        elif child.dep_ in ("prep",) and (child.lower_ in TARGET_PREPS or
                                           child.lower_ in TYPE_TARGET_PREPS.get(type_, ())):
            ids = [a for g in child.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
        target += [a for a in ids if a not in target]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not source:
        source = _span_ids(_modifier_tokens(verb.head), actors)
    for subj in (c for c in verb.children if c.dep_ in SUBJECTS and _is_inanimate(c)):
        source = _span_ids(_modifier_tokens(subj), actors)  # "China's punitive steps against X"
        for prep in (c for c in subj.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS):
            target += [a for g in prep.children if g.dep_ == "pobj"
                       for a in _phrase_ids(g, actors) if a not in target]
    if passive and not source and len(target) > 1 and type_ in RECIPROCAL_TYPES:
        source = list(target)
    if not target:  # "refused to return to talks with Seoul": the infinitive names the target
        for child in verb.children:
            if child.dep_ == "xcomp" and child.pos_ in VERB_POS:
                target = [a for a in _verb_roles(child, actors, type_)[1] if a not in source]
                break
    if not target and type_ in PLACE_TARGET_TYPES:  # "held a meeting in Beijing"
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
            target += [a for g in prep.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
    if verb.dep_ == "relcl" and not target:  # "Resolution 1718, which Beijing voted for"
        for child in verb.children:
            rel = [child] + [g for g in child.children if child.dep_ == "prep"]
            if any(r.tag_ in RELATIVE_TAGS and r.dep_ in ("dobj", "pobj") for r in rel):
                target = _phrase_ids(verb.head, actors)
    return source, target


def _noun_roles(noun: "Token", actors) -> tuple[list[str], list[str]]:
    """Source: possessor, demonym/compound, "by"/"from" phrase; target: "to/on/against/with X"."""
    source = _span_ids(_modifier_tokens(noun), actors)
    target: list[str] = []
    for prep in (c for c in noun.children if c.dep_ in ("prep", "agent")):
        pobj_ids = [a for g in prep.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
        if prep.lower_ in SOURCE_PREPS or prep.dep_ == "agent":
            source += [a for a in pobj_ids if a not in source]
        elif prep.lower_ == "between":
            source += [a for a in pobj_ids if a not in source]
            target += [a for a in pobj_ids if a not in target]
        elif prep.lower_ in TARGET_PREPS or prep.lower_ == "of":
            target += [a for a in pobj_ids if a not in target]
    verb = noun.head if noun.dep_ in ("dobj", "pobj") else None
    if verb is not None and verb.dep_ == "prep" and noun.dep_ == "pobj":
        verb = verb.head
    if not source and verb is not None and verb.pos_ in VERB_POS:
        source = _subject_ids(verb, actors)  # "reforms led to growing trade with Seoul"
        subj = [c for c in verb.children if c.dep_ in SUBJECTS and _is_inanimate(c)]
        if subj:
            source = _span_ids(_modifier_tokens(subj[0]), actors)
    return source, target


# --------------------------------------------------------------------------- evidence, flags, date

def evidence_span(tok: "Token", sent: "SpacySpan") -> tuple[int, int]:
    """The trigger's clause: its phrase without subordinate and conjoined clauses, in the sentence."""
    toks = [t for t in _core_tokens(tok) if sent.start <= t.i < sent.end and not t.is_punct] or [tok]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def _clause_chain(tok: "Token") -> list["Token"]:
    """The trigger and the verbs it hangs from within its sentence (for flags)."""
    chain = [tok]
    cur = tok
    while cur.dep_ in ("xcomp", "ccomp", "conj", "pcomp", "dobj", "pobj", "prep", "relcl", "acl",
                       "advcl", "nsubj", "nsubjpass") and cur.head.i != cur.i and len(chain) < 8:
        cur = cur.head
        chain.append(cur)
        if cur.dep_ == "ROOT":
            break
    return chain


def flags_for(tok: "Token", lexicon: EventLexicon) -> tuple[bool, bool, bool]:
    """(negated, hedged, hypothetical) from the trigger's own clause and the verbs above it."""
    cues = lexicon.flags
    negation = set(cues.negation)
    negated = any(c.dep_ == "neg" or (c.lower_ in negation and c.dep_ in ("advmod", "det", "neg"))
                  for c in tok.children)
    hedged = hypothetical = False
    for i, node in enumerate(_clause_chain(tok)):
        for c in node.children:
            low = c.lower_
            if c.dep_ in ("aux", "advmod", "amod") and low in cues.hedge_words:
                hedged = True
            if c.dep_ == "aux" and low in cues.hypothetical_aux:
                hypothetical = True
            if c.dep_ == "mark" and low in cues.hypothetical_marks:
                hypothetical = True
            if i > 0 and node.pos_ in VERB_POS and c.dep_ == "neg" and node.head.i != tok.i:
                if node.lemma_.lower() in ("try", "attempt", "seek", "plan", "intend", "want"):
                    negated = True
        if i > 0 and node.lemma_.lower() in cues.hedge_verbs:
            hedged = True
        if i > 0 and node.lower_ == "said" and any(c.dep_ == "auxpass" for c in node.children):
            hedged = True  # "X is said to have ..."
    return negated, hedged, hypothetical


def _as_event(trig: Trigger, sent, ctx, lexicon: EventLexicon, number: int) -> Event:
    start, end = evidence_span(trig.token, sent)
    negated, hedged, hypothetical = flags_for(trig.token, lexicon)
    date = None
    if ctx.timeline is not None:
        date = ctx.timeline.date_for(start, end, trigger=trig.token)
        if date is None:
            date = ctx.timeline.date_for(sent.start_char, sent.end_char, trigger=trig.token)
    tok = trig.token
    return Event(id=f"ev-{number}", type=trig.type, source=trig.source, target=trig.target,
                 date=date, evidence=Span(start, end), trigger=Span(tok.idx, tok.idx + len(tok.text)),
                 mode=trig.mode, negated=negated, hedged=hedged, hypothetical=hypothetical)
