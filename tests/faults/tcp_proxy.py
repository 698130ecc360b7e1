"""A TCP proxy that can cut a service off from its database, and restore it.

The shared PostgreSQL must stay up for everyone else's tests, so the outage is made
for one service only: it connects through this proxy (asyncio, in a thread of the test
process), and `cut()` resets every open connection and stops listening (new connects
are refused, as when the database host is down); `restore()` listens again on the same
port. `freeze()` keeps every connection open but moves no byte either way (a hung
database, or one behind a link that drops packets: nothing is refused, nothing answers)
until `thaw()`. Only loopback addresses are accepted, for both ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
from collections.abc import Coroutine
from typing import Any

_CHUNK = 64 * 1024


def _loopback(host: str) -> str:
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the proxy only joins loopback addresses, not {host}")
    return host


class TcpProxy:
    """`127.0.0.1:<port>` forwarding to `upstream`; `cut`, `restore`, `close`."""

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432,
                 listen_host: str = "127.0.0.1") -> None:
        self.upstream = (_loopback(upstream_host), upstream_port)
        self.listen_host = _loopback(listen_host)
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy",
                                        daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._frozen = False
        self._thread.start()
        self._call(self._listen())

    def _call(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.listen_host, self.port,
                                                  reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _handle(self, client_reader: asyncio.StreamReader,
                      client_writer: asyncio.StreamWriter) -> None:
        await self._while_frozen()
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.transport.abort()
            return
        self.connections += 1
        pair = {client_writer, upstream_writer}
        self._writers |= pair
        try:
            await asyncio.gather(self._pipe(client_reader, upstream_writer),
                                 self._pipe(upstream_reader, client_writer))
        finally:
            self._writers -= pair
            for writer in pair:
                writer.transport.abort()

    async def _while_frozen(self) -> None:
        while self._frozen:
            await asyncio.sleep(0.02)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(_CHUNK):
                await self._while_frozen()
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(OSError, RuntimeError):
            writer.write_eof()

    def cut(self) -> None:
        """Refuse new connections and reset every open one (the database "goes away")."""

        async def cut() -> None:
            if self._server is not None:
                self._server.close()
                self._server = None
            for writer in list(self._writers):
                writer.transport.abort()

        self._call(cut())

    def restore(self) -> None:
        """Listen again on the same port (the database "comes back")."""
        if self._server is None:
            self._call(self._listen())

    def freeze(self) -> None:
        """Hold every byte, both ways, on open and new connections (nothing is refused)."""
        self._frozen = True

    def thaw(self) -> None:
        self._frozen = False

    @property
    def is_cut(self) -> bool:
        return self._server is None

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
