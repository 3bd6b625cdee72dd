"""Actors: who the document names, linked to the gazetteer with time in mind.

The linker runs after the time stage because a name means different actors in
different years: ``Russia`` as China's patron in 1950 is the Soviet Union and
a bare ``Kim`` is the Kim in office at the date the sentence speaks of.

Passes, in order (each sees what the earlier ones found):
1. gazetteer names, aliases, capitals, demonyms and surnames (PhraseMatcher),
   resolved at the sentence's date;
2. ``the North`` / ``the South`` and ``North and South Korea``;
3. persons and organisations that NER finds and the gazetteer lacks, with the
   role and affiliation the text gives ("Dartmouth College Associate Professor
   Jennifer Lind", "Bonnie Glaser, the managing director of ...");
4. phrases that point back (``it``, ``the country``, ``the two countries``,
   ``both sides``, ``he``, ``they``) -> the actors in focus.

Contract used by later stages: ``ActorIndex.ids_in``, ``ids_at``,
``mentions_in``, ``actors`` and ``records()``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from diplograph.data.gazetteer import Entry, load_gazetteer
from diplograph.dates import representative_day
from diplograph.model import Actor, Mention

_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "agent"}
_DIRECTIONS = ("North", "South", "East")
_NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
_HYPHEN = re.compile(r"[-\u2013]")
_POSSESSIVE = re.compile(r"(?:['\u2019]s?|\s+)$")


# --------------------------------------------------------------------------- index

class ActorIndex:
    """Actors of one document and every mention of each, sorted by position."""

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.mentions: list[tuple[Mention, str]] = []
        self._starts: list[int] = []
        self._sorted = True

    def add(self, actor: Actor, mention: Mention) -> None:
        known = self.actors.setdefault(actor.id, actor)
        if not any(m.start == mention.start and m.end == mention.end for m in known.mentions):
            known.mentions.append(mention)
            self.mentions.append((mention, actor.id))
            self._sorted = False

    def _ensure_sorted(self) -> None:
        if not self._sorted:
            self.mentions.sort(key=lambda p: (p[0].start, p[0].end))
            for actor in self.actors.values():
                actor.mentions.sort(key=lambda m: m.start)
            self._starts = [m.start for m, _ in self.mentions]
            self._sorted = True

    def mentions_in(self, start: int, end: int) -> list[tuple[Mention, str]]:
        """Mentions lying wholly inside ``[start, end)``, in text order."""
        self._ensure_sorted()
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i][0].start < end:
            if self.mentions[i][0].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def ids_in(self, start: int, end: int) -> list[str]:
        """Actor ids of mentions inside ``[start, end)``, in text order, each once."""
        return _unique(aid for _, aid in self.mentions_in(start, end))

    def ids_at(self, start: int, end: int) -> list[str]:
        """Actor ids of mentions overlapping ``[start, end)``."""
        self._ensure_sorted()
        i = max(0, bisect.bisect_left(self._starts, start) - 8)
        out = []
        while i < len(self.mentions) and self.mentions[i][0].start < end:
            m, aid = self.mentions[i]
            if m.end > start:
                out.append(aid)
            i += 1
        return _unique(out)

    def states_in_focus(self, start: int, end: int, exclude: Iterable[str] = ()) -> list[tuple[str, int]]:
        """States named in ``[start, end)`` with how often, most named first (ties: first named).

        What a paragraph is about, for records whose sentence leaves a party unnamed
        ("bilateral trade peaked at $6.86 billion", "the aid stopped").
        """
        skip = set(exclude)
        counts: dict[str, int] = {}
        for _, aid in self.mentions_in(start, end):
            actor = self.actors.get(aid)
            if actor is not None and actor.type == "state" and aid not in skip:
                counts[aid] = counts.get(aid, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])

    def clear_focus(self, start: int, end: int, exclude: Iterable[str] = ()) -> Optional[str]:
        """The one state a passage is about: named at least twice and more than any other."""
        ranked = self.states_in_focus(start, end, exclude)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def records(self) -> list[Actor]:
        self._ensure_sorted()
        return [a for a in self.actors.values() if a.mentions]


def _unique(ids: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class _Reference:
    singular: frozenset
    pair_states: frozenset
    pair_persons: frozenset
    pair_any: frozenset
    person: frozenset
    plural: frozenset
    place: frozenset
    org_heads: frozenset
    state_agents: frozenset
    place_suffixes: frozenset
    titles: tuple


@lru_cache(maxsize=1)
def _reference() -> _Reference:
    import yaml
    from importlib.resources import files

    raw = yaml.safe_load(files("diplograph.data").joinpath("reference.yaml").read_text(encoding="utf-8"))
    low = lambda xs: frozenset(x.lower() for x in xs)  # noqa: E731
    return _Reference(
        singular=low(raw["singular"]["pronouns"] + raw["singular"]["phrases"]),
        pair_states=low(raw["pair"]["states"]),
        pair_persons=low(raw["pair"]["persons"]),
        pair_any=low(raw["pair"]["any"]),
        person=low(raw["person"]["pronouns"]),
        plural=low(raw["plural"]["pronouns"]),
        place=low(raw["place"]["adverbs"]),
        org_heads=frozenset(raw["org_heads"]),
        state_agents=frozenset(raw["state_agents"]),
        place_suffixes=frozenset(raw["place_suffixes"]),
        titles=tuple(sorted(raw["titles"], key=len, reverse=True)),
    )


class _Matchers:
    """Phrase matchers over every surface form of the gazetteer, built once per vocab."""

    def __init__(self, vocab) -> None:
        gaz = load_gazetteer()
        self.folded = PhraseMatcher(vocab, attr="LOWER")
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        from spacy.lang.en import English

        tokenizer = English().tokenizer
        folded, exact = [], []
        for form, case_sensitive in gaz.surface_forms():
            (exact if case_sensitive else folded).append(form)
        self.folded.add("GAZ", list(tokenizer.pipe(sorted(set(folded)))))
        self.exact.add("GAZ", list(tokenizer.pipe(sorted(set(exact)))))

        ref = _reference()
        self.anaphora = PhraseMatcher(vocab, attr="LOWER")
        for label, forms in (("SING", ref.singular), ("PAIR_STATES", ref.pair_states),
                             ("PAIR_PERSONS", ref.pair_persons), ("PAIR_ANY", ref.pair_any),
                             ("PERSON", ref.person), ("PLURAL", ref.plural), ("PLACE", ref.place)):
            self.anaphora.add(label, list(tokenizer.pipe(sorted(forms))))


_MATCHERS: dict[int, _Matchers] = {}


def _matchers(vocab) -> _Matchers:
    key = id(vocab)
    if key not in _MATCHERS:
        _MATCHERS[key] = _Matchers(vocab)
    return _MATCHERS[key]


# --------------------------------------------------------------------------- dates

def edtf_to_date(value: Optional[str]) -> Optional[dt.date]:
    """A representative day for an EDTF value, used to pick who held office then."""
    return representative_day(value)


# --------------------------------------------------------------------------- linker

class _Linker:
    """Links the mentions of one document; one instance per document."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.text: str = ctx.document.text  # Doc.text rebuilds the string on every access
        self.gaz = load_gazetteer()
        self.ref = _reference()
        self.index = ActorIndex()
        self.token_actor: dict[int, list[str]] = {}  # token index -> actor ids of its mention
        self.taken = bytearray(len(self.doc))  # tokens already inside a mention
        self.doc_date = edtf_to_date(ctx.document.date)
        self._sent_dates: dict[int, Optional[dt.date]] = {}
        self.full_names: dict[str, list[str]] = {}  # surname -> person ids named in full so far

    # ---------------------------------------------------------------- helpers
    def when(self, token: Token) -> Optional[dt.date]:
        """The date the sentence of ``token`` speaks of, else the document date."""
        sent = token.sent
        if sent.start not in self._sent_dates:
            value = None
            timeline = self.ctx.timeline
            if timeline is not None:
                value = timeline.date_for(sent.start_char, sent.end_char, trigger=sent.root)
                if value is None and hasattr(timeline, "narrative_at"):
                    value = timeline.narrative_at(sent.start_char)
            self._sent_dates[sent.start] = edtf_to_date(value) or self.doc_date
        return self._sent_dates[sent.start]

    def actor_for(self, entry: Entry) -> Actor:
        if entry.id in self.index.actors:
            return self.index.actors[entry.id]
        codes = {}
        if getattr(entry, "iso2", None):
            codes["iso2"] = entry.iso2
        if entry.type == "state" and len(entry.id) == 3:
            codes["iso3"] = entry.id
        if getattr(entry, "wikidata", None):
            codes["wikidata"] = entry.wikidata
        role = None
        terms = getattr(entry, "terms", ()) or ()
        if terms:
            role = terms[-1].title
        return Actor(id=entry.id, name=entry.name, type=entry.type, aliases=list(entry.aliases),
                     codes=codes, role=role)

    def add(self, actor: Actor, span: Span | tuple[int, int], tokens: range | None = None) -> None:
        if isinstance(span, Span):
            start, end, tokens = span.start_char, span.end_char, range(span.start, span.end)
        else:
            start, end = span
        text = self.text[start:end]
        stripped = _POSSESSIVE.sub("", text) if text.endswith(("'s", "\u2019s", "'", "\u2019")) else text
        end = start + len(stripped.rstrip())
        self.index.add(actor, Mention(start, end, self.text[start:end]))
        if tokens is not None:
            for i in tokens:
                self.token_actor.setdefault(i, [])
                if actor.id not in self.token_actor[i]:
                    self.token_actor[i].append(actor.id)
                self.taken[i] = 1

    # ---------------------------------------------------------------- pass 1
    def gazetteer_pass(self) -> None:
        m = _matchers(self.doc.vocab)
        spans = [Span(self.doc, s, e) for _, s, e in m.folded(self.doc)]
        spans += [Span(self.doc, s, e) for _, s, e in m.exact(self.doc)]
        person_ents = {i: ent for ent in self.doc.ents if ent.label_ == "PERSON"
                       for i in range(ent.start, ent.end)}
        blocked = self.blocked_tokens()
        for span in _longest_first(spans):
            if any(self.taken[i] for i in range(span.start, span.end)):
                continue
            if any(blocked[i] for i in range(span.start, span.end)) and not self.names_whole(span):
                continue
            if self.is_place_modifier(span):
                continue
            entry = self.resolve(span, person_ents)
            if entry is None:
                continue
            self.add(self.actor_for(entry), span)
            if entry.type == "person" and getattr(entry, "surname", None):
                # later bare surnames may mean this person even out of office ("Xi, then vice president")
                self.full_names.setdefault(entry.surname.lower(), []).append(entry.id)

    def blocked_tokens(self) -> bytearray:
        """Tokens where a gazetteer form is part of something else.

        Dates and figures ("in May 2016" is no Theresa May) and the inside of a
        longer organisation name ("German Marshall Fund" names neither Germany nor
        George Marshall) hold no actor of their own.
        """
        blocked = bytearray(len(self.doc))
        for ent in self.doc.ents:
            if ent.label_ in _NOT_ACTOR_ENTS:
                for i in range(ent.start, ent.end):
                    blocked[i] = 1
            elif ent.label_ in ("ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT") and len(ent) > 1 \
                    and not self.gaz.candidates(ent.text) \
                    and ent[-1].text in self.ref.org_heads and not self.is_state_agent(ent):
                for i in range(ent.start, ent.end):
                    blocked[i] = 1
        return blocked

    def is_state_agent(self, ent: Span) -> bool:
        """"The Pakistani Army", "the Chinese government": a state acting through an organ."""
        words = [t for t in ent if t.lower_ != "the"]
        for cut in (1, 2):
            if len(words) > cut and " ".join(t.text for t in words[-cut:]) in self.ref.state_agents:
                head = ent.doc[words[0].i:words[-cut].i]
                return any(e.type == "state" for e, _ in self.gaz.candidates(head.text))
        return False

    def is_place_modifier(self, span: Span) -> bool:
        """"Seoul-based", "Moscow-born" split into tokens: the name is a place here."""
        doc = self.doc
        if span.end + 1 < len(doc) and doc[span.end].text in ("-", "\u2013") \
                and doc[span.end + 1].lower_ in self.ref.place_suffixes:
            return True
        return False

    def names_whole(self, span: Span) -> bool:
        """A multi-word name or alias (not a capital, demonym or surname) names an actor anywhere."""
        return len(span) > 1 and any(how in ("name", "alias") for _, how in self.gaz.candidates(span.text))

    def resolve(self, span: Span, person_ents: dict[int, Span]) -> Optional[Entry]:
        text = span.text
        cands = self.gaz.candidates(text)
        if not cands:
            return None
        if text[:1].islower() and all(form_is_capitalised(e, how, text) for e, how in cands):
            return None  # "china", "turkey", "moon": a common word, not the actor
        hows = {how for _, how in cands}
        if hows == {"surname"}:
            return self.resolve_surname(span, person_ents)
        if hows <= {"demonym"} and span[-1].dep_ in ("compound",) and span[-1].head.ent_type_ == "PERSON":
            return None
        when = self.when(span[0])
        entry = self.gaz.resolve(text, when)
        if entry is not None and hows <= {"capital"}:
            if when is not None and not entry.valid_at(when):
                return None  # "talks at Tashkent" in 1966: a Soviet city, not the later state
            last = span[-1]
            if last.dep_ == "compound" and last.head.pos_ == "NOUN" and last.head.text not in self.ref.state_agents:
                return None  # "the Tashkent agreement", "the Beijing Olympics": part of a name
        return entry

    def resolve_surname(self, span: Span, person_ents: dict[int, Span]) -> Optional[Entry]:
        """A bare family name: the person in office at the date, else one named in full before."""
        tok = span[0]
        if tok.pos_ not in ("PROPN", "NOUN") or not tok.text[:1].isupper():
            return None
        ent = person_ents.get(tok.i)
        if ent is not None and len(ent) > len(span):
            return None  # part of a longer name the gazetteer does not know: another person
        when = self.when(tok)
        earlier = self.full_names.get(span.text.lower(), [])
        persons = [e for e, how in self.gaz.candidates(span.text) if how == "surname"]
        if when is not None:
            in_office = [e for e in persons if e.terms_at(when)]
            named = [e for e in in_office if e.id in earlier]
            if named:
                return named[-1]
            if in_office and not earlier:
                return self.gaz.resolve(span.text, when)
            if in_office and len(in_office) == 1:
                return in_office[0]
        if earlier:
            return self.gaz.entries.get(earlier[-1])
        return None

    # ---------------------------------------------------------------- pass 2
    def directions_pass(self) -> None:
        """``the North`` / ``the South`` and ``North and South Korea`` -> the states so named."""
        doc = self.doc
        for tok in doc:
            if tok.text not in _DIRECTIONS or self.taken[tok.i]:
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            prev = doc[tok.i - 1] if tok.i > 0 else None
            rest = None
            if nxt is not None and nxt.lower_ == "and" and tok.i + 3 < len(doc) \
                    and doc[tok.i + 2].text in _DIRECTIONS:
                rest = doc[tok.i + 3].text  # "North and South Korea"
            elif (prev is not None and prev.lower_ == "the" or
                  any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts)) and (
                    nxt is None or nxt.is_punct or nxt.pos_ not in ("PROPN", "NOUN")):
                rest = None
            else:
                continue
            entry = self.direction_state(tok.text, rest)
            if entry is not None:
                self.add(self.actor_for(entry), doc[tok.i:tok.i + 1])

    def direction_state(self, direction: str, rest: Optional[str]) -> Optional[Entry]:
        if rest:
            return self.gaz.resolve(f"{direction} {rest}", self.doc_date)
        # the most recently mentioned state whose name starts with the direction
        best = None
        for m, aid in self.index.mentions:
            actor = self.index.actors[aid]
            if actor.type == "state" and actor.name.startswith(direction + " "):
                best = aid
        if best is None:
            return None
        return self.gaz.entries.get(best)

    # ---------------------------------------------------------------- pass 3
    def ner_pass(self) -> None:
        acronyms = self.acronym_definitions()
        for ent in self.doc.ents:
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            if any(self.taken[i] for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "PERSON":
                self.add_person(ent)
            else:
                self.add_org(ent, acronyms)
        # later mentions of an acronym defined in the text
        for tok in self.doc:
            if tok.text in acronyms and not self.taken[tok.i] and acronyms[tok.text] in self.index.actors:
                self.add(self.index.actors[acronyms[tok.text]], self.doc[tok.i:tok.i + 1])

    def acronym_definitions(self) -> dict[str, str]:
        """``Full Name (ACR)`` pairs: the acronym becomes an alias of the named actor."""
        out = {}
        doc = self.doc
        for tok in doc:
            if tok.text == "(" and tok.i + 2 < len(doc) and doc[tok.i + 2].text == ")":
                acr = doc[tok.i + 1].text
                if acr.isupper() and 2 <= len(acr) <= 8 and tok.i > 0:
                    prev = doc[tok.i - 1]
                    ids = self.token_actor.get(prev.i)
                    if ids:
                        out[acr] = ids[0]
                        continue
                    if prev.ent_type_ == "ORG":
                        ent = next((e for e in doc.ents if e.start <= prev.i < e.end), None)
                        if ent is not None:
                            out[acr] = _slug(_clean_name(ent.text, self.ref.titles))
                            self._pending_alias = getattr(self, "_pending_alias", {})
                            self._pending_alias[out[acr]] = acr
        return out

    def add_person(self, ent: Span) -> None:
        name = _clean_name(ent.text, self.ref.titles)
        words = name.split()
        if not words:
            return
        if len(words) == 1:
            # a lone name: an earlier full name with this surname, else keep only after a title
            same = [a for a in self.index.actors.values()
                    if a.type == "person" and a.name.split()[-1] == words[0]]
            if same:
                self.add(same[-1], ent)
                return
            if not self.title_before(ent):
                return
        pid = _slug(name)
        actor = self.index.actors.get(pid) or Actor(id=pid, name=name, type="person", known=False)
        role, affiliation = self.role_of(ent)
        actor.role = actor.role or role
        actor.affiliation = actor.affiliation or affiliation
        self.add(actor, ent)

    def title_before(self, ent: Span) -> bool:
        left = self.doc[max(0, ent.start - 4):ent.start].text
        return any(left.endswith(t) for t in self.ref.titles)

    def role_of(self, ent: Span) -> tuple[Optional[str], Optional[str]]:
        """Role and affiliation from a title before the name or an appositive after it."""
        doc = self.doc
        head = ent.root
        role = affiliation = None
        # pre-name compounds: "Dartmouth College Associate Professor Jennifer Lind"
        left = [t for t in head.lefts if t.dep_ == "compound" and t.i < ent.start]
        if left:
            first = min(t.left_edge.i for t in left)
            words = doc[first:ent.start]
            orgs = [e for e in doc.ents if e.label_ == "ORG" and first <= e.start and e.end <= ent.start]
            if orgs:
                affiliation = orgs[-1].text
                rest = doc[orgs[-1].end:ent.start].text.strip()
                role = rest or None
            else:
                role = words.text.strip() or None
        for child in head.rights:
            if child.dep_ == "appos":
                sub = doc[child.left_edge.i:child.right_edge.i + 1]
                text = re.sub(r"^(the|a|an)\s+", "", sub.text.strip(" ,"), flags=re.I)
                role = role or text or None
                orgs = [e for e in doc.ents if e.label_ == "ORG" and sub.start <= e.start and e.end <= sub.end]
                if orgs and affiliation is None:
                    affiliation = orgs[-1].text
                break
        return role, affiliation

    def add_org(self, ent: Span, acronyms: dict[str, str]) -> None:
        name = _clean_name(ent.text, ())
        words = name.split()
        if not words:
            return
        pending = getattr(self, "_pending_alias", {})
        oid = _slug(name)
        if self.is_state_agent(ent):
            return
        is_org = any(w in self.ref.org_heads for w in words) or oid in pending
        if not is_org:
            return
        actor = self.index.actors.get(oid) or Actor(id=oid, name=name, type="org", known=False)
        if oid in pending and pending[oid] not in actor.aliases:
            actor.aliases.append(pending[oid])
        self.add(actor, ent)

    # ---------------------------------------------------------------- pass 4
    def anaphora_pass(self) -> None:
        m = _matchers(self.doc.vocab)
        matches = sorted(m.anaphora(self.doc), key=lambda x: (x[1], -(x[2] - x[1])))
        last_end = -1
        for label_id, s, e in matches:
            if s < last_end or any(self.taken[i] for i in range(s, e)):
                continue
            label = self.doc.vocab.strings[label_id]
            span = self.doc[s:e]
            ids = self.antecedents(label, span)
            if ids:
                last_end = e
                for aid in ids:
                    self.add(self.index.actors[aid], span)

    def antecedents(self, label: str, span: Span) -> list[str]:
        tok = span.root
        if label == "SING":
            if _expletive(tok):
                return []
            return self.focus_single(span, kinds=("state", "igo", "org"), pronoun=len(span) == 1)
        if label == "PERSON":
            return self.focus_single(span, kinds=("person",), pronoun=True)
        if label == "PAIR_STATES":
            return self.recent_distinct(span, kinds=("state", "igo"), n=2)
        if label == "PAIR_PERSONS":
            return self.recent_distinct(span, kinds=("person",), n=2)
        if label == "PAIR_ANY":
            if span.end < len(self.doc) and self.doc[span.end].pos_ in ("NOUN", "PROPN", "ADJ"):
                return []  # "the two sides" etc. are matched whole; "the two Koreas" is a name
            return self.recent_distinct(span, kinds=("state", "igo", "person"), n=2)
        if label == "PLURAL":
            return self.focus_plural(span)
        if label == "PLACE":
            if tok.dep_ != "advmod":
                return []  # existential "there were"
            return self.recent_distinct(span, kinds=("state",), n=1, sentences_back=2)
        return []

    def mentions_before(self, span: Span, sentences_back: int = 2) -> list[tuple[int, str]]:
        """(token index, actor id) of mentions before ``span`` in its sentence and a few before it."""
        first_sent = span.sent
        for _ in range(sentences_back):
            if first_sent.start == 0:
                break
            first_sent = self.doc[first_sent.start - 1].sent
        out = []
        for i in range(first_sent.start, span.start):
            for aid in self.token_actor.get(i, ()):
                if not out or out[-1] != (i, aid):
                    out.append((i, aid))
        return out

    def focus_single(self, span: Span, kinds: tuple, pronoun: bool) -> list[str]:
        ok = lambda aid: self.index.actors[aid].type in kinds  # noqa: E731
        tok = span.root
        if pronoun and tok.dep_ in ("nsubj", "nsubjpass", "poss"):
            # 1. the subject of a governing verb ("China said it would ...")
            verb = tok.head
            while verb is not None and verb.i != verb.head.i:
                if verb.dep_ == "conj" and any(c.dep_ == "mark" for c in verb.children):
                    verb = verb.head  # "said that A was X, and that it ...": not A, the sayer
                verb = verb.head
                for sub in verb.children:
                    if sub.dep_ in _SUBJECTS and sub.i < tok.i:
                        ids = [a for a in self.ids_of_subtree(sub) if ok(a)]
                        if ids:
                            return ids[:1]
            # 2. an earlier subject in the same sentence ("While Beijing backed X, it ...")
            for t in reversed(range(span.sent.start, span.start)):
                if self.doc[t].dep_ in _SUBJECTS:
                    ids = [a for a in self.ids_of_subtree(self.doc[t]) if ok(a)]
                    if ids:
                        return ids[:1]
            # 2b. a possessive takes the nearest actor named before it in its sentence
            #     ("China obeyed the request of its patron")
            if tok.dep_ == "poss":
                for i in reversed(range(span.sent.start, span.start)):
                    ids = [a for a in self.token_actor.get(i, ()) if ok(a)]
                    if ids:
                        return ids[:1]
            # 3. the first subject actor of the sentences before
            sent = span.sent
            for _ in range(2):
                if sent.start == 0:
                    break
                sent = self.doc[sent.start - 1].sent
                for t in _subjects_root_first(sent):
                        ids = [a for a in self.ids_of_subtree(t) if ok(a)]
                        if ids:
                            return ids[:1]
        # 4. the most recent fitting mention not in the same clause's subject
        own_subjects = {c.i for c in tok.head.children if c.dep_ in _SUBJECTS} if not pronoun else set()
        for i, aid in reversed(self.mentions_before(span)):
            if ok(aid) and i not in own_subjects:
                return [aid]
        return []

    def ids_of_subtree(self, tok: Token) -> list[str]:
        """Actors in a phrase, the one it denotes first: the head itself, then its "of" object
        ("the British colony of India" is India), then the rest in text order."""
        first = list(self.token_actor.get(tok.i, ()))
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        first += self.token_actor.get(obj.i, ())
        rest = [aid for t in tok.subtree for aid in self.token_actor.get(t.i, ())]
        return _unique(first + rest)

    def own_subjects(self, span: Span) -> set[str]:
        """Actors that are the subject of the clause a phrase sits in ("X cut arms to both belligerents")."""
        verb = span.root.head
        # up to the nearest verb that has a subject ("by cutting off arms to X" -> "supported")
        while verb.head.i != verb.i and not (verb.pos_ in ("VERB", "AUX") and
                                             any(c.dep_ in _SUBJECTS for c in verb.children)):
            verb = verb.head
        return {aid for c in verb.children if c.dep_ in _SUBJECTS and not (span.start <= c.i < span.end)
                for aid in self.ids_of_subtree(c)}

    def recent_distinct(self, span: Span, kinds: tuple, n: int, sentences_back: int = 3) -> list[str]:
        """The ``n`` actors most in focus: named most often lately, the latest winning ties;
        never the subject of the phrase's own clause."""
        weight: dict[str, float] = {}
        reciprocal = span.root.head.lower_ in ("between", "among") or span.root.dep_ == "poss"
        exclude = self.own_subjects(span) if n > 1 and not reciprocal else set()
        mentions = [(i, aid) for i, aid in self.mentions_before(span, sentences_back=sentences_back)
                    if self.index.actors[aid].type in kinds and aid not in exclude]
        for rank, (i, aid) in enumerate(mentions):
            tok = self.doc[i]
            paired = tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)  # "Iran and Iraq"
            weight[aid] = weight.get(aid, 0.0) + 1.0 + 0.5 * paired + rank / (10.0 * max(len(mentions), 1))
        ranked = sorted(weight, key=weight.get, reverse=True)
        return ranked[:n] if len(ranked) >= n else []

    def focus_plural(self, span: Span) -> list[str]:
        """``they``/``their``: an earlier coordinated subject or a group actor."""
        sent = span.sent
        for _ in range(2):
            subjects = [t for t in sent if t.dep_ in _SUBJECTS and t.i < span.start]
            for t in reversed(subjects):
                ids = self.ids_of_subtree(t)
                if len(ids) >= 2 or (ids and self.index.actors[ids[0]].type == "group"):
                    return ids
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        return []

    def compounds_pass(self) -> None:
        """Names inside hyphenated tokens: "U.S.-Indian relations", "Beijing-backed"."""
        for tok in self.doc:
            if self.taken[tok.i] or not _HYPHEN.search(tok.text):
                continue
            offset = tok.idx
            parts = _HYPHEN.split(tok.text)
            if parts and parts[-1].lower() in self.ref.place_suffixes:
                continue  # "Seoul-based", "Moscow-born": a place, not an actor
            for part in parts:
                start = tok.text.find(part, offset - tok.idx) + tok.idx if part else offset
                offset = start + len(part)
                if len(part) < 2 or not part[:1].isupper():
                    continue
                cands = self.gaz.candidates(part)
                if not cands:
                    continue
                entry = self.gaz.resolve(part, self.when(tok))
                if entry is not None:
                    self.add(self.actor_for(entry), (start, start + len(part)), range(tok.i, tok.i + 1))

    def run(self) -> ActorIndex:
        self.gazetteer_pass()
        self.compounds_pass()
        self.directions_pass()
        self.ner_pass()
        self.anaphora_pass()
        return self.index


