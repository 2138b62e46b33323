"""A protocol v1 server for the crash phases: hello, bye and statedir.*.

Unit files are written through a randomly named temporary file
(tempfile.mkstemp), as most real implementations do. Each script of this
folder is this server with one way of putting a unit file on disk.
Standard library only.
"""

import json
import os
import re
import sys
import tempfile

APP = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$")
NUMBER = re.compile(r"^(0|[1-9][0-9]*)$")
ATOI = re.compile(r"^[+-]?[0-9]+$")


class DomainError(Exception):
    pass


def unit_of(name):
    """The unit a file name stands for, None for ignored names (Go's rule)."""
    i = name.rfind("-")
    if i == -1 or not ATOI.match(name[i + 1:]):
        return None
    app, num = name[:i], name[i + 1:]
    if not APP.match(app) or not NUMBER.match(num):
        raise DomainError("invalid unit file %s" % json.dumps(name))
    return "%s/%s" % (app, num)


def read_dir(path):
    members, pending = {}, ""
    if not os.path.isdir(path):
        return members, pending
    for name in sorted(os.listdir(path)):
        unit = unit_of(name)
        if unit is None:
            continue
        version, changed = None, False
        with open(os.path.join(path, name), encoding="utf-8") as f:
            for line in f.read().splitlines():
                key, _, value = line.partition(":")
                value = value.strip()
                if key == "change-version" and ATOI.match(value):
                    version = int(value)
                elif key == "changed-pending":
                    changed = value == "true"
        if version is None:
            raise DomainError("invalid unit file %s: \"changed-version\" not set" % json.dumps(name))
        members[unit] = version
        if changed:
            if pending:
                raise DomainError("%s and %s both have changed-pending" % (pending, unit))
            pending = unit
    return members, pending


def encoded(rid, members, pending):
    return {"relationId": rid, "members": members, "changedPending": pending}


def unit_text(hook):
    text = "change-version: %d\n" % hook["changeVersion"]
    if hook["kind"] == "relation-joined":
        text += "changed-pending: true\n"
    return text.encode()


def sync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_via_temp(directory, name, data, fsync_file):
    """Write a random temporary file (fsynced or not), rename it over the unit file, sync the directory."""
    fd, temp = tempfile.mkstemp(dir=directory)
    try:
        try:
            os.write(fd, data)
            if fsync_file:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temp, os.path.join(directory, name))
    except OSError:
        # A failed write leaves no stray file behind (it would block Remove).
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    sync_dir(directory)


def serve(name, put):
    """put(directory, file name, bytes) puts one unit file on disk (raises OSError)."""
    dirs = {}

    def handle(req):
        op = req.get("op")
        if op == "hello":
            return {"implementation": name, "protocol": 1, "supports": ["statedir"]}
        if op == "bye":
            return {}
        if op == "statedir.open":
            path = os.path.join(req["base"], str(req["relationId"]))
            try:
                members, pending = read_dir(path)
            except (DomainError, OSError) as e:
                return {"error": "cannot load relation state from %s: %s" % (json.dumps(path), e)}
            dirs[req["dir"]] = {"path": path, "id": req["relationId"], "members": members, "pending": pending}
            return {"state": encoded(req["relationId"], members, pending)}
        if op == "statedir.readAll":
            base, states = req["base"], {}
            try:
                names = sorted(os.listdir(base)) if os.path.isdir(base) else []
                for entry in names:
                    if ATOI.match(entry):
                        members, pending = read_dir(os.path.join(base, entry))
                        states[str(int(entry))] = encoded(int(entry), members, pending)
            except (DomainError, OSError) as e:
                return {"error": "cannot load relations state from %s: %s" % (json.dumps(base), e)}
            return {"states": states}
        d = dirs.get(req.get("dir"))
        if d is None:
            raise LookupError("unknown state directory %s" % json.dumps(req.get("dir")))
        if op == "statedir.state":
            return {"state": encoded(d["id"], d["members"], d["pending"])}
        if op == "statedir.ensure":
            try:
                os.makedirs(d["path"], 0o755, exist_ok=True)
                sync_dir(os.path.dirname(d["path"]))
            except OSError as e:
                return {"error": str(e)}
            return {}
        if op == "statedir.remove":
            return remove(d, "")
        if op == "statedir.write":
            hook = req["hook"]
            kind, unit = hook["kind"], hook["remoteUnit"]
            prefix = "failed to write %s hook info for %s on state directory: " % (
                json.dumps(kind), json.dumps(unit))
            if kind == "relation-broken":
                return remove(d, prefix)
            file = unit.replace("/", "-")
            if d["members"] is None:
                return {}
            try:
                if kind == "relation-departed":
                    try:
                        os.unlink(os.path.join(d["path"], file))
                    except FileNotFoundError:
                        pass
                    d["members"].pop(unit, None)
                    return {}
                put(d["path"], file, unit_text(hook))
            except OSError as e:
                # The failure may come after the new file was in place (the
                # directory sync): memory follows what the disk now says.
                try:
                    d["members"], d["pending"] = read_dir(d["path"])
                except (DomainError, OSError):
                    pass
                return {"error": prefix + str(e)}
            d["members"][unit] = hook["changeVersion"]
            d["pending"] = unit if kind == "relation-joined" else ""
            return {}
        raise LookupError("unknown op %s" % json.dumps(op))

    def remove(d, prefix):
        try:
            os.rmdir(d["path"])
        except FileNotFoundError:
            pass
        except OSError as e:
            return {"error": prefix + str(e)}
        d["members"], d["pending"] = None, ""
        return {}

    for line in sys.stdin:
        if line.strip() == "":
            continue
        try:
            req = json.loads(line)
        except ValueError as e:
            answer = {"id": None, "ok": False, "error": "invalid JSON: %s" % e}
        else:
            try:
                answer = {"id": req.get("id"), "ok": True, "result": handle(req)}
            except (LookupError, TypeError, AttributeError) as e:
                answer = {"id": req.get("id") if isinstance(req, dict) else None, "ok": False, "error": str(e)}
        sys.stdout.write(json.dumps(answer, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        if isinstance(req, dict) and req.get("op") == "bye":
            return
