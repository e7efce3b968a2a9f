"""An ASGI guard in front of the whole web app (JSON routes and gradio alike), issue 11:

- the Host header must name this server (loopback, the --host it listens on, or an allowed public name), so a
  page on another site cannot reach it through DNS rebinding; anything else gets 400;
- a request body larger than the limit gets 413 before it is parsed: by its Content-Length, or, when it has
  none (chunked), as soon as more than the limit has arrived.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})
ALL_INTERFACES = frozenset({"", "0.0.0.0", "::", "[::]"})
UPLOAD_PATH = "/gradio_api/upload"


def bracketed(host: str) -> str:
    """An IPv6 address as a Host header writes it: `[::1]`."""
    h = host.strip().lower()
    return f"[{h}]" if ":" in h and not h.startswith("[") else h


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback names, the interface the server listens on (unless it is all of them), and `extra` names."""
    names = set(LOOPBACK)
    if bind.strip().lower() not in ALL_INTERFACES:
        names.add(bracketed(bind))
    names.update(bracketed(h) for h in extra if h.strip())
    return frozenset(names)


def host_name(header: str) -> str:
    """`Host` without its port, lower case: `LOCALHOST:7860` -> `localhost`, `[::1]:7860` -> `[::1]`."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1]
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


async def reply(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class TooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, hosts: frozenset[str], max_body: int, max_upload_body: int) -> None:
        self.app, self.hosts, self.max_body, self.max_upload_body = app, hosts, max_body, max_upload_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1")
        if host_name(host) not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await reply(
                send,
                400,
                f"Host '{host[:100]}' is not this server; open it by the address it listens on, or start it with "
                "--allowed-host NAME (INTEGRITY_ALLOWED_HOSTS) for a public name.",
            )
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        upload = scope.get("path", "") == UPLOAD_PATH
        limit = self.max_upload_body if upload else self.max_body
        what = "INTEGRITY_MAX_UPLOAD_MB, INTEGRITY_MAX_UPLOAD_FILES" if upload else "INTEGRITY_MAX_REQUEST_BYTES"
        too_large = f"the request body is over the {limit:,}-byte limit ({what}); send less."
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await reply(send, 413 if length.isdigit() else 400, too_large if length.isdigit() else "bad Content-Length")
            return
        await self.limited(scope, receive, send, limit, too_large)

    async def limited(self, scope: Scope, receive: Receive, send: Send, limit: int, too_large: str) -> None:
        """Run the app, counting the body as it arrives; past `limit` the app is cut off and 413 is sent."""
        seen = 0
        state: dict[str, Any] = {"over": False, "started": False}

        async def counted() -> Message:
            nonlocal seen
            if state["over"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    state["over"] = True
                    raise TooLarge
            return message

        async def watched(message: Message) -> None:
            if state["over"]:
                return  # the app's own answer to a cut-off body is dropped: the client gets 413
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            pass
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await reply(send, 413, too_large)
