"""manage.py run_scheduler [--once] [--interval N] [--job NAME]: the loop behind every deadline."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from banshi.core.scheduler import jobs, run_once


class Command(BaseCommand):
    help = "运行定时任务：到期提醒、超时、自动催办、默认评价、周梳理/月督办/季调度、消息补发"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="只运行一轮后退出")
        parser.add_argument("--interval", type=int, default=60, help="两轮之间的秒数（默认60）")
        parser.add_argument("--job", action="append", default=[], help="只运行指定任务（可多次）")
        parser.add_argument("--list", action="store_true", help="列出已注册的任务")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in jobs():
                self.stdout.write(f"{job.name}\t{job.description}")
            return
        only = set(options["job"]) or None
        while True:
            results = run_once(only=only)
            done = "，".join(f"{name} {count}" for name, count in results.items())
            self.stdout.write(f"调度完成：{done or '无任务'}")
            if options["once"]:
                return
            time.sleep(max(1, options["interval"]))
