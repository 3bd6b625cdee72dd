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

Argument rules (word lists in ``events.yaml`` under ``roles``): a relative clause on a thing
("droughts which damage") has no actor; purpose infinitives and infinitives under modality
words ("a willingness to talk") are aims, not events; causative objects act ("forced X to
ease"); a directive noun's infinitive is done by whom it reaches ("X obeyed Y's request to
send troops"); dyadic types (COOPERATE, AID, CONSULT, SUPPORT, ACCUSE) need a counterpart,
found in objects, target prepositions, else anywhere in the trigger's own phrase; a plural
source acting on "their" own thing or with no one else is its own target; conjoined predicates
of one source, type and target are one record; a negated SUPPORT/AGREE/COOPERATE/CONCEDE is a
REJECT; questions, headings and re-mentions of a nominal event add no record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
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
# Prepositions of a subject phrase that name whom its act is aimed at, not who acts
# ("sanctions against X hurt", "trade with X resumed").
SUBJECT_TARGET_PREPS = TARGET_PREPS - {"between", "among"}
INFINITIVE_CLAUSES = {"advcl", "relcl"}
FINITE_TAGS = {"VBD", "VBZ", "VBP"}
HYPHENS = {"-", "\u2010", "\u2011", "\u2013"}
# Children of a trigger that are not part of its own phrase when looking for a counterpart.
NOT_OWN_PHRASE = {"nsubj", "nsubjpass", "csubj", "csubjpass", "mark", "cc", "punct", "parataxis",
                  "relcl", "agent", "expl", "aux", "auxpass", "neg"}
# Prepositions of time and circumstance (who they name is the setting, not a party) and verbs
# that only place an event in time ("talks, which began in 1955"): events.yaml, roles.


@lru_cache(maxsize=1)
def _setting_preps() -> frozenset[str]:
    return frozenset(event_lexicon().roles.setting_preps)


@lru_cache(maxsize=1)
def _aspect_verbs() -> frozenset[str]:
    return frozenset(event_lexicon().roles.aspect_verbs)



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
    joined: list["Token"] = field(default_factory=list)  # conjoined predicates it stands for


# --------------------------------------------------------------------------- entry point

def extract_events(ctx) -> list[Event]:
    """PLOVER events of the document, in text order, ids ``ev-1``, ``ev-2``, ..."""
    lexicon = event_lexicon()
    headings = heading_spans(ctx.document.text)
    events: list[Event] = []
    nominals: list[tuple[str, Event]] = []  # (trigger lemma, event) of nominal triggers so far
    for sent in ctx.doc.sents:
        for trig in code_sentence(sent, lexicon, ctx.actors, ctx.document.body_start or 0):
            if any(s <= trig.token.idx < e for s, e in headings):
                continue  # a title or heading names a topic, it reports no act
            event = _as_event(trig, sent, ctx, lexicon, len(events) + 1)
            if trig.nominal:
                lemma = trig.token.lemma_.lower()
                if trig.type not in lexicon.roles.self_contained_types and _mentioned_before(
                        lemma, event, nominals):
                    continue
                nominals.append((lemma, event))
            events.append(event)
    _fill_implicit_targets(events, ctx, lexicon)
    return events


def _fill_implicit_targets(events: list[Event], ctx, lexicon: EventLexicon) -> None:
    """Give a targetless sanction, aid or coercion the state its paragraph is about.

    "When the Soviet Union collapsed, the Russian aid stopped" names no recipient; a
    paragraph that keeps naming North Korea is about North Korea. Only a clear focus counts
    (``ActorIndex.clear_focus``).
    """
    wanted = set(lexicon.roles.implicit_target_types)
    if not wanted or not hasattr(ctx.actors, "clear_focus"):
        return
    for event in events:
        if event.type not in wanted or event.target or not event.source:
            continue
        start, end = paragraph_bounds(ctx.document.text, event.evidence.start, event.evidence.end)
        focus = ctx.actors.clear_focus(start, end, exclude=event.source)
        if focus is not None:
            event.target = [focus]


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (paragraph) around ``[start, end)``."""
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    return p_start, len(text) if p_end < 0 else p_end


HEADING = re.compile(r"^[^\n]{1,120}$", re.M)
SENTENCE_END = tuple('.!?:;"\u201d)')


def heading_spans(text: str) -> list[tuple[int, int]]:
    """Lines that stand alone without closing punctuation: titles and headings."""
    return [(m.start(), m.end()) for m in HEADING.finditer(text)
            if not m.group().rstrip().endswith(SENTENCE_END) and len(m.group().split()) <= 15]


def _mentioned_before(lemma: str, event: Event, nominals: list[tuple[str, Event]]) -> bool:
    """A nominal trigger that names an act already recorded ("the war", "the 1965 war" again)
    refers back to it; it is not a new event."""
    for prior_lemma, prior in nominals:
        if (prior_lemma == lemma and prior.type == event.type and set(prior.source) == set(event.source)
                and set(prior.target) == set(event.target)
                and (event.date is None or event.date == prior.date)):
            return True
    return False


def code_sentence(sent: "SpacySpan", lexicon: EventLexicon, actors, body_start: int = 0) -> list[Trigger]:
    """The triggers of one sentence that have an actor, with source and target filled in."""
    roles = lexicon.roles
    if sent.text.rstrip().endswith("?"):
        return []  # a question ("Do the two countries have an alliance?") reports nothing
    triggers = [t for t in (_read_token(tok, lexicon, actors) for tok in sent) if t]
    triggers = [t for t in triggers if t.token.idx >= body_start]  # not the dateline or title
    by_token = {t.token.i: t for t in triggers}
    kept = []
    for trig in triggers:
        if _governed_by_trigger(trig, by_token, actors, roles) or _is_intention(trig.token, roles, actors):
            continue
        if trig.type == "AGREE" and not trig.nominal and any(
                c.dep_ == "xcomp" and c.i in by_token and by_token[c.i].type in roles.material_act_types
                for c in trig.token.children):
            trig.type, trig.mode = "THREATEN", None  # "vowed to strengthen its military"
        if trig.nominal:
            trig.source, trig.target = _noun_roles(trig.token, actors, trig.type, roles)
            if _absorbed_by_verb(trig, by_token, actors, roles):
                continue
            if not trig.source and not (trig.target and trig.type in roles.material_act_types and any(
                    c.dep_ == "prep" and c.lower_ == "of" for c in trig.token.children)):
                continue  # "UN sanctions", "its aggression": a topic, not a reported act
        else:
            if _subject_is_bare_thing(trig.token, actors, roles):
                continue  # "famine killed", "droughts which damage harvests": no actor acts
            trig.source, trig.target = _verb_roles(trig.token, actors, trig.type, roles)
        trig.target = _settled_target(trig, actors, roles)
        if not trig.target and (trig.type in roles.dyadic_types or
                                (trig.nominal and trig.type not in roles.self_contained_types)):
            continue  # "it established a rail route": no counterpart, no relation between two
        if trig.source or (trig.target and trig.type in roles.material_act_types and (
                trig.nominal or any(c.dep_ in PASSIVE_SUBJECTS for c in trig.token.children))):
            kept.append(trig)  # "the sinking of X's warship", "X was shelled": attacker unnamed
    return _merge_conjoined(kept)


def _settled_target(trig: Trigger, actors, roles) -> list[str]:
    """The target without the source; a plural source acting on itself; else a counterpart
    named anywhere in the trigger's own phrase ("a willingness to talk with X")."""
    source = trig.source
    target = [a for a in trig.target if a not in source]
    if target:
        return target
    plural = len(source) > 1
    if plural and (trig.type in roles.reciprocal_types or trig.target or _group_subject(trig.token)):
        return list(source)  # "the two sides met", "X and Y abandoned their agreement"
    if source and not plural and not trig.nominal:
        return [a for a in _span_ids(_own_phrase(trig.token, actors), actors) if a not in source]
    return []


def _group_subject(tok: "Token") -> bool:
    """The subject is one phrase naming several parties ("both sides", "the two countries"),
    so an act without another party is between them."""
    subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
    return bool(subjects) and subjects[0].pos_ in NOUN_POS | {"PRON"} and not any(
        c.dep_ == "conj" for c in subjects[0].children)


def _own_phrase(tok: "Token", actors) -> list["Token"]:
    """The trigger's phrase with its objects, complements and purpose, without its subject and
    without clauses that have an actor subject of their own."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in NOT_OWN_PHRASE or child.i == tok.i:
            continue
        if child.dep_ == "prep" and (child.lower_ in _setting_preps() or any(
                g.ent_type_ in ("DATE", "TIME") or g.pos_ == "NUM" for g in child.children)):
            continue
        if child.pos_ in VERB_POS | {"AUX"} and any(
                g.dep_ in SUBJECTS | PASSIVE_SUBJECTS and _span_ids(_core_tokens(g), actors)
                for g in child.children):
            continue
        out.extend(_own_phrase(child, actors))
    return out


def _merge_conjoined(kept: list[Trigger]) -> list[Trigger]:
    """One act, one record: "shut its borders and halted all trade" is one SANCTION."""
    by_token = {t.token.i: t for t in kept}
    out = []
    for trig in kept:
        tok = trig.token
        head = by_token.get(tok.head.i) if tok.dep_ == "conj" and not trig.nominal else None
        while head is not None and head not in out and head.token.dep_ == "conj":
            head = by_token.get(head.token.head.i)
        if (head is not None and head in out and head.type == trig.type and not head.nominal
                and set(head.source) == set(trig.source) and set(trig.target) == set(head.target)):
            head.joined.append(tok)  # a conjunct with a new target is an act of its own
            continue
        out.append(trig)
    return out


# --------------------------------------------------------------------------- lexicon lookup

def _read_token(tok: "Token", lexicon: EventLexicon, actors) -> Optional[Trigger]:
    if tok.pos_ in VERB_POS or (tok.pos_ == "AUX" and tok.dep_ == "ROOT") or _verbal_adjective(tok):
        return _read_verb(tok, lexicon, actors)
    if tok.pos_ in NOUN_POS:
        return _read_noun(tok, lexicon)
    return None


def _verbal_adjective(tok: "Token") -> bool:
    """A participle the tagger took for an adjective but that has an object ("and
    appreciated Pakistani assistance"): it is a verb."""
    return tok.pos_ == "ADJ" and tok.tag_ in ("JJ", "VBN", "VBD") and any(
        c.dep_ == "dobj" for c in tok.children)


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
    if not rules and tok.pos_ == "PROPN" and tok.tag_ == "NNPS":  # "the Ambassadorial Talks"
        rules = lexicon.noun_rules(tok.lower_[:-1] if tok.lower_.endswith("s") else tok.lower_)
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

def _governed_by_trigger(trig: Trigger, by_token: dict, actors, roles) -> bool:
    """An infinitive under an event verb is part of that event ("refused to", "agreed to"),
    unless the governor makes someone else act ("forced X to ease") or no actor does the
    governing verb ("shortages forced X to ease": X's easing is the event)."""
    tok = trig.token
    if trig.nominal or tok.dep_ != "xcomp":
        return False
    head = by_token.get(tok.head.i)
    if head is None or head.nominal:
        return False
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.token.children):
        return True  # "would force X to": nothing happened yet
    if _causative_object(tok, roles, actors):
        return False
    return bool(_subject_ids(head.token, actors, roles))


def _is_infinitive(tok: "Token") -> bool:
    return tok.pos_ in VERB_POS and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)


