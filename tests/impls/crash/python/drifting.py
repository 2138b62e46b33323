"""Correct, but it cannot be aimed at: before each unit file it writes a marker
in a directory of the state root named after its process id. A call in that
directory, found while recording, has no counterpart in any later run (each
run is a new process), so a crash point there can never be hit, and the
crash phases must say so instead of passing it.
"""

import os

from statedir_server import put_via_temp, serve


def put(directory, name, data):
    side = os.path.join(os.path.dirname(directory), f"pid{os.getpid()}")
    os.makedirs(side, exist_ok=True)
    fd = os.open(os.path.join(side, "mark"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, name.encode())
    finally:
        os.close(fd)
    put_via_temp(directory, name, data, True)


serve("python drifting", put)
