"""The load generator: HTTP/1.1 on raw asyncio streams, a fixed number of clients, a page and the trivial view
measured in alternate short rounds so that both meet the same machine state (caches, autovacuum, the
other processes of a 2-core machine).

A client asks for keep-alive; gunicorn's sync workers (as in production) close each connection after the
response, so a client then connects again, and the connection is part of the latency it records, as it is
for a visitor.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

QUERY_HEADER = "x-bench-queries"


class BenchFailure(Exception):
    """A page answered what no visitor should see (an error, or a form sent back instead of a redirect)."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    wire_bytes: int


@dataclass(frozen=True)
class Target:
    """One page as a visitor reaches it. `build(n)` gives the n-th request's bytes (a POST differs each time)."""

    name: str
    group: str  # public, phone, staff or admin: which throughput goal applies
    build: Callable[[int], bytes]
    expect: frozenset[int] = frozenset({200})
    # The n-th request that the page must render afresh (a query it does not keep pages for): what the first
    # visitor after a change waits for, measured one at a time beside the throughput of the kept page.
    rendered: Callable[[int], bytes] | None = None


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    unexpected: list[str] = field(default_factory=list)
    # Requests per second of each round, in order: a page's round i and the trivial view's round i ran back to back.
    round_rates: list[float] = field(default_factory=list)

    def add(self, status: int, latency: float, queries: int | None) -> None:
        self.latencies.append(latency)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if queries is not None:
            self.queries.append(queries)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        count = len(ordered)
        return {
            "requests": count,
            "statuses": {str(code): number for code, number in sorted(self.statuses.items())},
            "queries": statistics.median(self.queries) if self.queries else None,
            "queries_max": max(self.queries) if self.queries else None,
            "median_ms": round(statistics.median(ordered) * 1000, 1) if count else None,
            "p95_ms": round(percentile(ordered, 0.95) * 1000, 1) if count else None,
            "rps": round(count / self.seconds, 1) if self.seconds else None,
        }


TAG = re.compile(r"<[^>]+>")
HEAD = re.compile(r"<head>.*?</head>|<script.*?</script>|<style.*?</style>", re.DOTALL)


def gist(body: bytes, length: int = 400) -> str:
    """The words of an answer, for a failure message: a form sent back says what it refused."""
    text = HEAD.sub(" ", body.decode("utf-8", "replace"))
    for marker in ("invalid-feedback", "alert-danger", "errorlist", "<main"):
        if marker in text:
            text = text[text.index(marker) :]
            break
    return " ".join(TAG.sub(" ", text).split())[:length]


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def request_bytes(
    method: str,
    path: str,
    *,
    host: str,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One client's connection, opened again whenever the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def fetch(self, raw: bytes) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            # A kept-alive connection the server closed meanwhile: once more on a fresh one.
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                # Set-Cookie repeats; the bench only needs to find a cookie's name in it.
                headers[name] = f"{headers[name]}\n{value.strip()}" if name in headers else value.strip()
        body = await self._body(headers)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status=status, headers=headers, body=body, wire_bytes=len(head) + len(body))

    async def _body(self, headers: dict[str, str]) -> bytes:
        assert self.reader is not None
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    return b"".join(chunks)
                chunks.append(chunk[:-2])
        return await self.reader.read()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def fetch_once(host: str, port: int, raw: bytes) -> Response:
    connection = Connection(host, port)
    try:
        return await connection.fetch(raw)
    finally:
        await connection.close()


async def _round(
    target: Target,
    *,
    host: str,
    port: int,
    clients: int,
    seconds: float,
    samples: Samples,
    sequence: Iterator[int],
) -> None:
    """`clients` clients fetch the target back to back for `seconds`; every answer is recorded.

    The request numbers run on from round to round (a POST's phone number is never used twice)."""
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        connection = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                raw = target.build(next(sequence))
                started = time.perf_counter()
                response = await connection.fetch(raw)
                latency = time.perf_counter() - started
                queries = response.headers.get(QUERY_HEADER)
                samples.add(response.status, latency, int(queries) if queries is not None else None)
                if response.status not in target.expect and len(samples.unexpected) < 3:
                    samples.unexpected.append(f"{response.status}: {gist(response.body)}")
        finally:
            await connection.close()

    started = time.perf_counter()
    before = len(samples.latencies)
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    samples.seconds += elapsed
    samples.round_rates.append((len(samples.latencies) - before) / elapsed if elapsed else 0.0)


@dataclass
class Comparison:
    target: Target
    page: Samples
    trivial: Samples
    rendered: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        page = self.page.summary()
        trivial = self.trivial.summary()
        # The median of each round's ratio to the trivial round right after it: a burst of background work (the
        # database's autovacuum after a bulk load) lands on one pair of rounds, not on the whole comparison.
        pairs = [
            page_rate / trivial_rate
            for page_rate, trivial_rate in zip(self.page.round_rates, self.trivial.round_rates, strict=False)
            if trivial_rate
        ]
        ratio = round(statistics.median(pairs), 3) if pairs else None
        rendered = sorted(self.rendered)
        return {
            "name": self.target.name,
            "group": self.target.group,
            **page,
            "rendered_ms": round(statistics.median(rendered) * 1000, 1) if rendered else None,
            "trivial": trivial,
            "ratio": ratio,
        }


RENDERED_REQUESTS = 7


async def _rendered_latencies(build: Callable[[int], bytes], *, host: str, port: int, count: int) -> list[float]:
    """One client, one request at a time, each rendered afresh: the cost of the page itself, without a queue."""
    connection = Connection(host, port)
    latencies = []
    try:
        for number in range(count):
            started = time.perf_counter()
            response = await connection.fetch(build(number))
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                raise BenchFailure(f"rendered afresh, the page answered {response.status}: {gist(response.body)}")
    finally:
        await connection.close()
    return latencies


async def compare(
    target: Target,
    trivial: Target,
    *,
    host: str,
    port: int,
    clients: int = 16,
    rounds: int = 5,
    round_seconds: float = 1.0,
    warmup_requests: int = 8,
) -> Comparison:
    """The page and the trivial view in alternate rounds; raises BenchFailure if the page answers unexpectedly."""
    sequence = itertools.count()
    for _ in range(warmup_requests):
        await fetch_once(host, port, target.build(next(sequence)))
    result = Comparison(target=target, page=Samples(), trivial=Samples())
    if target.rendered is not None:
        result.rendered = await _rendered_latencies(target.rendered, host=host, port=port, count=RENDERED_REQUESTS)
    for _ in range(rounds):
        for measured, samples in ((target, result.page), (trivial, result.trivial)):
            await _round(
                measured,
                host=host,
                port=port,
                clients=clients,
                seconds=round_seconds,
                samples=samples,
                sequence=sequence,
            )
    for name, samples, expected in (
        (target.name, result.page, target.expect),
        ("trivial", result.trivial, trivial.expect),
    ):
        wrong = {code: number for code, number in samples.statuses.items() if code not in expected}
        if wrong:
            raise BenchFailure(f"{name}: unexpected statuses {wrong}; first answers: {samples.unexpected}")
    return result