def _is_intention(tok: "Token", roles, actors) -> bool:
    """A purpose infinitive ("to boost exports") or one under a modality word ("a willingness
    to hold talks", "ready to help") states an aim, not an act. Object control stays an act:
    "catalyzed Beijing to restore ties" (the parser may call it a purpose clause)."""
    if not _is_infinitive(tok):
        return False
    if tok.dep_ in INFINITIVE_CLAUSES:
        return not _causative_object(tok, roles, actors, directive=True)
    if tok.dep_ in ("acl", "xcomp") and tok.head.lemma_.lower() in roles.modality_words:
        return True
    if tok.dep_ == "acl" and tok.head.lemma_.lower() in roles.directive_nouns:
        governor = _governing_verb(tok.head)  # "rejected the request to extradite": not done
        return governor is not None and (_refuses(governor) or any(
            c.dep_ == "neg" for c in governor.children))
    return False


def _refuses(verb: "Token") -> bool:
    rules = [r for r in event_lexicon().verb_rules(verb.lemma_.lower()) if r.type]
    return bool(rules) and rules[0].type == "REJECT"


def _causative_object(tok: "Token", roles, actors, directive: bool = False) -> list[str]:
    """Actors of the object of a causative governor ("forced X to", "catalyzed X to"); with
    ``directive`` also of a directive one ("urged X to")."""
    head = tok.head
    verbs = set(roles.causative_verbs) | (set(roles.directive_verbs) if directive else set())
    if tok.dep_ not in ("advcl", "xcomp") or head.lemma_.lower() not in verbs:
        return []
    for child in head.children:
        if child.dep_ in ("dobj",):
            ids = _phrase_ids(child, actors)
            if ids:
                return ids
    return []


