"""A local OpenAI-compatible chat server for tests: `POST /v1/chat/completions` answered from a script.

The tests start it themselves (a `ThreadingHTTPServer` in a thread on 127.0.0.1, free port) and talk to
it over real HTTP through langchain-openai; nothing of jixiao is patched. Each request takes the next
step of the script (when the script is used up, `default` answers):

    server.script(error(429), reply("好的"))     # 429, then a normal reply
    server.script(reply(["工作", "成效"]))        # as one message, or as SSE pieces when stream=true

Steps: `reply(text | pieces)`, `respond(fn)` (a reply computed from the request body), `error(status)`, `slow(seconds, step)`, `empty()`, `malformed()`,
`no_choices()`, `broken_stream(pieces)`, `cut_stream(pieces)` (the connection closes halfway, no finish),
`cut_body()` (a JSON reply whose connection closes halfway through the body). Every request is recorded in `server.requests` (path, headers with lower-case names,
JSON body, time) so tests can assert what was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass(frozen=True)
class Step:
    kind: str  # reply | error | slow | empty | malformed | no_choices | broken_stream | cut_stream | cut_body
    pieces: tuple[str, ...] = ()
    status: int = 200
    seconds: float = 0.0
    then: Step | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fn: Callable[[dict], str | list[str]] | None = None


def reply(text: str | list[str]) -> Step:
    """A normal reply; as a stream, each piece is one SSE chunk (a string is one chunk)."""
    return Step("reply", pieces=(text,) if isinstance(text, str) else tuple(text))


def respond(fn: Callable[[dict], str | list[str]]) -> Step:
    """A reply computed from the request body (a scripted model that reads its prompt)."""
    return Step("respond", fn=fn)


def error(status: int, *, retry_after: str | None = None) -> Step:
    return Step("error", status=status, headers={"Retry-After": retry_after} if retry_after else {})


def slow(seconds: float, then: Step | None = None) -> Step:
    """Wait `seconds` before answering with `then` (a normal reply by default)."""
    return Step("slow", seconds=seconds, then=then or reply("迟到的回复"))


def empty() -> Step:
    """A well-formed reply whose content is empty (a stream with no text)."""
    return Step("empty")


def malformed() -> Step:
    """A 200 response declared as JSON (or SSE) whose body is not JSON."""
    return Step("malformed")


def no_choices() -> Step:
    """Valid JSON without `choices`."""
    return Step("no_choices")


def broken_stream(pieces: list[str]) -> Step:
    """A stream that sends `pieces`, then a line that is not JSON."""
    return Step("broken_stream", pieces=tuple(pieces))


def cut_stream(pieces: list[str]) -> Step:
    """A stream that sends `pieces` and then the connection closes: no finish reason, no [DONE]
    (a proxy or the model server dying halfway through a reply)."""
    return Step("cut_stream", pieces=tuple(pieces))


def cut_body() -> Step:
    """A non-streamed reply whose declared length is never reached: the connection closes halfway."""
    return Step("cut_body")


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    at: float


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.steps: deque[Step] = deque()
        self.default: Step = reply("默认回复")
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.model_name = "scripted-model"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def script(self, *steps: Step) -> None:
        with self.lock:
            self.steps.extend(steps)

    def next_step(self) -> Step:
        with self.lock:
            return self.steps.popleft() if self.steps else self.default

    def start(self) -> ScriptedServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes slow steps
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.server.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
        if self.path != "/v1/chat/completions":
            return self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
        step = self.server.next_step()
        if step.kind == "slow":
            if self.server.stopping.wait(step.seconds):
                return
            step = step.then
        if step.kind == "respond":
            step = reply(step.fn(body or {}))
        wants_stream = bool(body and body.get("stream"))
        try:
            self._serve(step, wants_stream)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _serve(self, step: Step, wants_stream: bool) -> None:
        if step.kind == "error":
            message = {429: "Rate limit reached", 500: "Internal error"}.get(step.status, "error")
            return self._json(step.status, {"error": {"message": message, "type": "server_error"}},
                              step.headers)
        if step.kind == "malformed":
            ctype = "text/event-stream" if wants_stream else "application/json"
            payload = b"data: {not json\n\n" if wants_stream else b'{"choices": [{"message": '
            return self._raw(200, payload, ctype)
        if step.kind == "no_choices":
            return self._json(200, {"id": "x", "object": "chat.completion", "result": "你好"})
        if step.kind == "cut_body":
            whole = json.dumps(_completion("半截回复" * 50, self.server.model_name), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(whole)))
            self.end_headers()
            self.wfile.write(whole[: len(whole) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        pieces = step.pieces if step.kind in ("reply", "broken_stream", "cut_stream") else ("",)
        if wants_stream:
            return self._sse(pieces, broken=step.kind == "broken_stream", cut=step.kind == "cut_stream")
        return self._json(200, _completion("".join(pieces), self.server.model_name))

    def _json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        self._raw(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def _raw(self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _sse(self, pieces: tuple[str, ...], *, broken: bool, cut: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        model = self.server.model_name
        lines = [_chunk({"role": "assistant", "content": ""}, model)]
        lines += [_chunk({"content": piece}, model) for piece in pieces if piece]
        if broken:
            lines.append("{not json")
        elif cut:
            pass  # the pieces, then the connection closes
        else:
            lines.append(_chunk({}, model, finish="stop"))
            lines.append("[DONE]")
        for line in lines:
            self.wfile.write(f"data: {line}\n\n".encode())
            self.wfile.flush()
        self.close_connection = True


def _completion(content: str, model: str) -> dict:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(delta: dict, model: str, finish: str | None = None) -> str:
    return json.dumps({
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }, ensure_ascii=False)
