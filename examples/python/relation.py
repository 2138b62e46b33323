"""State.Validate and the three hook sources of the 2015 package.

A source answers empty(), next() (the head hook, or None), pop() and
update(change); a failure is a SourceError whose text the protocol returns
as a domain error. Sources here are mutable objects: the protocol keeps one
per handle name, and a failed update must leave the source as it was.
"""

import copy

from model import BROKEN, CHANGED, DEPARTED, JOINED, go_quote, hook


class SourceError(Exception):
    pass


EMPTY = "HookSource is empty"
NO_UPDATES = "HookSource does not accept updates"
BAD_EVENT = "hook source watcher sent bad event: "


def validate(state, h):
    """None if hook h may run next in state, else Go's exact refusal."""
    kind, unit = h["kind"], h["remoteUnit"]

    def refuse(reason):
        return f"inappropriate {go_quote(kind)} for {go_quote(unit)}: {reason}"

    if h["relationId"] != state.relation_id:
        return refuse(f"expected relation {state.relation_id}, got relation {h['relationId']}")
    if state.members is None:
        return refuse("relation is broken and cannot be changed further")
    if kind == BROKEN:
        return None if not state.members else refuse('cannot run "relation-broken" while units still present')
    if state.changed_pending != "":
        if kind == CHANGED and unit == state.changed_pending:
            return None
        return refuse(f'expected "relation-changed" for {go_quote(state.changed_pending)}')
    joined = unit in state.members
    if joined and kind == JOINED:
        return refuse("unit already joined")
    if not joined and kind != JOINED:
        return refuse("unit has not joined")
    return None


def commit(state, h):
    """What a persisted hook does to the state (StateDir.Write's memory side)."""
    kind, unit = h["kind"], h["remoteUnit"]
    if kind == BROKEN:
        return state.with_(members=None)
    if kind == DEPARTED:
        if state.members is None:
            return state
        return state.with_(members={u: v for u, v in state.members.items() if u != unit})
    # Go panicked writing into a nil map; the reference revives the members.
    members = dict(state.members or {})
    members[unit] = h["changeVersion"]
    return state.with_(members=members, changed_pending=unit if kind == JOINED else "")


class ListSource:
    """Yields fixed hooks in order; refuses updates."""

    def __init__(self, hooks):
        self.hooks, self.position = list(hooks), 0

    def empty(self):
        return self.position >= len(self.hooks)

    def next(self):
        return None if self.empty() else self.hooks[self.position]

    def pop(self):
        if self.empty():
            raise SourceError(EMPTY)
        self.position += 1

    def update(self, change):
        raise SourceError(NO_UPDATES)


def dying_source(state):
    """The owed changed (version 0 for a non-member), departures in name order, broken."""
    members = state.members or {}
    hooks = []
    if state.changed_pending != "":
        hooks.append(hook(CHANGED, state.relation_id, state.changed_pending, members.get(state.changed_pending, 0)))
    for unit in sorted(members, key=str.encode):
        hooks.append(hook(DEPARTED, state.relation_id, unit, members[unit]))
    hooks.append(hook(BROKEN, state.relation_id, "", 0))
    return ListSource(hooks)


class Unit:
    """What the live source knows of a remote unit."""

    def __init__(self, version, joined):
        self.version = version  # the latest version seen
        self.joined = joined  # its relation-joined was delivered (or it came from the state)
        self.pending = None  # the hook kind it waits for while queued


class LiveSource:
    """The live source: a queue of units with the hook each one waits for.

    The queue is a dict used as an ordered set: a unit keeps its place
    while its pending kind changes, and goes to the tail when re-queued.
    """

    def __init__(self, state):
        members = state.members or {}
        if state.changed_pending != "" and state.changed_pending not in members:
            raise SourceError(f"invalid initial state: changed-pending unit {go_quote(state.changed_pending)} is not a member")
        self.relation_id = state.relation_id
        self.started = False
        self.units = {u: Unit(v, True) for u, v in members.items()}
        self.queue = {}
        self.changed_pending = state.changed_pending

    def _enqueue(self, unit, kind, version):
        entry = self.units[unit]
        entry.version, entry.pending = version, kind
        self.queue.setdefault(unit, None)

    def _dequeue(self, unit):
        self.units[unit].pending = None
        self.queue.pop(unit, None)

    def _changed(self, unit, version):
        entry = self.units.get(unit)
        if entry is None:
            self.units[unit] = Unit(version, False)
            self._enqueue(unit, JOINED, version)
        elif entry.pending == JOINED:
            entry.version = version  # still waiting to join: only the version moves
        elif version != entry.version:
            self._enqueue(unit, CHANGED, version)
        else:
            # Equal version: the unit is up to date, even if a hook was owed.
            self._dequeue(unit)

    def _departed(self, unit):
        entry = self.units.get(unit)
        if entry is None:
            raise SourceError(BAD_EVENT + f"departure of unknown unit {go_quote(unit)}")
        if entry.pending == JOINED:
            self._dequeue(unit)  # never joined here: no hook at all, but still known
        else:
            self._enqueue(unit, DEPARTED, entry.version)

    def _apply(self, changed, departed):
        for unit in sorted(changed, key=str.encode):
            self._changed(unit, changed[unit])
        for unit in departed:
            self._departed(unit)

    def update(self, change):
        changed, departed = change
        if not self.started and departed:
            raise SourceError(BAD_EVENT + "first change departs " + ", ".join(map(go_quote, departed)))
        work = copy.deepcopy(self)  # a failed update changes nothing
        if not work.started:
            # The snapshot: known units it leaves out depart first, in name order.
            work._apply({}, [u for u in sorted(work.units, key=str.encode) if u not in changed])
            work.started = True
        work._apply(changed, departed)
        self.__dict__ = work.__dict__

    def empty(self):
        return not self.started or (not self.queue and self.changed_pending == "")

    def next(self):
        if self.empty():
            return None
        if self.changed_pending != "":
            unit = self.changed_pending
            return hook(CHANGED, self.relation_id, unit, self.units[unit].version)
        unit = next(iter(self.queue))
        entry = self.units[unit]
        return hook(entry.pending, self.relation_id, unit, entry.version)

    def pop(self):
        if self.empty():
            raise SourceError(EMPTY)
        if self.changed_pending != "":
            unit = self.changed_pending
            # The changed just delivered carried the latest version.
            if self.units[unit].pending == CHANGED:
                self._dequeue(unit)
            self.changed_pending = ""
            return
        unit = next(iter(self.queue))
        entry = self.units[unit]
        kind = entry.pending
        self._dequeue(unit)
        if kind == JOINED:
            entry.joined = True
            self.changed_pending = unit
        elif kind == DEPARTED:
            del self.units[unit]  # forgotten: it may come back as a new unit
