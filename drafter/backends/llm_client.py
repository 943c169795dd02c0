"""The HTTP side of the LLM backend: an OpenAI-compatible endpoint behind langchain's
``ChatOpenAI``, with timeouts, retries within a total deadline, and the response cache.

Configuration comes from the standard variables — ``OPENAI_BASE_URL``, ``OPENAI_API_KEY`` —
and the model from ``--model`` or ``DRAFTER_MODEL``; a missing one is a :class:`ConfigError`
(exit 2) naming the variable to set. ``DRAFTER_LLM_TIMEOUT`` (seconds per request, default
120: with streaming this is the longest silence between two chunks) and
``DRAFTER_LLM_DEADLINE`` (seconds for the whole run including retries, default 600) tune it;
``DRAFTER_LLM_STREAM=0`` asks for whole responses instead of a stream (for servers without
streaming).

Faults: a timeout, HTTP 429 (waiting as long as ``Retry-After`` / ``retry-after-ms`` asks),
HTTP 5xx/408/409, a refused or dropped connection and a malformed body are retried with
exponential backoff while the deadline allows. The client's own retries are switched off
(``max_retries=0``) so this loop alone decides, and can report every attempt. HTTP 401/403/404
concern the endpoint, not a section: they end the run (exit 2) at once.

Pitfalls handled here: ChatOpenAI has no timeout unless given one; its default async HTTP
client is cached per process and bound to the first event loop ("Event loop is closed" on
the next ``asyncio.run``), so each run creates and closes its own ``httpx.AsyncClient``;
``get_num_tokens`` would download a tokenizer (offline: fails), so tokens are the server's
usage figures or, failing that, characters are counted.
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

from drafter.errors import BackendError, ConfigError

DEFAULT_TIMEOUT = 120.0
DEFAULT_DEADLINE = 600.0
DEFAULT_TEMPERATURE = 0.3
MAX_ATTEMPTS = 6
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0


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
        raise ConfigError(f"OPENAI_BASE_URL=“{base_url}”不是有效的 http(s) 地址",
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
    """A request that did not yield a response: ``reason`` in Chinese; ``fatal`` when it is
    the endpoint's fault for every section (bad key, wrong address or model)."""

    def __init__(self, reason: str, fatal: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


@dataclass
class Completion:
    text: str
    latency_s: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached: bool = False
    attempts: list[str] = field(default_factory=list)  # what went wrong before it worked
    truncated: bool = False  # the model stopped at its length limit (finish_reason "length")


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


def classify(exc: BaseException) -> tuple[str, bool, float | None]:
    """(reason, retryable, wait) for an exception from one request."""
    import openai

    if isinstance(exc, (asyncio.TimeoutError, openai.APITimeoutError)):
        return "请求超时", True, None
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        if code == 429:
            return "HTTP 429（请求过多）", True, retry_after(exc.response.headers)
        if code >= 500 or code in (408, 409):
            return f"HTTP {code}（服务端错误）", True, retry_after(exc.response.headers)
        if code in (401, 403):
            raise CallFailed(f"密钥被拒绝（HTTP {code}）：请检查 OPENAI_API_KEY", fatal=True)
        if code == 404:
            raise CallFailed("地址或模型不存在（HTTP 404）：请检查 OPENAI_BASE_URL（通常以 /v1 结尾）和模型名称",
                             fatal=True)
        raise CallFailed(f"请求被拒绝（HTTP {code}）：{_short(exc)}")
    if isinstance(exc, openai.APIConnectionError):
        return "无法连接服务", True, None
    if isinstance(exc, (ValueError, openai.APIResponseValidationError)):
        return "回复格式错误（不是有效的 JSON/事件流）", True, None
    raise exc


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120]


