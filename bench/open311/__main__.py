"""Benchmark the Open311 endpoint through the real HTTP stack.

For each database (a fresh SQLite file in a temp dir; and, when DATABASE_URL is given or a local
PostgreSQL answers, a fresh PostgreSQL database created and dropped here):

1. migrate, load the org tree, publish the demo services and create an application key;
2. start gunicorn (2 workers) on a free port;
3. POST N requests from C concurrent clients (threads, keep-alive http.client), then GET pages
   of 1000 requests; report requests/s, p50 and p99;
4. measure the raw driver inserting the same number of equivalent rows in one transaction
   (sqlite3 / psycopg executemany) and print the ratio.

Not part of the test suite. Defaults finish well under two minutes.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(database_url: str | None, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "BANSHI_VAR_DIR": str(var),
            "SQLITE_PATH": str(var / "bench.sqlite3"),
            "MEDIA_ROOT": str(var / "media"),
            "STATIC_ROOT": str(var / "static"),
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "BANSHI_PLAIN_STATIC": "1",
            "LOG_LEVEL": "WARNING",
            "NOTIFY_OUTBOX_FILE": str(var / "outbox.log"),
            # One load generator, many posts: the public intake limits are off for the benchmark.
            "PUBLIC_INTAKE_LIMITS": "0",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} 失败：\n{result.stderr[-3000:]}")
    return result.stdout


SETUP = """
from banshi.orgtree.importer import import_units
from banshi.open311.demo import seed_attributes
from banshi.open311.services import application_create
from banshi.orgtree.models import OrgUnit
import_units()
seed_attributes()
import os
from django.utils import timezone
from banshi.workorders.models import Category, Event, WorkOrder
city = OrgUnit.objects.get(code="4301")
category = Category.objects.get(code="010301")
now = timezone.now()
rows = int(os.environ.get("BENCH_ROWS", "0"))
orders = WorkOrder.objects.bulk_create([
    WorkOrder(number=f"2000010100{i:06d}", tracking_code="BENCH", channel="web", kind="help",
              category=category, title=f"道路破损{i}", content=f"第{i}处道路破损，请修复。",
              address="开福区", org_unit=city, received_at=now, status="received")
    for i in range(rows)
], batch_size=500)
Event.objects.bulk_create([
    Event(order=o, at=now, side="citizen", action="receive", to_status="received", note="诉求已受理", public=True)
    for o in orders
], batch_size=500)
_, key = application_create(actor=None, name="bench", org_unit=city)
print(key)
"""


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, float]:
        headers = {"Connection": "keep-alive"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - start


def post_body(key: str, i: int) -> str:
    return urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "010301",
            "lat": f"{28.20 + (i % 500) * 0.0001:.6f}",
            "long": f"{112.98 + (i % 700) * 0.0001:.6f}",
            "description": f"建湘路{i}号门前道路破损，雨天积水严重，请尽快修复。",
            "device_id": f"bench-{i}",
            "attribute[AREA]": str(i % 20 + 1),
        }
    )


def summarize(label: str, latencies: list[float], wall: float) -> dict[str, float]:
    latencies = sorted(latencies)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    stats = {"n": len(latencies), "rps": len(latencies) / wall, "p50": p(0.50), "p99": p(0.99)}
    print(
        f"  {label:<28} {stats['n']:>6} 次  {stats['rps']:>8.1f} 次/秒  p50 {stats['p50']:>7.1f} ms  p99 {stats['p99']:>7.1f} ms"
    )
    return stats


def run_posts(port: int, key: str, n: int, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        client = Client(port)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            status, body, took = client.request(
                "POST", "/open311/v2/requests.json", post_body(key, i)
            )
            if status != 200:
                errors.append(f"{status} {body[:200]!r}")
            mine.append(took)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        print(f"  POST 出错 {len(errors)} 次，例如：{errors[0]}")
    return summarize(f"POST requests.json ×{clients}并发", latencies, wall)


def run_gets(port: int, pages: int, fmt: str) -> dict[str, float]:
    client = Client(port)
    latencies = []
    start = time.perf_counter()
    for i in range(pages):
        status, body, took = client.request(
            "GET", f"/open311/v2/requests.{fmt}?page_size=1000&page={i % 2 + 1}"
        )
        if status != 200:
            print(f"  GET 出错：{status} {body[:200]!r}")
        latencies.append(took)
    return summarize(f"GET requests.{fmt} 1000条/页", latencies, time.perf_counter() - start)


ROW = (
    "open311",
    "help",
    "道路破损",
    "建湘路门前道路破损，雨天积水严重，请尽快修复。",
    "",
    28.2,
    112.98,
    "received",
    0,
    "2026-11-16T10:00:00+08:00",
    "2026-11-16T10:00:00+08:00",
)
RAW_SQL = (
    "INSERT INTO bench_orders (channel, kind, title, content, address, latitude, longitude, status, "
    "version, received_at, updated_at, number) VALUES ({p})"
)


def raw_sqlite(path: Path, n: int) -> float:
    conn = sqlite3.connect(path / "raw.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE bench_orders (id INTEGER PRIMARY KEY, channel TEXT, kind TEXT, title TEXT, content TEXT, "
        "address TEXT, latitude REAL, longitude REAL, status TEXT, version INTEGER, received_at TEXT, "
        "updated_at TEXT, number TEXT UNIQUE)"
    )
    rows = [(*ROW, f"2026111600{i:06d}") for i in range(n)]
    start = time.perf_counter()
    with conn:
        conn.executemany(RAW_SQL.format(p=", ".join("?" * 12)), rows)
    took = time.perf_counter() - start
    conn.close()
    return n / took


def raw_postgres(url: str, n: int) -> float:
    import psycopg

    rows = [(*ROW, f"2026111600{i:06d}") for i in range(n)]
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TEMP TABLE bench_orders (id bigserial PRIMARY KEY, channel text, kind text, title text, "
            "content text, address text, latitude double precision, longitude double precision, status text, "
            "version integer, received_at timestamptz, updated_at timestamptz, number text UNIQUE)"
        )
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany(RAW_SQL.format(p=", ".join(["%s"] * 12)), rows)
        conn.commit()
        return n / (time.perf_counter() - start)


def bench_one(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    print(f"\n== {label} ==")
    var = Path(tempfile.mkdtemp(prefix="banshi-bench-open311-"))
    server = None
    try:
        env = env_for(database_url, var)
        env["BENCH_ROWS"] = str(args.rows)
        manage(env, "migrate", "--noinput")
        key = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                if Client(port).request("GET", "/open311/v2/services.json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        posts = run_posts(port, key, args.posts, args.clients)
        print(f"  （库中另有预置工单 {args.rows} 条，GET 每页 1000 条）")
        for fmt in ("json", "xml"):
            run_gets(port, args.pages, fmt)
        raw = (
            raw_postgres(database_url, args.posts) if database_url else raw_sqlite(var, args.posts)
        )
        print(
            f"  原始驱动一次事务插入同样 {args.posts} 行：{raw:,.0f} 行/秒；HTTP POST 为其 1/{raw / posts['rps']:,.0f}"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)


def postgres_url(args: argparse.Namespace) -> str | None:
    base = os.environ.get("DATABASE_URL") or (None if args.no_postgres else PG_DEFAULT)
    if not base:
        return None
    try:
        import psycopg

        with psycopg.connect(base, connect_timeout=2, autocommit=True):
            pass
    except Exception as exc:
        print(f"(跳过 PostgreSQL：{exc.__class__.__name__})")
        return None
    return base


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Open311 接口基准测试（gunicorn 2 worker，真实 HTTP）"
    )
    parser.add_argument("--posts", type=int, default=300, help="POST 次数（默认 300）")
    parser.add_argument("--clients", type=int, default=4, help="并发客户端数（默认 4）")
    parser.add_argument(
        "--rows", type=int, default=2000, help="预先写入的工单数，供 GET 分页（默认 2000）"
    )
    parser.add_argument(
        "--pages", type=int, default=6, help="每种格式 GET 1000 条页面的次数（默认 6）"
    )
    parser.add_argument("--threads", type=int, default=2, help="每个 gunicorn worker 的线程数")
    parser.add_argument("--no-postgres", action="store_true", help="只测 SQLite")
    args = parser.parse_args()
    bench_one("SQLite", None, args)
    base = postgres_url(args)
    if base:
        import psycopg

        name = f"banshi_bench_open311_{os.getpid()}"
        parts = urllib.parse.urlsplit(base)
        url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            bench_one("PostgreSQL", url, args)
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