def _absorbed_by_verb(trig: Trigger, by_token: dict, actors, roles) -> bool:
    """A nominal trigger that a verb event already reports ("imposed sanctions", "held a summit").

    It stays when it names its own source distinct from the verb's ("China denounced a North
    Korean missile test": the test is North Korea's event).
    """
    tok = trig.token
    if any(c.dep_ in ("acl", "relcl") and c.i in by_token and not _is_infinitive(c) for c in tok.children):
        return True  # "sanctions imposed on X", "sanctions, which Beijing voted for"
    if tok.dep_ == "pobj" and tok.head.lower_ in _setting_preps():
        return False  # "following the war, X occupied Y": the war is an event of its own
    head = _governing_verb(tok)
    if head is None and tok.dep_ == "pobj" and tok.head.head.dep_ in OBJECTS:
        head = _governing_verb(tok.head.head)  # "imposed a ban on exports of"
    if head is None or head.i not in by_token or by_token[head.i].nominal:
        return False
    verb_source, _ = _verb_roles(head, actors, by_token[head.i].type, roles)
    if not trig.source or not verb_source or trig.type not in roles.material_act_types:
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


def _antecedent(relcl: "Token") -> "Token":
    """The noun a relative clause describes; a clause the parser hung on a date inside a
    prepositional phrase describes the noun of that phrase ("sanctions in 2016, which ...")."""
    head = relcl.head
    while (head.dep_ == "pobj" and (head.pos_ == "NUM" or head.ent_type_ in ("DATE", "TIME"))
           and head.head.dep_ == "prep" and head.head.head.pos_ in NOUN_POS):
        head = head.head.head
    return head


