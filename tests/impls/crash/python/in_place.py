"""Broken for a process crash: the unit file is truncated and rewritten in place.

A random temporary file is still created and removed first (a lock-like
marker), so the calls on the directory carry random names too.
"""

import os
import tempfile

from statedir_server import serve, sync_dir


def put(directory, name, data):
    fd, marker = tempfile.mkstemp(dir=directory)
    os.close(fd)
    fd = os.open(os.path.join(directory, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(marker)
    sync_dir(directory)


serve("python in-place", put)