def form_is_capitalised(entry: Entry, how: str, text: str) -> bool:
    """True when the data writes this form with a capital, so a lower-case hit is a common word."""
    forms = [entry.name, *entry.aliases, *getattr(entry, "capitals", ()), *getattr(entry, "demonyms", ())]
    if how == "surname":
        return True
    low = text.lower()
    for f in forms:
        if f.lower() == low:
            return f[:1].isupper()
    return True


def _subjects_root_first(sent: Span) -> list[Token]:
    """Subjects of a sentence, the main verb's first ("After X invaded, India moved": India)."""
    subjects = [t for t in sent if t.dep_ in _SUBJECTS]
    main = [t for t in subjects if t.head.i == sent.root.i or
            (t.head.dep_ == "conj" and t.head.head.i == sent.root.i)]
    return main + [t for t in subjects if t not in main]


def _expletive(tok: Token) -> bool:
    """``it`` that points at nothing: "it took decades", "it is clear that"."""
    if tok.dep_ == "expl":
        return True
    if tok.lower_ == "it" and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ in (
            "take", "be", "seem", "appear", "remain", "become", "matter", "happen"):
        return True
    return False


def _longest_first(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (-(s.end - s.start), s.start))


def _clean_name(text: str, titles: tuple) -> str:
    name = re.sub(r"['\u2019]s?$", "", text.strip()).strip()
    changed = True
    while changed:
        changed = False
        for t in titles:
            if name.startswith(t + " "):
                name = name[len(t) + 1:].strip()
                changed = True
    return re.sub(r"^(the|The)\s+", "", name)


def _slug(name: str) -> str:
    """An id for an actor the gazetteer lacks: "José María Velasco" -> JOSE_MARIA_VELASCO."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_").upper() or "ACTOR"


def link_actors(ctx) -> ActorIndex:
    """Link every actor mention of ``ctx.doc``; see the module docstring for the passes."""
    return _Linker(ctx).run()
