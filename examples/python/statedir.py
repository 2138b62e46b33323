"""Go's StateDir: one relation's state on disk under <base>/<id>.

Error texts are Go's, character for character: paths built like
filepath.Join, quoting like %q, and OS errors as "<op> <path>: <errno text>"
with Go's lower-case errno texts.
"""

import errno
import os

from model import BROKEN, DEPARTED, JOINED, SAFE_INTEGER, State, atoi, go_quote, is_unit_name
from relation import commit
from unitfile import YamlError, encode_unit_file, read_unit_file

GO_ERRNO_TEXT = {
    "EACCES": "permission denied",
    "EBADF": "bad file descriptor",
    "EBUSY": "device or resource busy",
    "EEXIST": "file exists",
    "EINVAL": "invalid argument",
    "EIO": "input/output error",
    "EISDIR": "is a directory",
    "ELOOP": "too many levels of symbolic links",
    "EMFILE": "too many open files",
    "ENAMETOOLONG": "file name too long",
    "ENOENT": "no such file or directory",
    "ENOSPC": "no space left on device",
    "ENOTDIR": "not a directory",
    "ENOTEMPTY": "directory not empty",
    "EPERM": "operation not permitted",
    "EROFS": "read-only file system",
    "EXDEV": "invalid cross-device link",
}


class StateDirError(Exception):
    pass


class GoOSError(Exception):
    """Go's *PathError: the op word, the path(s) and the errno name."""

    def __init__(self, op, path, code, path2=None):
        super().__init__(f"{op} {path}{'' if path2 is None else ' ' + path2}: {GO_ERRNO_TEXT.get(code, code)}")
        self.code = code
        self.renamed = False  # set when only the final directory sync failed


def call(op, path, fn, *args, path2=None, ops=None):
    """Run an os call; a failure becomes GoOSError (ops maps an errno name to another op word)."""
    try:
        return fn(*args)
    except OSError as e:
        code = errno.errorcode.get(e.errno, "EIO")
        raise GoOSError((ops or {}).get(code, op), path, code, path2) from None


def go_clean(p):
    """Go's filepath.Clean."""
    rooted = p.startswith("/")
    parts = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = ("/" if rooted else "") + "/".join(parts)
    return out or "."


def go_join(*parts):
    kept = [p for p in parts if p != ""]
    return go_clean("/".join(kept)) if kept else ""


def go_dir(p):
    return go_clean(os.path.dirname(p) or ".")


def list_dir(path):
    """Entry names in byte order, or None when the directory does not exist."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ENOENT:
            return None
        raise GoOSError("stat", path, errno.errorcode.get(e.errno, "EIO")) from None
    names = call("open", path, os.listdir, path, ops={"ENOTDIR": "readdirent"})
    return sorted(names, key=os.fsencode)


def go_remove(path):
    """Go's os.Remove: unlink, else rmdir; rmdir's error unless it said ENOTDIR."""
    try:
        os.unlink(path)
        return
    except OSError as e:
        unlinked = errno.errorcode.get(e.errno, "EIO")
    try:
        os.rmdir(path)
    except OSError as e:
        code = errno.errorcode.get(e.errno, "EIO")
        raise GoOSError("remove", path, unlinked if code == "ENOTDIR" else code) from None


def go_mkdir_all(path):
    """Go's os.MkdirAll with mode 0755."""
    if os.path.exists(path):
        if os.path.isdir(path):
            return
        raise GoOSError("mkdir", path, "ENOTDIR")
    parent = go_dir(path)
    if parent not in (path, ".", "/"):
        go_mkdir_all(parent)
    try:
        os.mkdir(path, 0o755)
    except OSError as e:
        if not os.path.isdir(path):
            raise GoOSError("mkdir", path, errno.errorcode.get(e.errno, "EIO")) from None


