"""``python -m bench.intake``: concurrent keep-alive clients POST /api/v1/public/requests (JSON,
each with its own Idempotency-Key) to gunicorn (2 workers) on a fresh PostgreSQL database and on
a temporary SQLite file. Printed side by side: submissions/s, p50 and p99, and the database's raw
rate for the same rows — a raw-driver loop inserting, per submission, the rows a submission
writes (the day counter upsert, the request, its timeline event, the change record, the SMS in
the outbox and its delivery task) in one transaction — and the ratio of the two.

Options: ``--seconds N`` per database (default 15), ``--clients N`` (default 16), ``--quick``
(5 s), ``--only postgres|sqlite``.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from bench.common import (
    THREADS,
    KeepAliveClient,
    Target,
    gunicorn,
    machine,
    pg_target,
    postgres_database,
    prepare,
    run_load,
    sqlite_database,
    sqlite_target,
    table,
)

PATH = "/api/v1/public/requests"
# Leaf categories citizens pick most (城市管理 and 水电气 leaves) by code.
CATEGORIES = ["010101", "010201", "010301", "010302", "010303", "020101", "020102", "040101"]
PLACES = [
    ("长沙市开福区秀峰街道新大塘社区建湘路", 28.2446, 112.9937),
    ("长沙市岳麓区梅溪湖街道枫林三路", 28.1999, 112.8854),
    ("长沙市芙蓉区五里牌街道车站北路", 28.1970, 113.0060),
    ("长沙市雨花区东塘街道韶山北路", 28.1760, 113.0000),
    ("长沙市天心区坡子街街道太平街", 28.1930, 112.9700),
]
RUN = uuid.uuid4().hex[:8]
LEAF_IDS: list[str] = []  # the same leaves by id, as the submission page sends them


def load_leaf_ids(address: str) -> None:
    """Look the leaves up the way a client does, in the public category tree."""
    client = KeepAliveClient(address)
    _, body = client.request("GET", "/api/v1/public/categories")
    client.close()
    found: dict[str, str] = {}
    stack = list(json.loads(body))
    while stack:
        node = stack.pop()
        if node["code"] in CATEGORIES:
            found[node["code"]] = str(node["id"])
        stack.extend(node.get("children", []))
    LEAF_IDS[:] = [found[code] for code in CATEGORIES if code in found]


def payload(n: int) -> dict[str, Any]:
    address, lat, lon = PLACES[n % len(PLACES)]
    return {
        "kind": "complaint" if n % 3 else "help",
        "category_id": LEAF_IDS[n % len(LEAF_IDS)] if LEAF_IDS else CATEGORIES[n % len(CATEGORIES)],
        "title": f"{address[-6:]}路面破损积水",
        "content": f"{address}{n % 300 + 1}号门前路面出现坑洼，雨后积水，行人和电动车经过很危险，"
        "已经持续一周，希望有关部门尽快修复。",
        "address": f"{address}{n % 300 + 1}号",
        "latitude": lat + (n % 50) * 0.0001,
        "longitude": lon + (n % 37) * 0.0001,
        "caller_name": "张秀英",
        "caller_phone": f"1990002{n % 10000:04d}",
        "channel": "mobile" if n % 2 else "web",
    }


# One sequence for the whole process, so the warm-up and the timed run never share a key (a
# shared key would be an idempotent replay, not a submission).
_SEQUENCE = itertools.count()


def send(client: KeepAliveClient, _n: int) -> int:
    n = next(_SEQUENCE)
    status, _ = client.request(
        "POST", PATH, payload(n), headers={"Idempotency-Key": f"bench-{RUN}-{n}"}
    )
    return status


# --- the database's raw rate ----------------------------------------------------------------

TABLES = {
    "order": "workorders_workorder",
    "event": "workorders_event",
    "change": "audit_changerecord",
    "message": "notify_message",
    "task": "django_tasks_database_dbtaskresult",
}
COUNTER_SQL = (
    "INSERT INTO workorders_trackingcounter (day, value) VALUES ({p}, 1) "
    "ON CONFLICT (day) DO UPDATE SET value = workorders_trackingcounter.value + 1 RETURNING value"
)


class Raw:
    """The same rows a submission writes, inserted with the bare driver (no Django)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        if target.is_postgres:
            import psycopg

            self.conn: Any = psycopg.connect(target.url)
            self.p = "%s"
        else:
            self.conn = sqlite3.connect(str(target.path), isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.p = "?"

    def _row(self, table: str, where: str, args: list[Any]) -> dict[str, Any]:
        sql = f"SELECT * FROM {table} WHERE {where} ORDER BY 1 DESC LIMIT 1"
        cursor = self.conn.execute(sql.replace("%s", self.p), args)
        values = cursor.fetchone()
        if values is None:
            raise RuntimeError(f"找不到 {table} 的样本行")
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    def templates(self) -> dict[str, dict[str, Any]]:
        order = self._row(TABLES["order"], "submission_key IS NOT NULL", [])
        oid = order["id"]
        return {
            "order": order,
            "event": self._row(TABLES["event"], "order_id = %s", [oid]),
            "change": self._row(
                TABLES["change"], "object_id = %s AND action = 'workorder.receive'", [str(oid)]
            ),
            "message": self._row(TABLES["message"], "related_id = %s", [str(oid)]),
            "task": self._row(TABLES["task"], "1 = 1", []),
        }

    def _value(self, value: Any) -> Any:
        if self.target.is_postgres and isinstance(value, dict | list):
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def _insert(self, table: str, row: dict[str, Any], returning: bool) -> Any:
        columns = list(row)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join([self.p] * len(columns))})"
        )
        if returning:
            sql += " RETURNING id"
        cursor = self.conn.execute(sql, [self._value(row[c]) for c in columns])
        return cursor.fetchone()[0] if returning else None

    def run(self, count: int) -> float:
        """Insert ``count`` submissions' rows in one transaction; returns submissions per second."""
        t = self.templates()
        order = {k: v for k, v in t["order"].items() if k != "id"}
        event = {k: v for k, v in t["event"].items() if k != "id"}
        change = {k: v for k, v in t["change"].items() if k != "id"}
        message = {k: v for k, v in t["message"].items() if k != "id"}
        task = dict(t["task"])
        day = datetime.date.today().strftime("%Y%m%d")
        counter = COUNTER_SQL.format(p=self.p)
        began = time.perf_counter()
        self.conn.execute("BEGIN")
        for i in range(count):
            (value,) = self.conn.execute(counter, [day]).fetchone()
            order["number"] = f"{day}{value:06d}"
            order["submission_key"] = f"pub:raw-{RUN}-{i}"
            oid = self._insert(TABLES["order"], order, True)
            event["order_id"] = oid
            self._insert(TABLES["event"], event, False)
            change["object_id"] = str(oid)
            self._insert(TABLES["change"], change, False)
            message["related_id"] = str(oid)
            message["dedupe_key"] = f"wo:{oid}:received"
            self._insert(TABLES["message"], message, False)
            task["id"] = uuid.uuid4() if self.target.is_postgres else uuid.uuid4().hex
            self._insert(TABLES["task"], task, False)
        self.conn.execute("COMMIT")
        return count / (time.perf_counter() - began)

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


