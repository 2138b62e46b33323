#!/usr/bin/env python3
"""relspec's driver protocol v1 (spec/PROTOCOL.md) over stdin/stdout.

    python3 agent.py     # then: npx relspec conform --impl "python3 agent.py"

One JSON request per line in, one JSON response per line out, in order.
Requests are read in chunks and their answers written together before the
next read blocks, so a runner may pipeline or go in lock-step.
"""

import json
import os
import sys

from model import (
    ShapeError,
    decode_change,
    decode_hook,
    decode_state,
    encode_state,
    field,
    handle_name,
    is_integer,
    relation_id,
)
from relation import EMPTY, ListSource, LiveSource, SourceError, dying_source, validate
from statedir import StateDir, StateDirError, read_all_state_dirs, read_state_dir

SUPPORTS = ["live", "dying", "list", "validate", "statedir"]


class ProtocolError(Exception):
    """The request makes no sense: answered with "ok": false (wording free)."""


class Session:
    def __init__(self):
        self.sources = {}
        self.dirs = {}

    def source(self, request):
        name = handle_name(field(request, "source", ""), "source")
        if name not in self.sources:
            raise ProtocolError(f"unknown source {json.dumps(name)}")
        return name, self.sources[name]

    def dir(self, request):
        name = handle_name(field(request, "dir", ""), "dir")
        if name not in self.dirs:
            raise ProtocolError(f"unknown state directory {json.dumps(name)}")
        return self.dirs[name]

    # Each op returns its result object; a domain error is {"error": ...}.

    def hello(self, r):
        return {"implementation": "relspec python example", "protocol": 1, "supports": SUPPORTS}

    def validate(self, r):
        state, hook = decode_state(field(r, "state", ""), "state"), decode_hook(field(r, "hook", ""), "hook")
        error = validate(state, hook)
        return {"valid": True} if error is None else {"valid": False, "error": error}

    def create(self, r, make):
        name = handle_name(field(r, "source", ""), "source")
        try:
            source = make()
        except SourceError as e:
            return {"error": str(e)}  # nothing created, the name keeps what it had
        self.sources[name] = source
        return {}

    def source_live(self, r):
        state = decode_state(field(r, "state", ""), "state")
        return self.create(r, lambda: LiveSource(state))

    def source_dying(self, r):
        state = decode_state(field(r, "state", ""), "state")
        return self.create(r, lambda: dying_source(state))

    def source_list(self, r):
        hooks = field(r, "hooks", "")
        if not isinstance(hooks, list):
            raise ShapeError("hooks: expected an array")
        decoded = [decode_hook(h, f"hooks[{i}]") for i, h in enumerate(hooks)]
        return self.create(r, lambda: ListSource(decoded))

    def source_update(self, r):
        change = decode_change(field(r, "change", ""), "change")
        try:
            self.source(r)[1].update(change)
        except SourceError as e:
            return {"error": str(e)}
        return {}

    def source_empty(self, r):
        return {"empty": self.source(r)[1].empty()}

    def source_next(self, r):
        hook = self.source(r)[1].next()
        return {"error": EMPTY} if hook is None else {"hook": hook}

    def source_pop(self, r):
        try:
            self.source(r)[1].pop()
        except SourceError as e:
            return {"error": str(e)}
        return {}

    def source_stop(self, r):
        del self.sources[self.source(r)[0]]
        return {}

    def statedir_open(self, r):
        name = handle_name(field(r, "dir", ""), "dir")
        base, rid = field(r, "base", ""), relation_id(field(r, "relationId", ""), "relationId")
        if not isinstance(base, str):
            raise ShapeError("base: expected a string")
        try:
            path, state = read_state_dir(base, rid)
        except StateDirError as e:
            return {"error": str(e)}  # no handle is created
        self.dirs[name] = StateDir(path, state)
        return {"state": encode_state(state)}

    def statedir_readAll(self, r):
        base = field(r, "base", "")
        if not isinstance(base, str):
            raise ShapeError("base: expected a string")
        try:
            states = read_all_state_dirs(base)
        except StateDirError as e:
            return {"error": str(e)}
        return {"states": {str(rid): encode_state(s) for rid, s in sorted(states.items())}}

    def statedir_state(self, r):
        return {"state": encode_state(self.dir(r).state)}

    def statedir_ensure(self, r):
        return self.run(self.dir(r).ensure)

    def statedir_remove(self, r):
        return self.run(self.dir(r).remove)

    def statedir_write(self, r):
        d = self.dir(r)
        hook = decode_hook(field(r, "hook", ""), "hook")
        return self.run(lambda: d.write(hook))

    @staticmethod
    def run(operation):
        try:
            operation()
        except StateDirError as e:
            return {"error": str(e)}
        return {}


OPS = {
    name: getattr(Session, name.replace(".", "_"))
    for name in [
        "hello", "validate",
        "source.live", "source.dying", "source.list", "source.update",
        "source.empty", "source.next", "source.pop", "source.stop",
        "statedir.open", "statedir.readAll", "statedir.state",
        "statedir.ensure", "statedir.remove", "statedir.write",
    ]
}


def answer(session, line):
    """(response object, done) for one request line."""
    try:
        request = json.loads(line)
    except ValueError as e:
        return {"id": None, "ok": False, "error": f"invalid JSON: {e}"}, False
    if not isinstance(request, dict) or not is_integer(request.get("id")):
        return {"id": None, "ok": False, "error": "invalid request: expected an object with an integer id"}, False
    rid, op = request["id"], request.get("op")
    if op == "bye":
        return {"id": rid, "ok": True, "result": {}}, True
    if op not in OPS:
        return {"id": rid, "ok": False, "error": f"unknown op {json.dumps(op)}"}, False
    try:
        return {"id": rid, "ok": True, "result": OPS[op](session, request)}, False
    except ShapeError as e:
        return {"id": rid, "ok": False, "error": f"invalid request: {e}"}, False
    except ProtocolError as e:
        return {"id": rid, "ok": False, "error": str(e)}, False


def main():
    session, pending = Session(), b""
    while True:
        chunk = os.read(0, 1 << 16)
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop() if chunk else b""
        if not chunk and lines[-1] == b"":
            lines.pop()
        out, done = [], False
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            if not line.strip():
                continue  # blank lines are not requests
            response, done = answer(session, line)
            out.append(json.dumps(response, separators=(",", ":"), ensure_ascii=False) + "\n")
            if done:
                break
        data = "".join(out).encode()
        while data:
            data = data[os.write(1, data) :]
        if done or not chunk:
            return 0


if __name__ == "__main__":
    sys.exit(main())
