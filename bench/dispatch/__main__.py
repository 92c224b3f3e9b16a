"""``python -m bench.dispatch``: how good and how fast the dispatch assistant is, measured honestly.

1. **History the model did not see.** The confirmed requests of a database (by default a fresh
   SQLite file with the demo's divisions, accounts and 2,000 requests; ``--sqlite PATH`` or
   ``DATABASE_URL`` to use another)
   are split by time: the newest ``--holdout`` share (20%) is held out, and a model trained on the
   lexicon plus the older requests is scored on it — top-1 and top-3, overall and per first-level
   category. The demo's requests are written from templates, so this figure flatters the model;
   it shows the learning works, not how it does on real calls.
2. **Requests written for this purpose** (``bench/dispatch/eval.jsonl``: four per leaf category,
   phrased as citizens and operators phrase them, not from the demo templates; the first of each
   leaf is the "dev" item looked at while writing the lexicon, the other three the "test" items):
   scored with the same model, and with a lexicon-only model (a new installation's first day).
3. **Latency** of one whole suggestion (categories, the place from the address, the units with
   their reasons) through ``insight.engine.suggest``, p50 and p99; the aim is p99 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine, percentile, server_env, table

EVAL = Path(__file__).resolve().parent / "eval.jsonl"


def _setup(args: argparse.Namespace) -> str:
    fresh = False
    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(args.sqlite).resolve())
        where = f"SQLite {args.sqlite}"
    elif os.environ.get("DATABASE_URL"):
        where = "DATABASE_URL"
    else:
        path = Path(tempfile.mkdtemp(prefix="bench_dispatch_")) / "bench.sqlite3"
        os.environ["SQLITE_PATH"] = str(path)
        where = f"新建 SQLite（演示区划、账号与演示工单）{path}"
        fresh = True
    for key, value in server_env().items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if fresh:
        # Only the demo steps the requests need (not the projects' PDF reports).
        from django.core.management import call_command

        from banshi.demo.seed import DEMO_REQUESTS, import_units, seed_accounts
        from banshi.workorders.demo import seed_workorders

        print("准备数据库：迁移、区划、演示账号、演示工单（约需数分钟）…", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        import_units()
        seed_accounts()
        seed_workorders(DEMO_REQUESTS)
    return where


def _score(rankings: list[list[str]], expected: list[str]) -> tuple[float, float]:
    n = len(expected) or 1
    top1 = sum(r[:1] == [e] for r, e in zip(rankings, expected, strict=True)) / n
    top3 = sum(e in r[:3] for r, e in zip(rankings, expected, strict=True)) / n
    return top1, top3


def _by_first_level(
    rankings: list[list[str]], expected: list[str], names: dict[str, str]
) -> list[list[Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(expected):
        groups[code[:2]].append(i)
    rows = []
    for prefix in sorted(groups):
        idx = groups[prefix]
        top1, top3 = _score([rankings[i] for i in idx], [expected[i] for i in idx])
        rows.append([names.get(prefix, prefix), len(idx), f"{top1:.1%}", f"{top3:.1%}"])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="使用已有的 SQLite 数据库文件（须已运行 seed_demo）")
    parser.add_argument("--holdout", type=float, default=0.2, help="留出的最新历史比例")
    parser.add_argument("--runs", type=int, default=3, help="延迟测量轮数")
    args = parser.parse_args()
    where = _setup(args)

    from banshi.insight import engine
    from banshi.insight.classifier import Classifier
    from banshi.insight.training import history_rows, history_samples, leaf_paths, lexicon_samples
    from banshi.workorders.models import Category

    print(f"数据库：{where}；机器：{machine()}", flush=True)
    leaves = leaf_paths()
    by_path = {path: leaf.code for path, leaf in leaves.items()}
    names = dict(Category.objects.filter(level=1).values_list("code", "name"))
    lexicon = lexicon_samples(leaves)

    # 1. history, split by time
    rows = sorted(history_rows(), key=lambda r: (r[3], r[0]))
    cut = int(len(rows) * (1 - args.holdout))
    train, held = rows[:cut], rows[cut:]
    started = time.monotonic()
    model = Classifier.train(lexicon + history_samples(train))
    trained = time.monotonic() - started
    print(
        f"\n模型：词库 {len(lexicon)} 条 + 历史 {len(train)} 件，{len(model.labels)} 个分类，"
        f"训练 {trained:.1f} 秒；留出最新历史 {len(held)} 件（模型未见过）",
        flush=True,
    )
    if held:
        expected = [code for _, code, _, _ in held]
        ranked = [[c for c, _ in r] for r in model.rank_many([text for _, _, text, _ in held])]
        top1, top3 = _score(ranked, expected)
        covered = len({code for code in expected})
        print(
            table(
                f"一、留出历史（演示数据，模板生成的文本，偏乐观）：top-1 {top1:.1%}，"
                f"top-3 {top3:.1%}，涉及 {covered} 个三级分类",
                ["一级分类", "件数", "top-1", "top-3"],
                _by_first_level(ranked, expected, names),
            )
        )

    # 2. the evaluation set
    items = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    items = [i for i in items if i["expected"] in by_path]
    cold = Classifier.train(lexicon)
    for label, clf in (("词库+历史模型", model), ("仅词库模型（冷启动）", cold)):
        for split in ("test", "dev"):
            chosen = [i for i in items if i["split"] == split]
            expected = [by_path[i["expected"]] for i in chosen]
            scored = clf.rank_many([i["content"] for i in chosen])
            ranked = [[c for c, _ in r] for r in scored]
            top1, top3 = _score(ranked, expected)
            title = (
                f"二、自编评测集 {split}（{len(chosen)} 条）· {label}：top-1 {top1:.1%}，"
                f"top-3 {top3:.1%}"
            )
            if split == "test":
                print(
                    table(
                        title,
                        ["一级分类", "条数", "top-1", "top-3"],
                        _by_first_level(ranked, expected, names),
                    )
                )
            else:
                print(title)
            if split == "test" and clf is model:
                marked = [r[1][1] >= r[0][1] * engine.CLOSE_RUNNER_UP for r in scored]
                right = [r[0] == e for r, e in zip(ranked, expected, strict=True)]
                wrong_marked = sum(m and not ok for m, ok in zip(marked, right, strict=True))
                kept = [ok for m, ok in zip(marked, right, strict=True) if not m]
                print(
                    f"   标为“把握不大”：{sum(marked)} 条（{sum(marked) / len(marked):.1%}），"
                    f"其中首选错误 {wrong_marked} 条（共 {right.count(False)} 条错误）；"
                    f"未标记的 top-1 {sum(kept) / max(len(kept), 1):.1%}"
                )
                misses = [
                    (i["id"], i["expected"].split("/")[-1], r[0])
                    for i, r in zip(chosen, ranked, strict=True)
                    if r[0] != by_path[i["expected"]]
                ]
                code_names = {code: path.split("/")[-1] for path, code in by_path.items()}
                print(
                    "   首选错误："
                    + "；".join(f"{i} {e}→{code_names.get(g, g)}" for i, e, g in misses[:40])
                )

    # 3. latency of whole suggestions, with the model of part 1
    engine.forget()
    engine.hold(0, model)
    asks = [engine.Ask(i["content"], "", i.get("address", "")) for i in items]
    asks += [engine.Ask(text) for _, _, text, _ in held[:200]]
    engine.suggest(asks[0], user=None)  # warm the per-process caches
    timings: list[float] = []
    cpu: list[float] = []
    rng = random.Random(7)
    for _ in range(args.runs):
        rng.shuffle(asks)
        for ask in asks:
            t0, c0 = time.perf_counter(), time.thread_time()
            engine.suggest(ask, user=None, categories=5, units=3)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)

    def row(label: str, values: list[float]) -> list[Any]:
        return [
            label,
            len(values),
            f"{percentile(values, 50):.2f}",
            f"{percentile(values, 90):.2f}",
            f"{percentile(values, 99):.2f}",
            f"{max(values):.2f}",
        ]

    print(
        table(
            f"三、每次建议的延迟（分类 + 地点 + 承办单位及理由）；结束时 1 分钟负载 "
            f"{os.getloadavg()[0]:.2f}（挂钟时间含等待 CPU，CPU 时间为本线程实际计算）",
            ["", "次数", "p50 ms", "p90 ms", "p99 ms", "最大 ms"],
            [row("挂钟时间", timings), row("CPU 时间", cpu)],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