def _phrase_ids(tok: "Token", actors) -> list[str]:
    """Actor ids of a noun phrase; a relative pronoun stands for its antecedent."""
    if tok.tag_ in RELATIVE_TAGS and tok.head.dep_ == "relcl":
        tok = _antecedent(tok.head)
    elif tok.tag_ in RELATIVE_TAGS and tok.head.dep_ == "prep" and tok.head.head.dep_ == "relcl":
        tok = _antecedent(tok.head.head)
    return _span_ids(_core_tokens(tok), actors)


def _subject_phrase_ids(subj: "Token", actors) -> list[str]:
    """Who a subject phrase names as acting: not whom its prepositions aim at ("sanctions
    against X", "trade with X")."""
    toks = [subj]
    for child in subj.children:
        if child.dep_ == "prep" and child.lower_ in SUBJECT_TARGET_PREPS:
            continue
        if child.dep_ in CLAUSAL and not (child.dep_ in ("conj", "cc") and subj.pos_ in NOUN_POS | {"PRON"}):
            continue
        toks.extend(_core_tokens(child))
    return _span_ids(toks, actors)


def _relative_subject_ids(verb: "Token", actors, roles, depth: int) -> list[str]:
    """Who acts in "A, which VERBs": A's actors; for an instrument without actors ("passed a
    resolution, which imposed ..."), whoever enacted it. A thing ("droughts which damage
    harvests") makes no actor act."""
    antecedent = _antecedent(verb)
    ids = _phrase_ids(antecedent, actors)
    if ids:
        return ids
    if (antecedent.lemma_.lower() in roles.instrument_nouns and antecedent.dep_ in ("dobj", "nsubjpass")
            and antecedent.head.pos_ in VERB_POS and depth < 4):
        return _subject_ids(antecedent.head, actors, roles, depth + 1)
    return []


