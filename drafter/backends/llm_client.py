"""The HTTP side of the LLM backend: an OpenAI-compatible endpoint, with timeouts, retries
within a total deadline, the response cache, and secrets kept out of every message.

Configuration comes from the standard variables — ``OPENAI_BASE_URL``, ``OPENAI_API_KEY`` —
and the model from ``--model`` or ``DRAFTER_MODEL``; a missing one is a :class:`ConfigError`
(exit 2) naming the variable to set. ``DRAFTER_LLM_TIMEOUT`` (seconds per request, default
120: with streaming this is the longest silence between two chunks) and
``DRAFTER_LLM_DEADLINE`` (seconds for the whole run including retries, default 600) tune it;
``DRAFTER_LLM_STREAM=0`` asks for whole responses instead of a stream (for servers without
streaming).

The requests themselves are :mod:`drafter.backends.llm_http` (httpx, one thin layer: the
protocol is a POST and a stream of JSON events). Faults: a timeout, HTTP 429 (waiting as long
as ``Retry-After`` / ``retry-after-ms`` asks), HTTP 5xx/408/409, a refused or dropped connection
and a malformed body are retried with exponential backoff while the deadline allows; an
**incomplete** answer (the stream ended before its finish reason and ``[DONE]``) is retried
once, then the section gives up on it. HTTP 401/403/404 concern the endpoint, not a section:
they end the run (exit 2) at once. Each failure's reason says which it was — 无法连接服务,
服务端错误, 回复不完整, 请求被拒绝 — with the server's message masked (:mod:`masking`) before it
is shortened.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from drafter.backends.masking import Secrets
from drafter.errors import BackendError, ConfigError

DEFAULT_TIMEOUT = 120.0
DEFAULT_DEADLINE = 600.0
DEFAULT_TEMPERATURE = 0.3
MAX_ATTEMPTS = 6
MAX_INCOMPLETE = 2  # an incomplete answer is tried once more, no more
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
MESSAGE_CHARS = 160  # a server's error message is shown this long (after masking)


@dataclass(frozen=True)
class Endpoint:
    """Where and how to call the model. ``api_key`` is never printed, cached or stored."""

    base_url: str
    model: str
    api_key: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    temperature: float = DEFAULT_TEMPERATURE
    stream: bool = True

    def params(self) -> dict[str, Any]:
        """Generation parameters that change the response (part of the cache key)."""
        return {"temperature": self.temperature}

    @property
    def secrets(self) -> Secrets:
        return Secrets.of(self.api_key, self.base_url)

    @property
    def url(self) -> str:
        """The chat-completions address, without credentials."""
        return self.public()["base_url"] + "/chat/completions"

    def public(self) -> dict[str, Any]:
        """What the run report may show: the address without credentials, the model, limits."""
        parts = urlsplit(self.base_url)
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        return {"base_url": url, "model": self.model, "timeout_s": self.timeout,
                "deadline_s": self.deadline, "temperature": self.temperature,
                "stream": self.stream}


def _float_env(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name}=“{raw}”不是数字", f"请设置为秒数，如 {name}={default:g}") from None
    if value <= 0:
        raise ConfigError(f"环境变量 {name} 应大于 0（当前为 {raw}）", f"如 {name}={default:g}")
    return value


def endpoint_from_env(model: str | None = None, env: dict[str, str] | None = None,
                      stream: bool | None = None) -> Endpoint:
    """The endpoint the user configured; ConfigError (exit 2) naming what is missing."""
    env = dict(os.environ if env is None else env)
    base_url = (env.get("OPENAI_BASE_URL") or "").strip()
    if not base_url:
        raise ConfigError("未设置大模型服务地址：环境变量 OPENAI_BASE_URL 为空",
                          "请设置 OPENAI_BASE_URL，如本机 Ollama：export OPENAI_BASE_URL=http://127.0.0.1:11434/v1")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = Secrets.of("", base_url).mask(base_url)
        raise ConfigError(f"OPENAI_BASE_URL=“{shown}”不是有效的 http(s) 地址",
                          "应形如 http://127.0.0.1:8000/v1 或 https://api.example.com/v1")
    api_key = (env.get("OPENAI_API_KEY") or "").strip()
    if not api_key:
        raise ConfigError("未设置大模型服务密钥：环境变量 OPENAI_API_KEY 为空",
                          "请设置 OPENAI_API_KEY；本机 vLLM/Ollama 不校验密钥时可设为任意值，如 export OPENAI_API_KEY=local")
    name = (model or env.get("DRAFTER_MODEL") or "").strip()
    if not name:
        raise ConfigError("未指定大模型名称", "请用 --model 指定，或设置环境变量 DRAFTER_MODEL（如 qwen2.5:7b）")
    return Endpoint(base_url=base_url.rstrip("/"), model=name, api_key=api_key,
                    timeout=_float_env(env, "DRAFTER_LLM_TIMEOUT", DEFAULT_TIMEOUT),
                    deadline=_float_env(env, "DRAFTER_LLM_DEADLINE", DEFAULT_DEADLINE),
                    stream=stream if stream is not None else
                    env.get("DRAFTER_LLM_STREAM", "1").strip().lower() not in ("0", "false", "no"))


class CallFailed(Exception):
    """A request that did not yield a response: ``reason`` in Chinese (secrets masked);
    ``fatal`` when it is the endpoint's fault for every section (bad key, wrong address or
    model); ``kind`` what went wrong (connect, timeout, server, rate, incomplete, malformed,
    refused, auth, missing, deadline)."""

    def __init__(self, reason: str, fatal: bool = False, kind: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal
        self.kind = kind


@dataclass
class Completion:
    text: str
    latency_s: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached: bool = False
    attempts: list[str] = field(default_factory=list)  # what went wrong before it worked
    truncated: bool = False  # the model stopped at its length limit (finish_reason "length")
    finish: str | None = None
    reasoning: str = ""  # reasoning deltas (reasoning_content), never part of ``text``


def retry_after(headers: Any) -> float | None:
    """Seconds the server asked to wait (``retry-after-ms``, ``Retry-After`` seconds or date)."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# (reason shown, retryable) per fault kind; the server's message follows some of them.
