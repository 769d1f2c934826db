"""An app under uvicorn on a free loopback port, in a thread (tests that need real HTTP/1.1)."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager


@contextmanager
def running_server(app):
    """Yields the port; the server stops when the block ends."""
    import uvicorn

    listener = socket.socket()  # bound here, handed to uvicorn: no race for a "free" port
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
