"""Run every benchmark, each in its own process (each sets up its own databases and servers):
intake, the metrics page, Open311 when that package is present, and the dispatch assistant's
accuracy and latency. Extra arguments (e.g. ``python -m bench --quick`` or ``--size 1000000``)
go to the benchmarks that accept unknown options (intake and metrics); Open311 and the dispatch
assistant run with their own defaults."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from bench.common import ROOT

# (module, whether it takes the command line's extra arguments)
BENCHMARKS = [
    ("bench.intake", True),
    ("bench.metrics", True),
    ("bench.open311", False),
    ("bench.dispatch", False),
]


def main() -> int:
    failed = 0
    for module, passes_args in BENCHMARKS:
        if importlib.util.find_spec(module) is None:
            print(f"（跳过 {module}：未安装）")
            continue
        print(f"\n=== {module} ===", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", module, *(sys.argv[1:] if passes_args else [])], cwd=ROOT
        )
        if result.returncode:
            print(f"{module} 失败（退出码 {result.returncode}）")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
