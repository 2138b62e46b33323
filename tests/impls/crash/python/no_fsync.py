"""Broken for a power cut only: the temporary file is renamed without an fsync first."""

import os
import tempfile

from statedir_server import serve, sync_dir


def put(directory, name, data):
    fd, temp = tempfile.mkstemp(dir=directory)
    try:
        try:
            os.write(fd, data)
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


serve("python no-fsync", put)
