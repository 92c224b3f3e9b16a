"""``python -m bench.metrics``: fill a fresh PostgreSQL database with ``--size`` requests
(default 100,000; ``--size 1000000`` for the issue's figure) spread over Changsha's units and the
last twelve months — generated server-side in one INSERT … SELECT FROM generate_series, the
fastest bulk path — refresh the monthly rollups, then time, as a logged-in analyst (API token)
through gunicorn, ``GET /api/v1/workorders/metrics/units?month=…`` and ``…/metrics/ranking``.
Prints p50 and p99 per endpoint; the aim is p50 ≤ 100 ms with 1,000,000 requests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
import uuid

from bench.common import (
    KeepAliveClient,
    gunicorn,
    machine,
    percentile,
    pg_target,
    postgres_database,
    prepare,
    table,
)

RUN = uuid.uuid4().hex[:8]


def _expressions(units: list[int], leads: list[int], leaves: list[int]) -> dict[str, str]:
    """Column -> SQL over ``s`` (g, r1…r6, rec): a year of requests, 88% closed with ratings,
    4% answered directly, the rest open; 10% urged, 3% reopened, 5% returned, 1% appealed."""

    def pick(ids: list[int], r: str) -> str:
        return f"(ARRAY[{','.join(map(str, ids))}])[1 + floor({r} * {len(ids)})::int]"

    answered = "s.r2 < 0.04"
    open_ = "s.r2 >= 0.96"
    return {
        "number": "to_char(s.rec, 'YYYYMMDD') || lpad(s.g::text, 8, '0')",
        "tracking_code": "upper(substr(md5(s.g::text), 1, 8))",
        "submission_key": "NULL",
        "submission_fingerprint": "''",
        "channel": "(ARRAY['phone','phone','web','mobile','grid'])[1 + floor(s.r1 * 5)::int]",
        "kind": "(ARRAY['complaint','help','consult','suggestion','report'])[1 + floor(s.r3 * 5)::int]",
        "category_id": pick(leaves, "s.r4"),
        "tags": "'[]'::jsonb",
        "urgency": "'normal'",
        "title": "'路面破损积水'",
        "content": "'门前路面出现坑洼，雨后积水，希望尽快修复。'",
        "address": "''",
        "latitude": "NULL",
        "longitude": "NULL",
        "org_unit_id": pick(units, "s.r5"),
        "caller_name": "'张秀英'",
        "caller_phone": "'1990002' || lpad((s.g %% 10000)::text, 4, '0')",
        "caller_confidential": "false",
        "submitted_by_id": "NULL",
        "open311_app": "''",
        "open311_email": "''",
        "open311_device_id": "''",
        "open311_account_id": "''",
        "open311_attributes": "'{}'::jsonb",
        "status": f"CASE WHEN {answered} THEN 'answered' WHEN {open_} THEN 'in_progress' ELSE 'closed' END",
        "version": "6",
        "parent_id": "NULL",
        "lead_unit_id": f"CASE WHEN {answered} THEN NULL ELSE {pick(leads, 's.r6')} END",
        "received_at": "s.rec",
        "dispatched_at": f"CASE WHEN {answered} THEN NULL ELSE s.rec + interval '1 hour' END",
        "signed_at": f"CASE WHEN {answered} THEN NULL ELSE s.rec + s.r3 * interval '30 hours' END",
        "contacted_at": f"CASE WHEN {answered} THEN NULL ELSE s.rec + s.r3 * interval '40 hours' END",
        "replied_at": f"CASE WHEN {answered} OR {open_} THEN NULL ELSE s.rec + s.r4 * interval '20 days' END",
        "audited_at": f"CASE WHEN {answered} OR {open_} THEN NULL ELSE s.rec + s.r4 * interval '20 days' + interval '2 hours' END",
        "closed_at": f"CASE WHEN {open_} THEN NULL ELSE s.rec + s.r4 * interval '20 days' + interval '3 days' END",
        "updated_at": "now()",
        "sign_due": f"CASE WHEN {answered} THEN NULL ELSE s.rec + interval '25 hours' END",
        "contact_due": f"CASE WHEN {answered} THEN NULL ELSE s.rec + interval '25 hours' END",
        "close_due": f"CASE WHEN {answered} THEN NULL ELSE s.rec + interval '15 days' END",
        "near_due_at": f"CASE WHEN {answered} THEN NULL ELSE s.rec + interval '11 days' END",
        "callback_due": "NULL",
        "extended_days": "0",
        "extension_requested_days": "0",
        "extension_reason": "''",
        "reminded_at": "NULL",
        "overdue_at": "NULL",
        "auto_urged_at": "NULL",
        "escalated_at": "NULL",
        "urge_count": "(s.r1 < 0.1)::int",
        "reopen_count": "(s.r6 < 0.03)::int",
        "return_count": "(s.r5 < 0.05)::int",
        "supervised": "false",
        "supervise_due": "NULL",
        "leader_instruction": "''",
        "hot": "false",
        "answer_text": f"CASE WHEN {answered} THEN '已答复' ELSE '' END",
        "invalid_reason": "''",
        "reply_text": "'已处理'",
        "reply_solved": "s.r6 < 0.85",
        "resolution": f"CASE WHEN {answered} OR {open_} THEN '' WHEN s.r6 < 0.8 THEN 'solved' ELSE 'partly' END",
        "satisfaction": f"CASE WHEN {answered} OR {open_} THEN '' WHEN s.r1 < 0.7 THEN 'satisfied' "
        "WHEN s.r1 < 0.93 THEN 'basic' ELSE 'dissatisfied' END",
        "unreachable": "false",
        "rating_comment": "''",
        "rated_by": f"CASE WHEN {answered} OR {open_} THEN '' ELSE 'citizen' END",
        "appeal_status": "CASE WHEN s.r3 < 0.01 THEN 'approved' ELSE '' END",
        "appeal_reason": "''",
    }


def generate(size: int, now: datetime.datetime) -> float:
    """Bulk-insert ``size`` requests; returns seconds taken (insert + ANALYZE)."""
    from django.db import connection

    from banshi.orgtree.models import OrgUnit
    from banshi.workorders.models import Category, WorkOrder

    units = list(OrgUnit.objects.filter(level="community").values_list("pk", flat=True))
    leads = list(
        OrgUnit.objects.filter(level__in=["district", "street", "functional", "park"]).values_list(
            "pk", flat=True
        )
    )
    leaves = list(Category.objects.filter(level=3).values_list("pk", flat=True))
    columns = [f.column for f in WorkOrder._meta.concrete_fields if f.column != "id"]
    expressions = _expressions(units, leads, leaves)
    if set(expressions) != set(columns):
        raise RuntimeError(f"工单表字段已变化：{sorted(set(columns) ^ set(expressions))}")
    select = ", ".join(expressions[c] for c in columns)
    sql = (
        f"INSERT INTO {WorkOrder._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {select} FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, "
        "random() r5, random() r6, %s - random() * interval '365 days' AS rec "
        "FROM generate_series(1, %s) g) s"
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, size])
        cursor.execute(f"ANALYZE {WorkOrder._meta.db_table}")
    return time.perf_counter() - began


def months(now: datetime.datetime) -> list[datetime.date]:
    from banshi.workorders.metrics import next_month

    month = (now - datetime.timedelta(days=366)).date().replace(day=1)
    result = []
    while month <= now.date():
        result.append(month)
        month = next_month(month)
    return result


def analyst_token() -> str:
    from banshi.accounts.roles import Role
    from banshi.accounts.services import role_grant, token_create, user_create
    from banshi.orgtree.models import OrgUnit

    city = OrgUnit.objects.get(code="4301")
    user = user_create(
        actor=None, mobile="19900000299", name="基准分析员", org_unit=city, password="Bench@2026x"
    )
    role_grant(actor=None, user=user, role=Role.ANALYST, org_unit=city)
    _, key = token_create(user=user, name="基准测试")
    return key


def time_get(address: str, token: str, path: str, count: int) -> tuple[float, float, int]:
    client = KeepAliveClient(address, {"Authorization": f"Bearer {token}"})
    took = []
    rows = 0
    for _ in range(count):
        began = time.perf_counter()
        status, body = client.request("GET", path)
        took.append(time.perf_counter() - began)
        if status != 200:
            raise RuntimeError(f"{path} 返回 {status}：{body[:200]!r}")
        rows = body.count(b'"unit_id"')
    client.close()
    return percentile(took, 50) * 1000, percentile(took, 99) * 1000, rows


def main() -> int:
    parser = argparse.ArgumentParser(description="指标页基准")
    parser.add_argument("--size", type=int, default=100_000, help="工单数（议题目标：1000000）")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args, _ = parser.parse_known_args()
    size = 20_000 if args.quick and args.size == 100_000 else args.size
    print(f"指标页基准：{size:,} 条工单（PostgreSQL）；{machine()}", flush=True)
    with postgres_database(f"bench_metrics_{RUN}") as url:
        target = pg_target(url)
        prepare(target)
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.db import connection
        from django.utils import timezone

        from banshi.workorders.metrics import refresh_month

        now = timezone.now()
        seconds = generate(size, now)
        print(f"批量写入 {size:,} 条：{seconds:.1f} 秒（{size / seconds:,.0f} 条/秒）", flush=True)
        began = time.perf_counter()
        all_months = months(now)
        rollups = sum(refresh_month(m, now) for m in all_months)
        refresh = time.perf_counter() - began
        print(
            f"刷新 {len(all_months)} 个月的汇总：{rollups} 行，{refresh:.1f} 秒"
            f"（每月平均 {refresh / len(all_months):.2f} 秒）",
            flush=True,
        )
        token = analyst_token()
        connection.close()
        month = all_months[-2].strftime("%Y-%m")
        rows = []
        with gunicorn(target) as address:
            for label, path in [
                ("单位月度指标", f"/api/v1/workorders/metrics/units?month={month}"),
                ("区县排名（红黑榜）", f"/api/v1/workorders/metrics/ranking?month={month}"),
                ("街道排名", f"/api/v1/workorders/metrics/ranking?month={month}&level=street"),
            ]:
                time_get(address, token, path, 5)  # warm-up
                p50, p99, count = time_get(address, token, path, args.requests)
                rows.append([label, path.split("?")[0], str(count), f"{p50:.1f}", f"{p99:.1f}"])
        print(
            table(
                f"分析员读取指标（{size:,} 条工单，{month}，顺序请求 {args.requests} 次）",
                ["页面", "接口", "单位行数", "p50 毫秒", "p99 毫秒"],
                rows,
            )
        )
        print("目标：100 万条工单时 p50 ≤ 100 毫秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