def _subject_ids(verb: "Token", actors, roles, depth: int = 0) -> list[str]:
    """The actors doing ``verb``: its subject, else the subject it inherits from its governor."""
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
                return _relative_subject_ids(verb, actors, roles, depth)
            return _subject_phrase_ids(child, actors)
    for child in verb.children:
        if child.dep_ == "agent":
            return [a for g in child.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]
    if verb.tag_ in FINITE_TAGS and verb.i > 0 and verb.nbor(-1).pos_ == "PROPN" and \
            verb.nbor(-1).dep_ == "pobj" and _is_actor(verb.nbor(-1), actors):
        return _phrase_ids(verb.nbor(-1), actors)  # "During the war China obeyed": misparsed subject
    if depth > 4 or verb.dep_ == "ROOT":
        return []
    head = verb.head
    if verb.dep_ == "relcl":
        return _phrase_ids(_antecedent(verb), actors)
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":  # "sanctions imposed on X": the actors named on the head noun
            return _span_ids(_modifier_tokens(head), actors)
        governor = _governing_verb(head)
        if head.lemma_.lower() in roles.directive_nouns and governor is not None:
            ids = _subject_ids(governor, actors, roles, depth + 1)
            if ids:  # "X obeyed the request of Y to send troops": X sends
                return ids
        ids = _phrase_ids(head, actors)
        if not ids and _is_inanimate(head) and governor is not None:
            return _subject_ids(governor, actors, roles, depth + 1)
        return ids
    if verb.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp"):
        ids = _causative_object(verb, roles, actors, directive=True)
        if ids:  # "catalyzed Beijing to restore ties": Beijing restores
            return ids
        if verb.dep_ == "xcomp":  # object control: "persuade X to", "urged X to"
            for child in head.children:
                if child.dep_ in ("dobj",):
                    ids = _phrase_ids(child, actors)
                    if ids:
                        return ids
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
            if head.pos_ in NOUN_POS:  # "Pakistan's help in holding the line": Pakistan holds
                return _span_ids(_modifier_tokens(head), actors)
        if verb.dep_ == "advcl" and _result_participle(verb):
            return []  # "faced floods, threatening the harvest": the floods threaten
        return _subject_ids(head, actors, roles, depth + 1)
    return []


def _result_participle(verb: "Token") -> bool:
    """A trailing "-ing" clause after a clause that reports no act tells its result, whose
    cause is that clause, not its subject."""
    head = verb.head
    return (verb.tag_ == "VBG" and verb.i > head.i and head.pos_ in VERB_POS | {"AUX"}
            and not any(c.dep_ in ("mark",) for c in verb.children)
            and not any(r.type for r in event_lexicon().verb_rules(head.lemma_.lower())))


