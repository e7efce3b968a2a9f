"""A small OpenAI-compatible chat-completions server on loopback, scripted per test.

It speaks the real protocol (`POST /v1/chat/completions`, JSON or, with `stream: true`, server-sent
events ending in `data: [DONE]`), records every request, and answers with whatever `handler` returns
for the request body: content, an HTTP error, a malformed body, or a delay longer than the client waits.
Below the server: the questions, replies and helpers that the tests of the openai generator share.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant import llm
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.types import Answer


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    raw: str | None = None  # sent as the body (or as each SSE event's data) instead of valid JSON
    delay: float = 0.0  # seconds before anything is sent (longer than the client's timeout: a time-out)
    stall: float = 0.0  # streaming only: seconds of silence after the first event (a time-out mid-stream)


Handler = Callable[[dict[str, Any]], Reply]


def completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def chunk(delta: dict[str, str], model: str, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def pieces(text: str, size: int = 6) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class FakeOpenAI:
    """`with FakeOpenAI() as srv:` … `srv.base_url`, `srv.handler = lambda body: Reply(...)`, `srv.requests`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []  # the Authorization header of each request
        self.handler: Handler = lambda body: Reply("")
        self.stop = threading.Event()
        fake = self

        class Serve(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self.send_json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                fake.requests.append(body)
                fake.auth.append(self.headers.get("Authorization", ""))
                reply = fake.handler(body)
                if reply.delay and fake.stop.wait(reply.delay):
                    return
                try:
                    if reply.status != 200:
                        self.send_json(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                    elif body.get("stream"):
                        self.send_stream(reply, body.get("model", ""))
                    elif reply.raw is not None:
                        self.send_text(200, reply.raw)
                    else:
                        self.send_json(200, completion(reply.content, body.get("model", "")))
                except (BrokenPipeError, ConnectionResetError):  # the client gave up first
                    pass

            def send_text(self, status: int, text: str, ctype: str = "application/json") -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def send_json(self, status: int, obj: dict[str, Any]) -> None:
                self.send_text(status, json.dumps(obj, ensure_ascii=False))

            def send_stream(self, reply: Reply, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                events = [json.dumps(chunk({"role": "assistant", "content": ""}, model))]
                if reply.raw is not None:
                    events.append(reply.raw)
                else:
                    events += [
                        json.dumps(chunk({"content": p}, model), ensure_ascii=False) for p in pieces(reply.content)
                    ]
                    events.append(json.dumps(chunk({}, model, "stop")))
                for i, e in enumerate([*events, "[DONE]"]):
                    self.wfile.write(f"data: {e}\n\n".encode())
                    self.wfile.flush()
                    if i == 1 and reply.stall and fake.stop.wait(reply.stall):
                        return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Serve)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: the connection is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# -- what the tests of the openai generator share -------------------------------------------------------
Q_ZH = "道德操守办公室2020年一共收到了多少项服务请求？"
Q_EN = "How many service requests did the Ethics Office receive in 2020?"
GOOD_ZH = "2020年，道德操守办公室共收到1 681项服务请求 [A/76/76 ¶6]。"
GOOD_EN = "The Ethics Office received 1,681 service requests in 2020 [A/76/76 ¶6]."
DOCUMENT = re.compile(r'<document key="([^"]+)"[^>]*>\n(.*?)\n</document>', re.S)


def squash(t: str) -> str:
    return re.sub(r"\s+", "", t)


def script(answer: Reply | Callable[[dict[str, Any]], Reply], condense: Reply | None = None) -> Handler:
    """Answer requests get `answer`; condense requests (their own system prompt) get `condense`."""

    def handle(body: dict[str, Any]) -> Reply:
        if body["messages"][0]["content"] == llm.CONDENSE_SYSTEM:
            return condense or Reply(status=500)
        return answer(body) if callable(answer) else answer

    return handle


def documents(body: dict[str, Any]) -> dict[str, str]:
    return dict(DOCUMENT.findall(body["messages"][1]["content"]))


def answer_requests(fake: FakeOpenAI) -> list[dict[str, Any]]:
    return [r for r in fake.requests if r["messages"][0]["content"] != llm.CONDENSE_SYSTEM]


def openai_settings(settings: Settings, url: str, **extra: Any) -> Settings:
    return settings.replace(
        generator="openai", openai_base_url=url, openai_model="fake-model", openai_timeout=1.5, **extra
    )


def ask(a: Assistant, question: str, stream: bool, history: list[str] | None = None) -> Answer:
    if not stream:
        return a.ask(question, history)
    parts = list(a.ask_stream(question, history))
    assert isinstance(parts[-1], Answer) and all(isinstance(p, str) for p in parts[:-1])
    return parts[-1]