# --- one database -------------------------------------------------------------------------------


def check_guarantees(address: str, raw: Raw, first: int) -> str:
    """Every request has exactly its receive event and change record; a replayed key answers 200
    with ``created: false`` and writes nothing."""
    orders = raw.count(TABLES["order"])
    events = raw.conn.execute(
        "SELECT count(*) FROM workorders_event WHERE action = 'receive'"
    ).fetchone()[0]
    changes = raw.conn.execute(
        "SELECT count(*) FROM audit_changerecord WHERE action = 'workorder.receive'"
    ).fetchone()[0]
    client = KeepAliveClient(address)
    replayed = 0
    for n in range(first, first + 20):
        status, body = client.request(
            "POST", PATH, payload(n), headers={"Idempotency-Key": f"bench-{RUN}-{n}"}
        )
        if status == 200 and json.loads(body)["created"] is False:
            replayed += 1
    client.close()
    after = raw.count(TABLES["order"])
    ok = orders == events == changes and replayed == 20 and after == orders
    return (
        f"{'通过' if ok else '不符'}：工单={orders} 受理事件={events} 变更记录={changes}；"
        f"重放20个幂等键得200={replayed}，重放后工单={after}"
    )


WRK_SCRIPT = """
local n = 0
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  wrk.headers["Idempotency-Key"] = "wrk-" .. RUN .. "-" .. tid .. "-" .. n
  return wrk.format(nil, "PATH", nil, BODY)
end
"""


