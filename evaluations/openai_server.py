"""A scripted HTTP server that speaks the OpenAI chat-completions protocol, for tests.

The LLM backend is tested against a real socket, not a mocked client: this server runs on
127.0.0.1 (a free port) in a background thread and answers ``POST …/chat/completions`` —
streamed (server-sent events, with a usage chunk when ``stream_options.include_usage``) or
not — from a *script*:

- ``server.on(match, *replies)`` queues replies for requests whose messages contain
  ``match`` (the sections are drafted concurrently, so replies are routed by content, not by
  arrival order). The queue is consumed one reply per request; its last reply repeats.
- ``server.default`` answers requests that no queue matches (a callable taking the request
  body, or a :class:`Reply`).
- A :class:`Reply` is a status code, a content, headers (``Retry-After``), a latency, a hang
  (accept the request, never answer), or a raw (malformed) body. Like real servers, it can also
  send ``reasoning_content`` deltas before the content (vLLM's reasoning parser, DeepSeek's
  API), cut a stream before its finish reason and ``[DONE]`` (``stream="cut"``: a dropped
  connection or a crashed worker), and echo the caller's API key inside an error message at any
  offset (``echo_key_at``), as some servers do.

Every request is recorded (``server.requests``: path, headers, JSON body, arrival time).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    """One scripted answer. ``content`` is the assistant message (None: an empty message
    with ``content: null``); ``raw`` replaces the whole body (malformed JSON …);
    ``delay`` is seconds before the first byte; ``hang`` never answers."""

    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float | None = None
    hang: bool = False
    raw: bytes | None = None
    usage: tuple[int, int] | None = None  # (prompt_tokens, completion_tokens); None: estimate
    finish: str = "stop"  # finish_reason ("length": cut at the token limit)
    reasoning: str | None = None  # reasoning_content, sent apart from the content
    stream: str = "complete"  # "cut": the stream stops after the content (no finish, no [DONE])
    echo_key_at: int | None = None  # an error message with the request's key inserted here


def error(status: int, message: str = "scripted error", echo_key_at: int | None = None,
          **headers: str) -> Reply:
    """An error reply; ``echo_key_at``: the request's API key is inserted into ``message`` at
    that offset (a server that echoes the key it was given)."""
    body = json.dumps({"error": {"message": message, "type": "server_error", "code": status}})
    return Reply(status=status, raw=body.encode(), echo_key_at=echo_key_at,
                 headers={k.replace("_", "-"): v for k, v in headers.items()})


def _echo(reply: Reply, headers: dict[str, str]) -> bytes:
    """``reply.raw`` with the caller's key inserted into its error message."""
    key = headers.get("authorization", "").removeprefix("Bearer ").strip()
    data = json.loads(reply.raw or b"{}")
    msg = str((data.get("error") or {}).get("message", ""))
    at = min(max(0, reply.echo_key_at or 0), len(msg))
    data.setdefault("error", {})["message"] = msg[:at] + key + msg[at:]
    return json.dumps(data).encode()


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float

    @property
    def text(self) -> str:
        """All message contents joined (what the scripts match against)."""
        return "\n".join(str(m.get("content") or "") for m in self.body.get("messages", []))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))


class ScriptedServer:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.default: Reply | Callable[[dict[str, Any]], Reply] = Reply(
            status=500, raw=b'{"error": {"message": "no script for this request"}}')
        self.requests: list[Request] = []
        self.other_requests: list[Request] = []  # anything but chat completions (e.g. tracing)
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests being answered at the same time
        self._routes: list[tuple[str, list[Reply]]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------------
    def on(self, match: str, *replies: Reply | str) -> None:
        """Answer requests whose messages contain ``match`` with ``replies`` in turn (a str is
        a 200 reply with that content); the last reply repeats once the others are used."""
        queue = [r if isinstance(r, Reply) else Reply(content=r) for r in replies]
        if not queue:
            raise ValueError("on() needs at least one reply")
        self._routes.append((match, queue))

    def reset(self) -> None:
        """Forget every script and recorded request (one server, many runs)."""
        with self._lock:
            self._routes.clear()
            self.requests.clear()

    def calls(self, match: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if match is None or match in r.text]

    def _next_reply(self, req: Request) -> Reply:
        with self._lock:
            self.requests.append(req)
            for match, queue in self._routes:
                if match in req.text:
                    return queue.pop(0) if len(queue) > 1 else queue[0]
        d = self.default
        return d(req.body) if callable(d) else d


class _QuietServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a client opening more connections at once
    # had the rest dropped and retried by TCP a second later (every figure with more than
    # ~6 concurrent requests included that second). Real servers (uvicorn, vLLM) use 2048.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (timeout test) is expected, not a failure


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            req = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                          time.monotonic())
            if not self.path.rstrip("/").endswith("/chat/completions"):
                with server._lock:
                    server.other_requests.append(req)
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            reply = server._next_reply(req)
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._answer(body, reply, req.headers)
            finally:
                with server._lock:
                    server.in_flight -= 1

        def do_GET(self) -> None:  # noqa: N802 — recorded as another request, then 404
            req = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, {},
                          time.monotonic())
            with server._lock:
                server.other_requests.append(req)
            self._send(404, b'{"error": {"message": "not found"}}')

        do_PATCH = do_PUT = do_GET

        def _answer(self, body: dict[str, Any], reply: Reply, headers: dict[str, str]) -> None:
            delay = server.latency if reply.delay is None else reply.delay
            if reply.hang:
                server._stop.wait(300)
                self.close_connection = True
                return
            if delay and server._stop.wait(delay):
                return
            if reply.raw is not None or reply.status != 200:
                raw = _echo(reply, headers) if reply.echo_key_at is not None else reply.raw
                self._send(reply.status, raw or b"{}", reply.headers)
            elif body.get("stream"):
                self._stream(body, reply)
            elif reply.stream == "cut":  # a whole body promised, the connection dropped halfway
                data = json.dumps(_completion(body, reply)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
            else:
                self._send(200, json.dumps(_completion(body, reply)).encode(), reply.headers)

        def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any], reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.close_connection = True
            model = body.get("model", "scripted")
            content = reply.content or ""
            pieces = [content[i:i + 40] for i in range(0, len(content), 40)] or [""]
            thought = reply.reasoning or ""
            events = [_chunk(model, {"role": "assistant", "content": ""}, None)]
            events += [_chunk(model, {"reasoning_content": thought[i:i + 40], "content": None}, None)
                       for i in range(0, len(thought), 40)]
            events += [_chunk(model, {"content": p}, None) for p in pieces]
            cut = reply.stream == "cut"
            if not cut:
                events.append(_chunk(model, {}, reply.finish))
                if (body.get("stream_options") or {}).get("include_usage"):
                    events.append({**_chunk(model, {}, None), "choices": [],
                                   "usage": _usage(body, reply)})
            try:
                for ev in events:
                    self.wfile.write(f"data: {json.dumps(ev, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                if not cut:
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def _usage(body: dict[str, Any], reply: Reply) -> dict[str, int]:
    if reply.usage:
        p, c = reply.usage
    else:
        p = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
        c = len(reply.content or "")
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 0,
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": 0,
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "finish_reason": reply.finish,
                         "message": {"role": "assistant", "content": reply.content,
                                     **({"reasoning_content": reply.reasoning} if reply.reasoning else {})}}],
            "usage": _usage(body, reply)}


def free_port() -> int:
    """A port nothing listens on (for the connection-refused case)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