_FAULTS = {
    "timeout": ("请求超时", True),
    "connect": ("无法连接服务", True),
    "server": ("服务端错误", True),
    "rate": ("HTTP 429（请求过多）", True),
    "incomplete": ("回复不完整（数据流在结束标记前中断）", True),
    "malformed": ("回复格式错误（不是有效的 JSON/事件流）", True),
}


class Client:
    """One run's connection: ``async with Client(...) as c: await c.complete(messages)``.

    ``deadline_at`` is a ``time.monotonic()`` instant shared by every section of the run;
    by default the endpoint's deadline counted from when the client is entered (ready), so
    slow start-up does not eat the time for requests. ``calls`` counts HTTP requests made
    (cache hits make none). Serves drafting (:mod:`drafter.backends.llm`), the LLM-assisted
    review (:mod:`drafter.review`) and the import refinement alike.
    """

    def __init__(self, endpoint: Endpoint, cache: Any = None, deadline_at: float | None = None,
                 backoff_base: float = BACKOFF_BASE, ssl_context: Any = None) -> None:
        self.endpoint = endpoint
        self.cache = cache
        self.deadline_at = deadline_at
        self.backoff_base = backoff_base
        self.calls = 0
        # False once the server refused ``response_format`` (HTTP 400/422): later requests of
        # the run ask in plain words only. None until a request asked for it.
        self.response_format_ok: bool | None = None
        self.ssl_context = ssl_context
        self.secrets = endpoint.secrets
        self._http: Any = None

    async def __aenter__(self) -> "Client":
        if self.deadline_at is None:
            self.deadline_at = time.monotonic() + self.endpoint.deadline
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.aclose()

    def _connection(self) -> Any:
        """The HTTP client, made on the first request (a run answered from the cache never
        imports httpx)."""
        if self._http is None:
            import httpx

            e = self.endpoint
            timeout = httpx.Timeout(e.timeout, connect=min(e.timeout, 10.0))
            # Plain http needs no TLS context (httpx would build one per client, ~0.25 s).
            verify: Any = (self.ssl_context or True) if e.base_url.startswith("https:") else False
            self._http = httpx.AsyncClient(timeout=timeout, verify=verify)
        return self._http

    def redact(self, text: str) -> str:
        """``text`` with the endpoint's secrets masked (:class:`Secrets`)."""
        return self.secrets.mask(text)

    def remaining(self) -> float:
        if self.deadline_at is None:  # not entered yet: the whole deadline is ahead
            return self.endpoint.deadline
        return self.deadline_at - time.monotonic()

    def _key(self, messages: list[tuple[str, str]], key_extra: dict[str, Any] | None) -> str:
        from drafter.backends.cache import cache_key

        plain = [{"role": r, "content": c} for r, c in messages]
        return cache_key(self.endpoint.model, plain, {**self.endpoint.params(), **(key_extra or {})})

    def cached(self, messages: list[tuple[str, str]],
               key_extra: dict[str, Any] | None = None) -> Completion | None:
        """The cached reply to ``messages`` (see :meth:`complete`), or None. Needs no
        connection: a run whose every request is cached never opens one."""
        return self._from_cache(self._key(messages, key_extra))

    def _from_cache(self, key: str) -> Completion | None:
        if self.cache is None or (hit := self.cache.get(key)) is None:
            return None
        finish = hit.get("finish") or ("length" if hit.get("truncated") else "stop")
        return Completion(hit["text"], 0.0, hit.get("prompt_tokens"), hit.get("completion_tokens"),
                          cached=True, truncated=finish == "length", finish=finish)

    def _reason(self, kind: str, message: str, status: int | None) -> str:
        """The Chinese reason for a fault: masked first, then shortened."""
        detail = " ".join(self.redact(message or "").split())[:MESSAGE_CHARS]
        if kind == "server":
            head = f"HTTP {status}（服务端错误）" if status else "服务端错误"
            return head + (f"：{detail}" if detail and not status else "")
        if kind in _FAULTS:
            return _FAULTS[kind][0]
        if kind == "auth":
            return f"密钥被拒绝（HTTP {status}）：请检查 OPENAI_API_KEY"
        if kind == "missing":
            return "地址或模型不存在（HTTP 404）：请检查 OPENAI_BASE_URL（通常以 /v1 结尾）和模型名称"
        return f"请求被拒绝（HTTP {status}）" + (f"：{detail}" if detail else "")

    async def complete(self, messages: list[tuple[str, str]],
                       on_chunk: Callable[[int], None] | None = None,
                       on_status: Callable[[str], None] | None = None, *,
                       response_format: dict[str, Any] | None = None,
                       key_extra: dict[str, Any] | None = None) -> Completion:
        """The model's reply to ``messages``; CallFailed when the deadline or the attempts
        run out (reason: the last fault) or the fault is not retryable.

        ``response_format`` (e.g. ``{"type": "json_object"}``) is sent where the server allows
        it: a server that refuses it (HTTP 400/422) is asked again at once without it, and
        the rest of the run does not send it. ``key_extra`` joins the cache key (a prompt
        version); the format asked for does not, so both ways share one cached reply."""
        from drafter.backends.llm_http import Fault, post, request_body

        plain = [{"role": r, "content": c} for r, c in messages]
        key = self._key(messages, key_extra)
        hit = self._from_cache(key)
        if hit is not None:
            if on_chunk:
                on_chunk(len(hit.text))
            return hit
        if self.deadline_at is None:  # used without ``async with``: the deadline starts now
            self.deadline_at = time.monotonic() + self.endpoint.deadline
        e = self.endpoint
        headers = {"Authorization": f"Bearer {e.api_key}", "Accept": "text/event-stream" if e.stream
                   else "application/json"}
        faults: list[str] = []
        cut_short = False  # stopped because the total deadline would pass
        incomplete = 0
        last = "error"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            left = self.remaining()
            if left <= 0:
                break
            t0 = time.monotonic()
            self.calls += 1
            fmt = response_format if self.response_format_ok is not False else None
            params = dict(e.params(), **({"response_format": fmt} if fmt else {}))
            body = request_body(e.model, plain, params, e.stream)
            try:
                reply = await asyncio.wait_for(post(self._connection(), e.url, headers, body, on_chunk),
                                               timeout=left)
            except (Fault, asyncio.TimeoutError) as exc:
                f = exc if isinstance(exc, Fault) else Fault("timeout")
                if fmt is not None and f.status in (400, 422):
                    self.response_format_ok = False  # plain prompting from now on
                    if on_status:
                        on_status("服务器不支持 response_format，改为只在提示词中要求 JSON")
                    continue  # at once, and not counted as a fault
                reason = self._reason(f.kind, f.message, f.status)
                if f.kind in ("auth", "missing"):
                    raise CallFailed(reason, fatal=True, kind=f.kind) from None
                last = f.kind
                faults.append(reason)
                if f.kind == "incomplete":
                    incomplete += 1
                retryable = _FAULTS.get(f.kind, ("", False))[1] and incomplete < MAX_INCOMPLETE
                if not retryable or attempt == MAX_ATTEMPTS:
                    break
                wait = retry_after(f.headers) if f.kind in ("rate", "server") else None
                delay = wait if wait is not None else min(
                    BACKOFF_CAP, self.backoff_base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random.random())
                if delay >= self.remaining():
                    cut_short = True
                    break
                if on_status:
                    on_status(f"{reason}，{delay:.1f} 秒后重试")
                await asyncio.sleep(delay)
                continue
            if fmt is not None:
                self.response_format_ok = True
            text = self.redact(reply.text)  # never into the cache, run folder or draft
            usage = reply.usage
            c = Completion(text, round(time.monotonic() - t0, 3), attempts=faults,
                           prompt_tokens=usage.get("prompt_tokens"),
                           completion_tokens=usage.get("completion_tokens"),
                           truncated=reply.finish == "length", finish=reply.finish,
                           reasoning=self.redact(reply.reasoning))
            if self.cache is not None:
                self.cache.put(key, {"model": e.model, "text": text, "finish": reply.finish,
                                     "prompt_tokens": c.prompt_tokens,
                                     "completion_tokens": c.completion_tokens})
            return c
        if not faults:
            raise CallFailed("已超出总时限，未能发出请求", kind="deadline")
        notes = [f"共尝试 {len(faults)} 次"] if len(faults) > 1 else []
        if cut_short or self.remaining() <= 0:
            notes.append("再次重试将超出总时限")
        raise CallFailed(faults[-1] + (f"（{'，'.join(notes)}）" if notes else ""), kind=last)


def fatal(reason: str, endpoint: Endpoint, written: str | None = None) -> BackendError:
    """The run-ending error; ``written`` says where the run record went (else: nothing written)."""
    where = endpoint.public()["base_url"]
    tail = f"未写出报告；运行记录已写入 {written}" if written else "未写出任何文件"
    return BackendError(endpoint.secrets.mask(f"大模型服务不可用（{where}）：{reason}"),
                        f"请确认服务已启动、OPENAI_BASE_URL 和模型名称正确；{tail}")