def _wrk_ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[0-9.]+", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}.get(unit, 1.0)


def run_wrk(
    address: str, seconds: float, connections: int
) -> tuple[int, float, float, float] | None:
    """The same submissions from wrk, a C load generator, so the client does not take CPU from
    the server on a 2-core machine; None where wrk is not installed."""
    if shutil.which("wrk") is None:
        return None
    body = json.dumps(payload(0), ensure_ascii=False)
    script = (
        WRK_SCRIPT.replace("RUN", json.dumps(RUN))
        .replace("PATH", PATH)
        .replace("BODY", "[==[" + body + "]==]")
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{max(1, int(seconds))}s",
                "--latency",
                "-s",
                handle.name,
                f"http://{address}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        ).stdout
    finally:
        os.unlink(handle.name)
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    p50 = re.search(r"50%\s+([0-9.]+[a-z]+)", out)
    p99 = re.search(r"99%\s+([0-9.]+[a-z]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not (rate and total and p50 and p99):
        print(f"wrk 输出无法解析：{out[:300]}")
        return None
    ok = int(total.group(1)) - (int(bad.group(1)) if bad else 0)
    return ok, float(rate.group(1)), _wrk_ms(p50.group(1)), _wrk_ms(p99.group(1))


def bench(target: Target, seconds: float, clients: int) -> list[list[Any]]:
    prepare(target)
    with gunicorn(target) as address:
        load_leaf_ids(address)
        first = next(_SEQUENCE) + 1  # the warm-up's first keys are replayed afterwards
        run_load(address, send, clients=clients, seconds=min(2.0, seconds))  # warm-up
        raw = Raw(target)
        result = run_load(address, send, clients=clients, seconds=seconds, expect=frozenset({201}))
        guarantees = check_guarantees(address, raw, first)
        from_wrk = run_wrk(address, seconds, clients)
    raw_rate = raw.run(max(2000, int(result.rate * 3)))
    raw.close()
    print(f"{target.label}：{guarantees}", flush=True)
    if result.errors:
        print(f"{target.label}：错误应答 {result.errors}（状态码 {result.statuses}）")

    def row(label: str, ok: int, rate: float, p50: float, p99: float) -> list[Any]:
        ratio = rate / raw_rate if raw_rate else 0.0
        return [
            label,
            f"{ok}",
            f"{rate:,.0f}",
            f"{p50:.1f}",
            f"{p99:.1f}",
            f"{raw_rate:,.0f}",
            f"{ratio:.2f}",
        ]

    rows = [
        row(
            f"{target.label}（Python 客户端）", result.ok, result.rate, result.ms(50), result.ms(99)
        )
    ]
    if from_wrk is not None:
        rows.append(row(f"{target.label}（wrk）", *from_wrk))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="受理接口并发基准")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["postgres", "sqlite"])
    args, _ = parser.parse_known_args()
    seconds = 5.0 if args.quick else args.seconds
    print(f"受理基准：{args.clients} 个并发客户端（长连接），每库 {seconds:.0f} 秒；{machine()}")
    rows = []
    if args.only in (None, "postgres"):
        with postgres_database(f"bench_intake_{RUN}") as url:
            rows.extend(bench(pg_target(url), seconds, args.clients))
    if args.only in (None, "sqlite"):
        with sqlite_database() as path:
            rows.extend(bench(sqlite_target(path), seconds, args.clients))
    print(
        table(
            f"POST /api/v1/public/requests（gunicorn 2 进程 × {'sync' if THREADS == 1 else f'gthread×{THREADS}'}）",
            ["数据库", "提交数", "提交/秒", "p50 毫秒", "p99 毫秒", "裸写/秒", "比值"],
            rows,
        )
    )
    print("目标：PostgreSQL ≥ 1,000 提交/秒，p99 ≤ 50 毫秒，比值 ≥ 0.25")
    return 0


if __name__ == "__main__":
    sys.exit(main())
