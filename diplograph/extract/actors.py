"""Actors: gazetteer matches, date-aware linking, NER persons/orgs, pronouns in focus.

STUB. Contract:
- ``link_actors(ctx) -> ActorIndex``
- ``ActorIndex.ids_in(start, end) -> list[str]``: actor ids of mentions inside ``[start, end)``
  in text order (no duplicates).
- ``ActorIndex.ids_at(start, end) -> list[str]``: actor ids of mentions overlapping the range.
- ``ActorIndex.mentions`` : list of (Mention, actor_id) sorted by start.
- ``ActorIndex.records() -> list[Actor]``
"""
from __future__ import annotations

from diplograph.model import Actor, Mention


class ActorIndex:
    def __init__(self):
        self.actors: dict[str, Actor] = {}
        self.mentions: list[tuple[Mention, str]] = []

    def add(self, actor: Actor, mention: Mention) -> None:
        self.actors.setdefault(actor.id, actor).mentions.append(mention)
        self.mentions.append((mention, actor.id))

    def ids_in(self, start: int, end: int) -> list[str]:
        seen = []
        for m, aid in self.mentions:
            if start <= m.start and m.end <= end and aid not in seen:
                seen.append(aid)
        return seen

    def ids_at(self, start: int, end: int) -> list[str]:
        seen = []
        for m, aid in self.mentions:
            if m.start < end and start < m.end and aid not in seen:
                seen.append(aid)
        return seen

    def records(self) -> list[Actor]:
        return list(self.actors.values())


def link_actors(ctx) -> ActorIndex:
    index = ActorIndex()
    for ent in ctx.doc.ents:
        if ent.label_ in ("GPE", "PERSON", "ORG", "NORP"):
            aid = ent.text.upper().replace(" ", "_")
            index.add(Actor(aid, ent.text, "org"), Mention(ent.start_char, ent.end_char, ent.text))
    index.mentions.sort(key=lambda p: p[0].start)
    return index
