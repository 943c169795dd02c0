"""One chat-completions request over HTTP (httpx), streamed or not, and what can go wrong.

The OpenAI chat-completions protocol is small: a POST of the model, the messages and the
generation parameters; the answer as one JSON body, or as server-sent events (``data: {…}``
chunks whose ``choices[0].delta`` carry the text, ending with a ``finish_reason`` and
``data: [DONE]``). Talking it directly keeps the LLM path's start-up at the cost of importing
httpx (≈0.2 s) instead of langchain-openai and the openai SDK (≈2–4 s on the reference
machine); see ``docs/llm.md``.

What this module adds to the protocol:

- ``reasoning_content`` (vLLM's reasoning parser, DeepSeek's API) and ``reasoning`` (Ollama,
  OpenRouter) deltas are collected apart from the text and never mixed into it;
- an event stream that ends without a finish reason or ``[DONE]``, or a connection dropped
  mid-answer, is an **incomplete** answer (:class:`Fault` ``incomplete``), never a short one;
- a server that ignores ``stream: true`` and answers with one JSON body is understood;
- every failure is a :class:`Fault` with a kind the client's retry loop and the run record
  use: ``timeout``, ``connect``, ``server`` (5xx, 408, 409, an error event), ``rate`` (429),
  ``incomplete``, ``malformed``, ``refused`` (another 4xx), ``auth`` (401/403), ``missing``
  (404). Its ``message`` is the server's own text, unmasked: the client masks it first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

MAX_ERROR_BODY = 64 * 1024


@dataclass
class Reply:
    """One complete answer: ``text`` (content only), ``reasoning`` (reasoning deltas, apart),
    the server's ``usage`` and ``finish`` reason."""

    text: str
    reasoning: str = ""
    usage: dict[str, Any] = field(default_factory=dict)
    finish: str | None = None


class Fault(Exception):
    """A request that gave no complete answer (see the module docstring for ``kind``)."""

    def __init__(self, kind: str, message: str = "", status: int | None = None,
                 headers: Any = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.message = message
        self.status = status
        self.headers = headers


def request_body(model: str, messages: list[dict[str, str]], params: dict[str, Any],
                 stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": messages, **params}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return body


async def post(http: Any, url: str, headers: dict[str, str], body: dict[str, Any],
               on_chunk: Callable[[int], None] | None = None) -> Reply:
    """POST ``body`` to ``url`` and read the answer; :class:`Fault` when there is none."""
    import httpx

    got_status = False
    try:
        async with http.stream("POST", url, headers=headers, json=body) as resp:
            got_status = True
            if resp.status_code != 200:
                raw = await _read_limited(resp)
                raise _status_fault(resp.status_code, raw, resp.headers)
            ctype = resp.headers.get("content-type", "")
            if body.get("stream") and ctype.startswith("text/event-stream"):
                return await _read_stream(resp, on_chunk)
            reply = _parse_completion(await resp.aread())
            if on_chunk and reply.text:
                on_chunk(len(reply.text))
            return reply
    except httpx.TimeoutException as e:
        raise Fault("timeout", str(e)) from None
    except httpx.ConnectError as e:
        raise Fault("connect", str(e)) from None
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as e:
        raise Fault("incomplete" if got_status else "connect", str(e)) from None


async def _read_limited(resp: Any) -> bytes:
    data = b""
    async for chunk in resp.aiter_bytes():
        data += chunk
        if len(data) >= MAX_ERROR_BODY:
            break
    return data


def error_message(raw: bytes) -> str:
    """The server's error text from an error body (OpenAI ``error.message``, FastAPI
    ``detail``, or the body itself)."""
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        return " ".join(text.split())
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        for k in ("message", "detail", "error"):
            if data.get(k):
                return str(data[k])
    return " ".join(text.split())


def _status_fault(code: int, raw: bytes, headers: Any) -> Fault:
    message = error_message(raw)
    if code == 429:
        kind = "rate"
    elif code >= 500 or code in (408, 409):
        kind = "server"
    elif code in (401, 403):
        kind = "auth"
    elif code == 404:
        kind = "missing"
    else:
        kind = "refused"
    return Fault(kind, message, code, headers)


def _parse_completion(raw: bytes) -> Reply:
    try:
        data = json.loads(raw)
        choice = data["choices"][0]
        msg = choice.get("message") or {}
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise Fault("malformed", raw[:200].decode("utf-8", "replace")) from None
    if not isinstance(msg, dict):
        raise Fault("malformed", "message is not an object")
    text = msg.get("content")
    return Reply(text if isinstance(text, str) else "",
                 str(msg.get("reasoning_content") or msg.get("reasoning") or ""),
                 dict(data.get("usage") or {}), choice.get("finish_reason"))


async def _read_stream(resp: Any, on_chunk: Callable[[int], None] | None) -> Reply:
    parts: list[str] = []
    thoughts: list[str] = []
    usage: dict[str, Any] = {}
    finish: str | None = None
    done = False
    async for line in resp.aiter_lines():
        if not line.startswith("data:"):
            continue  # blank separators, comments (": ping"), "event:" lines
        payload = line[5:].strip()
        if payload == "[DONE]":
            done = True
            break
        try:
            event = json.loads(payload)
        except ValueError:
            raise Fault("malformed", payload[:200]) from None
        if not isinstance(event, dict):
            raise Fault("malformed", payload[:200])
        if event.get("error"):
            err = event["error"]
            raise Fault("server", str(err.get("message") if isinstance(err, dict) else err))
        if event.get("usage"):
            usage = dict(event["usage"])
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            piece = delta.get("content")
            if isinstance(piece, str) and piece:
                parts.append(piece)
                if on_chunk:
                    on_chunk(len(piece))
            thought = delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(thought, str):
                thoughts.append(thought)
            finish = choice.get("finish_reason") or finish
    if not done and finish is None:
        raise Fault("incomplete", "stream ended before its finish reason and [DONE]")
    return Reply("".join(parts), "".join(thoughts), usage, finish)