def _governing_verb(noun: "Token") -> Optional["Token"]:
    """The verb a noun is the object of, directly or through a preposition."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif noun.dep_ not in ("dobj", "nsubjpass", "attr", "oprd", "conj"):
        return None
    return head if head.pos_ in VERB_POS and head.i != noun.i else None


def _subject_is_bare_thing(verb: "Token", actors, roles) -> bool:
    """An active verb whose subject names no actor ("famine killed", "droughts which damage",
    "the clause that would force X"): the sentence reports no act of an actor."""
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.lower_ in ("there",) and child.dep_ == "expl":
                return False
            return not _subject_ids(verb, actors, roles)
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


def _prep_ids(prep: "Token", actors) -> list[str]:
    return [a for g in prep.children if g.dep_ == "pobj" for a in _phrase_ids(g, actors)]


def _verb_roles(verb: "Token", actors, type_: str, roles) -> tuple[list[str], list[str]]:
    if verb.dep_ == "amod" and verb.tag_ == "VBN":  # "UN-backed South Korea"
        return _participle_modifier_roles(verb, actors)
    passive = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS]
    source = _subject_ids(verb, actors, roles) if not passive else []
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                source = _prep_ids(child, actors)
    target: list[str] = []
    for child in verb.children:
        ids: list[str] = []
        if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS:
            ids = _phrase_ids(child, actors)
        elif child.dep_ in ("prep",) and (child.lower_ in TARGET_PREPS or
                                           child.lower_ in TYPE_TARGET_PREPS.get(type_, ())):
            ids = _prep_ids(child, actors)
        elif child.dep_ == "advmod" and child.pos_ == "ADV":
            ids = _span_ids([child], actors)  # "traveled there": the place in focus
        target += [a for a in ids if a not in target]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not source:
        source = _span_ids(_modifier_tokens(verb.head), actors)
    for subj in (c for c in verb.children if c.dep_ in SUBJECTS and _is_inanimate(c)):
        for prep in (c for c in subj.children if c.dep_ == "prep" and c.lower_ in SUBJECT_TARGET_PREPS):
            target += [a for a in _prep_ids(prep, actors) if a not in target]  # "steps against X"
    if passive and not source and len(target) > 1 and type_ in roles.reciprocal_types:
        source = list(target)
    if not target:  # "refused to return to talks with Seoul": the infinitive names the target
        for child in verb.children:
            if child.dep_ == "xcomp" and child.pos_ in VERB_POS:
                target = [a for a in _verb_roles(child, actors, type_, roles)[1] if a not in source]
                break
    if not target and type_ in PLACE_TARGET_TYPES:  # "held a meeting in Beijing"
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
            target += _prep_ids(prep, actors)
    if verb.dep_ == "relcl" and not target:  # "Resolution 1718, which Beijing voted for"
        for child in verb.children:
            rel = [child] + [g for g in child.children if child.dep_ == "prep"]
            if any(r.tag_ in RELATIVE_TAGS and r.dep_ in ("dobj", "pobj") for r in rel):
                target = _phrase_ids(_antecedent(verb), actors)
    return source, target


def _participle_modifier_roles(verb: "Token", actors) -> tuple[list[str], list[str]]:
    """"UN-backed South Korea", "Soviet-supplied tanks": the modifier acts on the noun."""
    modifier = [t for c in verb.children if c.dep_ != "punct" for t in c.subtree]
    if verb.i >= 2 and verb.nbor(-1).text in HYPHENS:  # the parser may hang "UN" on the noun
        modifier.append(verb.nbor(-2))
    source = _span_ids(modifier, actors)
    own = set(t.i for t in verb.subtree) | {t.i for t in modifier}
    target = [a for a in _span_ids([t for t in _core_tokens(verb.head) if t.i not in own], actors)
              if a not in source]
    return source, target


def _noun_roles(noun: "Token", actors, type_: str, roles) -> tuple[list[str], list[str]]:
    """Source: possessor, demonym/compound, "by"/"from" phrase ("of" for requests, visits,
    support); target: "to/on/against/with X" ("of" for acts done to someone). A reaction noun
    aims at whoever the clause names as its cause ("X's repatriations drew condemnation from Y")."""
    source = _span_ids(_modifier_tokens(noun), actors)
    target: list[str] = []
    for prep in (c for c in noun.children if c.dep_ in ("prep", "agent")):
        pobj_ids = _prep_ids(prep, actors)
        if prep.lower_ in SOURCE_PREPS or prep.dep_ == "agent" or (
                prep.lower_ == "of" and type_ in roles.agentive_of_types):
            source += [a for a in pobj_ids if a not in source]
        elif prep.lower_ == "between":
            source += [a for a in pobj_ids if a not in source]
            target += [a for a in pobj_ids if a not in target]
        elif prep.lower_ in TARGET_PREPS or prep.lower_ == "of":
            target += [a for a in pobj_ids if a not in target]
    verb = _governing_verb(noun)
    if verb is None or (noun.dep_ == "pobj" and noun.head.lower_ in _setting_preps()):
        return source, target  # "during a 2019 meeting, X was welcomed": not X's meeting per se
    if noun.dep_ == "dobj":  # "drew condemnation from X": the verb's "from" names the source
        for prep in (c for c in verb.children if c.dep_ in ("prep", "agent") and
                     (c.lower_ in SOURCE_PREPS or c.dep_ == "agent")):
            source += [a for a in _prep_ids(prep, actors) if a not in source]
    if not source:
        source = _subject_ids(verb, actors, roles)  # "reforms led to growing trade with Seoul"
    elif not target and type_ not in roles.material_act_types:
        # "X obeyed Y's request", "X's crackdown drew condemnation from Y": aimed at X
        target = [a for a in _subject_ids(verb, actors, roles) if a not in source]
    return source, target


# --------------------------------------------------------------------------- evidence, flags, date

def evidence_span(tok: "Token", sent: "SpacySpan") -> tuple[int, int]:
    """The trigger's clause: its phrase without subordinate and conjoined clauses, in the sentence;
    a nominal trigger's phrase without the nouns conjoined to it ("the sinking of X and the
    shelling of Y" are two acts)."""
    skip: set[int] = set()
    if tok.pos_ in NOUN_POS:
        skip = {t.i for c in tok.children if c.dep_ in ("conj", "cc") and c.pos_ == "NOUN"
                for t in c.subtree} | {c.i for c in tok.children if c.dep_ == "cc"}
    toks = _core_tokens(tok)
    for child in tok.children:  # "agreed to reopen them in 1969", "talks, which began in 1955"
        if (child.dep_ == "xcomp" and tok.pos_ in VERB_POS) or (
                child.dep_ in ("relcl", "acl") and child.lemma_.lower() in _aspect_verbs()):
            toks += _core_tokens(child)
    toks = [t for t in toks
            if sent.start <= t.i < sent.end and not t.is_punct and t.i not in skip] or [tok]
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


