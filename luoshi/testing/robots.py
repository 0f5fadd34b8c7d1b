"""A local imitation of the WeCom and DingTalk group-robot endpoints, on 127.0.0.1, in a thread.

Every POST is recorded (path, query, JSON body). A path listed in
``failures`` answers HTTP 500 that many times before it accepts; a path
in ``errcodes`` answers HTTP 200 with that robot errcode.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Post:
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class Robots:
    url: str
    posts: list[Post] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    errcodes: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, path: str) -> list[Post]:
        with self.lock:
            return [p for p in self.posts if p.path == path]


@pytest.fixture
def robots() -> Iterator[Robots]:
    state: Robots

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            with state.lock:
                if state.failures.get(parts.path, 0) > 0:
                    state.failures[parts.path] -= 1
                    reply, status = {"errcode": -1, "errmsg": "system busy"}, 500
                else:
                    state.posts.append(Post(parts.path, dict(urllib.parse.parse_qsl(parts.query)), body))
                    code = state.errcodes.get(parts.path, 0)
                    reply, status = {"errcode": code, "errmsg": "ok" if code == 0 else "invalid"}, 200
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Robots(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
