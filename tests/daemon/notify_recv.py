#!/usr/bin/env python3
"""Test-owned sd_notify receiver: bind a datagram socket at argv[1] and append
each message received to argv[2], one line per assignment, flushed at once."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a") as f:
    f.write("LISTENING\n")
    f.flush()
    while True:
        data = s.recv(4096)
        for line in data.decode("utf-8", "replace").splitlines():
            f.write(line + "\n")
        f.flush()
