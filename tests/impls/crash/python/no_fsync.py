"""Broken for a power cut only: the random temporary file is renamed without an fsync first."""

from statedir_server import put_via_temp, serve

serve("python no-fsync", lambda directory, name, data: put_via_temp(directory, name, data, False))