def _dated_timexes(timeline, start: int, end: int) -> list:
    return [t for t in getattr(timeline, "timexes_in", lambda s, e: [])(start, end)
            if t.value and t.kind in ("date", "range")]


def _finite_governor(tok: "Token") -> "Token":
    """The verb whose tense dates an infinitive ("voted to seat": "voted")."""
    for _ in range(4):
        if not (_is_infinitive(tok) and tok.dep_ in ("xcomp", "ccomp", "advcl", "acl")
                and tok.head.pos_ in VERB_POS | {"AUX"}):
            break
        tok = tok.head
    return tok


def _as_event(trig: Trigger, sent, ctx, lexicon: EventLexicon, number: int) -> Event:
    spans = [evidence_span(t, sent) for t in [trig.token] + trig.joined]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    negated, hedged, hypothetical = flags_for(trig.token, lexicon)
    type_, mode = trig.type, trig.mode
    if negated and type_ in lexicon.roles.refusal_of:
        type_, mode, negated = "REJECT", None, False  # "did not support X": X was refused
    date = None
    if ctx.timeline is not None:
        tense_of = _finite_governor(trig.token)
        date = None
        if not _dated_timexes(ctx.timeline, start, end):  # the clause's own date comes first,
            if _dated_timexes(ctx.timeline, sent.start_char, sent.end_char):  # then the sentence's
                date = ctx.timeline.date_for(sent.start_char, sent.end_char, trigger=trig.token)
        if date is None:
            date = ctx.timeline.date_for(start, end, trigger=tense_of)  # then narrative time
        if date is None:
            date = ctx.timeline.date_for(sent.start_char, sent.end_char, trigger=tense_of)
    tok = trig.token
    return Event(id=f"ev-{number}", type=type_, source=trig.source, target=trig.target,
                 date=date, evidence=Span(start, end), trigger=Span(tok.idx, tok.idx + len(tok.text)),
                 mode=mode, negated=negated, hedged=hedged, hypothetical=hypothetical)
