"""Correct: a random temporary file, fsynced, renamed over the unit file, then the directory fsynced."""

from statedir_server import put_via_temp, serve

serve("python correct", lambda directory, name, data: put_via_temp(directory, name, data, True))
