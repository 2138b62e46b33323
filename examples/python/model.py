"""The values the protocol speaks: unit names, versions, states, hooks, changes.

Every decoder raises ShapeError with the field path, which the protocol
turns into a protocol error ("ok": false); its wording is free.
"""

import re

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
SAFE_INTEGER = 2**53 - 1

JOINED, CHANGED, DEPARTED, BROKEN = (
    "relation-joined",
    "relation-changed",
    "relation-departed",
    "relation-broken",
)
HOOK_KINDS = (JOINED, CHANGED, DEPARTED, BROKEN)

# <application>/<number>: hyphen-separated groups of lower-case letters and
# digits, the first starting with a letter, every later one holding a letter.
# No group after a hyphen is all digits, so a file name "foo-bar-1" maps back
# to "foo-bar/1" only, and no name can climb out of its directory.
UNIT_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*/(?:0|[1-9][0-9]*)")


class ShapeError(Exception):
    """A request field that is missing or has the wrong shape."""


def is_unit_name(s):
    if not isinstance(s, str) or UNIT_NAME.fullmatch(s) is None:
        return False
    number = s[s.index("/") + 1 :]
    return len(number) <= 19 and int(number) <= INT64_MAX


def is_integer(v):
    # bool is an int in Python; JSON true is not a number.
    return isinstance(v, int) and not isinstance(v, bool)


def atoi(s):
    """Go's strconv.Atoi on a 64-bit platform: sign, decimal digits, int64 range."""
    if re.fullmatch(r"[+-]?[0-9]+", s) is None:
        return None
    n = int(s)
    return n if INT64_MIN <= n <= INT64_MAX else None


def field(obj, key, path):
    if not isinstance(obj, dict):
        raise ShapeError(f"{path or '(root)'}: expected an object")
    if key not in obj:
        raise ShapeError(f"{path + '.' if path else ''}{key}: missing")
    return obj[key]


def version(v, path):
    if not is_integer(v) or not INT64_MIN <= v <= INT64_MAX:
        raise ShapeError(f"{path}: expected an int64 integer, got {v!r}")
    return v


def relation_id(v, path):
    if not is_integer(v) or abs(v) > SAFE_INTEGER:
        raise ShapeError(f"{path}: expected an integer relation id, got {v!r}")
    return v


def unit_name(v, path):
    if not is_unit_name(v):
        raise ShapeError(f"{path}: expected a unit name, got {v!r}")
    return v


def handle_name(v, path):
    if not isinstance(v, str) or v == "":
        raise ShapeError(f"{path}: expected a non-empty name")
    return v


class State:
    """What the agent knows of one relation: members (None once broken) and the owed changed."""

    def __init__(self, relation_id, members, changed_pending=""):
        self.relation_id = relation_id
        self.members = members
        self.changed_pending = changed_pending

    def with_(self, **fields):
        s = State(self.relation_id, self.members, self.changed_pending)
        for k, v in fields.items():
            setattr(s, k, v)
        return s


def decode_state(v, path):
    rid = relation_id(field(v, "relationId", path), f"{path}.relationId")
    raw = field(v, "members", path)
    if raw is None:
        members = None
    elif isinstance(raw, dict):
        members = {
            unit_name(u, f"{path}.members[{u!r}]"): version(ver, f"{path}.members[{u!r}]")
            for u, ver in raw.items()
        }
    else:
        raise ShapeError(f"{path}.members: expected an object or null")
    pending = field(v, "changedPending", path)
    if pending != "":
        unit_name(pending, f"{path}.changedPending")
    return State(rid, members, pending)


def encode_state(s):
    members = None if s.members is None else {u: s.members[u] for u in sorted(s.members)}
    return {"relationId": s.relation_id, "members": members, "changedPending": s.changed_pending}


def hook(kind, rid, unit, ver):
    return {"kind": kind, "relationId": rid, "remoteUnit": unit, "changeVersion": ver}


def decode_hook(v, path):
    kind = field(v, "kind", path)
    if kind not in HOOK_KINDS:
        raise ShapeError(f"{path}.kind: expected a hook kind, got {kind!r}")
    rid = relation_id(field(v, "relationId", path), f"{path}.relationId")
    unit = field(v, "remoteUnit", path)
    ver = version(field(v, "changeVersion", path), f"{path}.changeVersion")
    if kind == BROKEN:
        if unit != "" or ver != 0:
            raise ShapeError(f"{path}: relation-broken names no unit and has version 0")
    else:
        unit_name(unit, f"{path}.remoteUnit")
    return hook(kind, rid, unit, ver)


def decode_change(v, path):
    """A watcher event: (changed: {unit: version}, departed: [unit]); both keys optional."""
    if not isinstance(v, dict):
        raise ShapeError(f"{path}: expected an object")
    changed = {}
    raw = v.get("changed", {})
    if not isinstance(raw, dict):
        raise ShapeError(f"{path}.changed: expected an object")
    for u, settings in raw.items():
        unit_name(u, f"{path}.changed[{u!r}]")
        changed[u] = version(field(settings, "version", f"{path}.changed[{u!r}]"), f"{path}.changed[{u!r}].version")
    departed = v.get("departed", [])
    if not isinstance(departed, list):
        raise ShapeError(f"{path}.departed: expected an array")
    for i, u in enumerate(departed):
        unit_name(u, f"{path}.departed[{i}]")
    return changed, list(departed)


def go_quote(s):
    """Go's %q for the strings in error texts (unit names, hook kinds, paths)."""
    escapes = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}
    out = []
    for ch in s:
        cp = ord(ch)
        if ch in escapes:
            out.append(escapes[ch])
        elif ch.isprintable():
            out.append(ch)
        elif cp < 0x80:
            out.append(f"\\x{cp:02x}")
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    return '"' + "".join(out) + '"'
