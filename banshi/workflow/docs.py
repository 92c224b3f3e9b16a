"""docs/workflows.md, generated from the declared lifecycles."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from banshi.workflow import engine

# The app label a reader may type for its lifecycle (``workflow_table workorders``).
ALIASES = {"workorders": "workorder", "projects": "project", "volunteers": "activity"}

HEADER = """# 流程表（生成文件，请勿手改）

本文件由 `python manage.py workflow_table --all > docs/workflows.md` 生成，测试会核对它与代码一致。
每个流程都声明在共享流程引擎 `banshi.workflow.engine` 上：一行是一个步骤，“前提与写入”和“之后”
是该步骤的 guard 与 effects 函数的说明。所有状态变化只经 `engine.transition`：先在事务内重读对象，
越权范围答 404，版本过期答 409，状态不对、权限不足、前提不满足各有稳定的错误码；写入用
`(pk, 状态, 版本)` 比较并交换，事件、变更记录和消息在同一事务内写出。

"""


def _sides(lifecycle: engine.Lifecycle[Any]) -> dict[str, str]:
    labels = getattr(lifecycle.hooks, "side_labels", None)
    return dict(labels or {})


def table(lifecycle: engine.Lifecycle[Any]) -> str:
    return engine.table_markdown(lifecycle, sides=_sides(lifecycle))


def document() -> str:
    apps.check_apps_ready()
    parts = [HEADER]
    for name in sorted(engine.lifecycles()):
        parts.append(table(engine.lifecycles()[name]))
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"