def write_atomic(path, data):
    """<path>.preparing: create/truncate 0644, write, fsync, close; rename; sync the directory."""
    prep = path + ".preparing"
    fd = call("open", prep, os.open, prep, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        done = 0
        while done < len(data):
            done += call("write", prep, os.write, fd, data[done:])
        call("sync", prep, os.fsync, fd)
    except GoOSError:
        os.close(fd)
        raise
    call("close", prep, os.close, fd)
    call("rename", prep, os.rename, prep, path, path2=path)
    dir_ = go_dir(path)
    try:
        dfd = call("sync", dir_, os.open, dir_, os.O_RDONLY, ops={"ENOENT": "open", "EACCES": "open"})
        try:
            call("sync", dir_, os.fsync, dfd)
        finally:
            os.close(dfd)
    except GoOSError as e:
        e.renamed = True  # the new file is in place: memory follows the disk
        raise


def entries(path, fail):
    """list_dir for a reader: no directory is no entries, an OS error is the reader's error."""
    try:
        return list_dir(path) or []
    except GoOSError as e:
        raise fail(str(e)) from None


def read_state_dir(base, rid):
    """ReadStateDir: (path, State); a missing directory is an empty state."""
    path = go_join(base, str(rid))

    def fail(reason):
        return StateDirError(f"cannot load relation state from {go_quote(path)}: {reason}")

    members, pending = {}, ""
    for name in entries(path, fail):
        dash = name.rfind("-")
        if dash == -1 or atoi(name[dash + 1 :]) is None:
            continue  # not a unit file: temporary files, strays
        unit = name[:dash] + "/" + name[dash + 1 :]
        invalid = f"invalid unit file {go_quote(name)}: "
        if not is_unit_name(unit):
            raise fail(invalid + f"{go_quote(unit)} is not a valid unit name")
        file = go_join(path, name)
        try:
            with call("open", file, open, file, "rb", ops={"EISDIR": "read"}) as f:
                text = call("read", file, f.read).decode("utf-8-sig", "replace")  # as TextDecoder: BOM dropped
        except GoOSError as e:
            raise fail(str(e)) from None
        try:
            version, is_pending = read_unit_file(text)
        except (YamlError, ValueError) as e:
            raise fail(invalid + str(e)) from None
        if version is None:
            raise fail(invalid + '"changed-version" not set')
        members[unit] = version
        if is_pending:
            if pending:
                raise fail(f"{go_quote(pending)} and {go_quote(unit)} both have pending changed hooks")
            pending = unit
    return path, State(rid, members, pending)


def read_all_state_dirs(base):
    """ReadAllStateDirs: {id: State} for every entry whose name passes Atoi."""

    def fail(reason):
        return StateDirError(f"cannot load relations state from {go_quote(base)}: {reason}")

    found = {}
    for name in entries(base, fail):
        n = atoi(name)
        if n is None:
            continue
        if abs(n) > SAFE_INTEGER:
            raise fail(f"relation directory {go_quote(name)}: id is outside the supported range")
        try:
            found[n] = read_state_dir(base, n)[1]
        except StateDirError as e:
            raise fail(str(e)) from None
    return found


class StateDir:
    """One relation directory and the state it holds; memory changes only after the disk."""

    def __init__(self, path, state):
        self.path, self.state = path, state

    def ensure(self):
        try:
            go_mkdir_all(self.path)
        except GoOSError as e:
            raise StateDirError(str(e)) from None

    def _remove(self):
        try:
            go_remove(self.path)
        except GoOSError as e:
            if e.code != "ENOENT":
                raise
        self.state = self.state.with_(members=None)

    def remove(self):
        try:
            self._remove()
        except GoOSError as e:
            raise StateDirError(str(e)) from None

    def write(self, h):
        kind, unit = h["kind"], h["remoteUnit"]
        prefix = f"failed to write {go_quote(kind)} hook info for {go_quote(unit)} on state directory: "
        try:
            if kind == BROKEN:
                self._remove()
                return
            file = go_join(self.path, unit.replace("/", "-", 1))
            if kind == DEPARTED:
                try:
                    go_remove(file)
                except GoOSError as e:
                    if e.code != "ENOENT":
                        raise
            else:
                write_atomic(file, encode_unit_file(h["changeVersion"], kind == JOINED))
        except GoOSError as e:
            if e.renamed:
                self.state = commit(self.state, h)
            raise StateDirError(prefix + str(e)) from None
        self.state = commit(self.state, h)
