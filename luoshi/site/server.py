"""Running the WSGI server on a socket the start-up checks already opened."""

from __future__ import annotations

import socket


def run(sock: socket.socket, *, threads: int) -> None:
    from waitress import serve

    from luoshi.wsgi import application

    serve(application, sockets=[sock], threads=threads, ident="luoshi")
