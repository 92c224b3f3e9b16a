"""Shared benchmark helpers: fresh databases (PostgreSQL at 127.0.0.1:5432 as postgres, or a
temporary SQLite file in WAL mode), migrating them, gunicorn with 2 workers in front of them, a
keep-alive HTTP client, a concurrent load loop with latencies, percentiles and the report table.

Everything runs the real stack: ``manage.py`` in a subprocess with the database in the
environment, and the WSGI app under gunicorn, so the numbers include routing, middleware,
validation, the service and the commit.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BASE = PG_ADMIN_URL.rsplit("/", 1)[0]

# gunicorn: 2 sync workers, one per core on the 2-core machine. Measured with wrk (a C load
# generator, so the client does not compete for the cores) against PostgreSQL, 16 connections,
# 15 s: sync 337 submissions/s (p50 31 ms, p99 133 ms) against gthread×4 137/s (p50 120 ms, p99
# 373 ms). Intake is CPU-bound Python; threads only contend for the GIL, and keep-alive saves
# less than that costs. BENCH_THREADS=4 brings gthread back for comparison.
WORKERS = 2
THREADS = int(os.environ.get("BENCH_THREADS", "1"))


def server_env(**extra: str) -> dict[str, str]:
    """The process environment for ``manage.py`` and gunicorn: production settings (DEBUG off)
    over plain HTTP on localhost, with no database chosen yet."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
        # The load comes from one address and reuses phone numbers: the abuse limits on public
        # intake would refuse it after a few dozen requests.
        PUBLIC_INTAKE_LIMITS="0",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database ``name`` (must start with ``bench_``), dropped afterwards."""
    import psycopg

    if not name.startswith("bench_"):
        raise ValueError("基准测试数据库名须以 bench_ 开头")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def sqlite_database() -> Iterator[Path]:
    """A temporary SQLite file (the settings put it in WAL mode), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bench_sqlite_"))
    try:
        yield folder / "bench.sqlite3"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Target:
    """A database the app runs against in a benchmark."""

    label: str
    env: dict[str, str]
    url: str = ""  # PostgreSQL URL
    path: Path | None = None  # SQLite file

    @property
    def is_postgres(self) -> bool:
        return bool(self.url)


def pg_target(url: str) -> Target:
    return Target("PostgreSQL", server_env(DATABASE_URL=url), url=url)


def sqlite_target(path: Path) -> Target:
    return Target("SQLite (WAL)", server_env(SQLITE_PATH=str(path)), path=path)


def manage(target: Target, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=target.env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} 失败：\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(target: Target) -> None:
    """Migrate (which seeds the category tree and time limits) and import Changsha's units."""
    manage(target, "migrate", "--noinput", "-v0")
    manage(target, "import_divisions")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(target: Target, *, threads: int = THREADS, workers: int = WORKERS) -> Iterator[str]:
    """gunicorn serving ``config.wsgi`` on a free local port; yields ``host:port``."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--config", str(ROOT / "gunicorn.conf.py"),  # no per-user control socket
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--threads", str(threads),
        "--keep-alive", "30",
        "--backlog", "2048",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=target.env)
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn 启动失败")
            try:
                client = KeepAliveClient(address)
                # One request per worker process warms imports, caches and connections.
                for _ in range(workers * 4):
                    client.request("GET", "/api/v1/public/categories")
                client.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield address
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class KeepAliveClient:
    """One persistent HTTP/1.1 connection; reconnects once if the server closed it."""

    def __init__(self, address: str, headers: dict[str, str] | None = None) -> None:
        host, port = address.split(":")
        self.host, self.port = host, int(port)
        self.headers = dict(headers or {})
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.conn

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        payload = None
        all_headers = {**self.headers, **(headers or {})}
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            all_headers["Content-Type"] = "application/json"
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=payload, headers=all_headers)
                response = conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values`` (p in 0–100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    ok: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


def run_load(
    address: str,
    send: Callable[[KeepAliveClient, int], int],
    *,
    clients: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    expect: frozenset[int] = frozenset({200, 201}),
) -> LoadResult:
    """``clients`` threads, each on its own keep-alive connection, call ``send(client, n)`` (n
    counts across all threads) as fast as answers come back, for ``seconds``."""
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(10**12))
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(clients + 1)

    def worker() -> None:
        client = KeepAliveClient(address, headers)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        start.wait()
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter)
            began = time.perf_counter()
            try:
                status = send(client, n)
            except OSError:
                status = 0
            took = time.perf_counter() - began
            statuses[status] = statuses.get(status, 0) + 1
            if status in expect:
                latencies.append(took)
        client.close()
        with lock:
            result.latencies.extend(latencies)
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - began
    result.ok = sum(n for s, n in result.statuses.items() if s in expect)
    result.errors = sum(n for s, n in result.statuses.items() if s not in expect)
    return result


def table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table (CJK characters count double width)."""

    def width(text: str) -> int:
        return sum(2 if ord(c) > 0x2E7F else 1 for c in text)

    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True))

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    body = [line(cells[0]), rule, *(line(r) for r in cells[1:])]
    return "\n".join([title, rule, *body, rule])


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} 核，开始时 1 分钟负载 {load:.2f}"