class Client:
    """One run's connection: ``async with Client(...) as c: await c.complete(messages)``.

    ``deadline_at`` is a ``time.monotonic()`` instant shared by every section of the run;
    by default the endpoint's deadline counted from when the client is ready (its libraries
    imported and connections set up), so slow start-up does not eat the time for requests.
    ``calls`` counts HTTP requests made (cache hits make none).
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
        self._llm: Any = None
        self._http: Any = None
        self._http_sync: Any = None

    async def __aenter__(self) -> "Client":
        import httpx
        from langchain_openai import ChatOpenAI

        e = self.endpoint
        timeout = httpx.Timeout(e.timeout, connect=min(e.timeout, 10.0))
        # Plain http needs no TLS context (httpx would build one per client, ~0.25 s).
        verify: Any = (self.ssl_context or True) if e.base_url.startswith("https:") else False
        self._http = httpx.AsyncClient(timeout=timeout, verify=verify)
        self._http_sync = httpx.Client(timeout=timeout, verify=verify)  # unused; spares the default
        self._llm = ChatOpenAI(model=e.model, base_url=e.base_url, api_key=e.api_key,
                               temperature=e.temperature, timeout=e.timeout, max_retries=0,
                               streaming=e.stream, stream_usage=True,
                               http_async_client=self._http, http_client=self._http_sync)
        if self.deadline_at is None:
            self.deadline_at = time.monotonic() + e.deadline
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()
        self._http_sync.close()

    def redact(self, text: str) -> str:
        """``text`` with the API key masked (keys shorter than 8 characters, such as "local"
        for a server that checks none, are left alone: they could be ordinary words)."""
        key = self.endpoint.api_key
        return text.replace(key, "***") if len(key) >= 8 and key in text else text

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
        return Completion(hit["text"], 0.0, hit.get("prompt_tokens"), hit.get("completion_tokens"),
                          cached=True, truncated=bool(hit.get("truncated")))

    def remaining(self) -> float:
        if self.deadline_at is None:  # not entered yet: the whole deadline is ahead
            return self.endpoint.deadline
        return self.deadline_at - time.monotonic()

    async def complete(self, messages: list[tuple[str, str]],
                       on_chunk: Callable[[int], None] | None = None,
                       on_status: Callable[[str], None] | None = None,
                       response_format: dict[str, Any] | None = None,
                       key_extra: dict[str, Any] | None = None) -> Completion:
        """The model's reply to ``messages``; CallFailed when the deadline or the attempts
        run out (reason: the last fault) or the fault is not retryable.

        ``response_format`` (e.g. ``{"type": "json_object"}``) is sent where the server allows
        it: a server that refuses it (HTTP 400/422) is asked again at once without it, and
        the rest of the run does not send it. ``key_extra`` joins the cache key (a prompt
        version); the format asked for does not, so both ways share one cached reply."""
        key = self._key(messages, key_extra)
        hit = self._from_cache(key)
        if hit is not None:
            if on_chunk:
                on_chunk(len(hit.text))
            return hit
        faults: list[str] = []
        cut_short = False  # stopped because the total deadline would pass
        for attempt in range(1, MAX_ATTEMPTS + 1):
            left = self.remaining()
            if left <= 0:
                break
            t0 = time.monotonic()
            self.calls += 1
            fmt = response_format if self.response_format_ok is not False else None
            try:
                done = await asyncio.wait_for(self._once(messages, on_chunk, fmt), timeout=left)
            except Exception as exc:  # noqa: BLE001 — classified below, unknown ones re-raised
                if fmt is not None and _refuses_format(exc):
                    self.response_format_ok = False
                    if on_status:
                        on_status("服务器不支持 response_format，改为只在提示词中要求 JSON")
                    continue  # at once, and not counted as a fault
                try:
                    reason, retryable, wait = classify(exc)
                except CallFailed as failed:  # a server may echo the key in its message
                    raise CallFailed(self.redact(failed.reason), failed.fatal) from None
                reason = self.redact(reason)
                faults.append(reason)
                if not retryable or attempt == MAX_ATTEMPTS:
                    break
                delay = wait if wait is not None else min(
                    BACKOFF_CAP, self.backoff_base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random.random())
                if delay >= self.remaining():
                    cut_short = True
                    break
                if on_status:
                    on_status(f"{reason}，{delay:.1f} 秒后重试")
                await asyncio.sleep(delay)
                continue
            text, usage, finish = done
            if fmt is not None:
                self.response_format_ok = True
            text = self.redact(text)  # never into the cache, run folder or draft
            c = Completion(text, round(time.monotonic() - t0, 3), attempts=faults,
                           prompt_tokens=usage.get("input_tokens"),
                           completion_tokens=usage.get("output_tokens"),
                           truncated=finish == "length")
            if self.cache is not None:
                self.cache.put(key, {"model": self.endpoint.model, "text": text,
                                     "prompt_tokens": c.prompt_tokens,
                                     "completion_tokens": c.completion_tokens,
                                     "truncated": c.truncated})
            return c
        if not faults:
            raise CallFailed("已超出总时限，未能发出请求")
        notes = [f"共尝试 {len(faults)} 次"] if len(faults) > 1 else []
        if cut_short or self.remaining() <= 0:
            notes.append("再次重试将超出总时限")
        raise CallFailed(faults[-1] + (f"（{'，'.join(notes)}）" if notes else ""))

    async def _once(self, messages: list[tuple[str, str]],
                    on_chunk: Callable[[int], None] | None,
                    response_format: dict[str, Any] | None = None
                    ) -> tuple[str, dict[str, Any], str | None]:
        """(text, usage, finish_reason) of one request."""
        # Sent as extra_body: langchain would route a ``response_format`` argument through
        # the SDK's beta parsing API (a second import of ~0.5 s and another code path).
        extra = {"extra_body": {"response_format": response_format}} if response_format else {}
        if not self.endpoint.stream:
            msg = await self._llm.ainvoke(messages, **extra)
            text = msg.content if isinstance(msg.content, str) else ""
            if on_chunk:
                on_chunk(len(text))
            return text, dict(msg.usage_metadata or {}), msg.response_metadata.get("finish_reason")
        parts: list[str] = []
        usage: dict[str, Any] = {}
        finish = None
        async for chunk in self._llm.astream(messages, **extra):
            if isinstance(chunk.content, str) and chunk.content:
                parts.append(chunk.content)
                if on_chunk:
                    on_chunk(len(chunk.content))
            if chunk.usage_metadata:
                usage = dict(chunk.usage_metadata)
            finish = (chunk.response_metadata or {}).get("finish_reason") or finish
        return "".join(parts), usage, finish


def _refuses_format(exc: BaseException) -> bool:
    """Whether a request failed because the server does not take ``response_format``."""
    import openai

    return isinstance(exc, openai.APIStatusError) and exc.status_code in (400, 422)


def fatal(reason: str, endpoint: Endpoint) -> BackendError:
    where = endpoint.public()["base_url"]
    return BackendError(f"大模型服务不可用（{where}）：{reason}",
                        "请确认服务已启动、OPENAI_BASE_URL 和模型名称正确；未写出任何文件")
