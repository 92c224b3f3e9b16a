"""A project's 销号 posts its declared outputs to the indicator exactly once; a revoked sign-off
reverses them exactly once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from banshi.audit.models import ChangeRecord
from banshi.core.errors import NotFound, ValidationFailed
from banshi.indicators import selectors, services
from banshi.indicators.models import Indicator, Posting
from banshi.projects.choices import Status
from banshi.projects.tests.conftest import scene  # noqa: F401  (the ledger's own fixture)
from banshi.workflow.engine import lifecycles, table_markdown

pytestmark = pytest.mark.django_db


def school_places(scene: Any) -> Decimal:  # noqa: F811
    row = selectors.rollup(scene.admin, scene.tree.kaifu, 2026, 4)
    xuewei = Indicator.objects.get(code="xuewei")
    return row.figures[xuewei.pk].projects


def test_close_posts_once_and_reversal_takes_back_once(scene: Any) -> None:  # noqa: F811
    xuewei = Indicator.objects.get(code="xuewei")
    project = scene.project(Status.VERIFIED)
    services.output_set(actor=scene.admin, project=project, indicator=xuewei, amount=600)
    assert school_places(scene) == 0

    project = scene.step(project, Status.CLOSED)
    assert project.status == Status.CLOSED
    posting = Posting.objects.get(project=project)
    assert posting.amount == Decimal("600") and posting.org_unit == scene.tree.xiufeng
    assert school_places(scene) == Decimal("600")

    # The effect running again (a retried job, a second sign-off) posts nothing more.
    services.post_outputs(project)
    assert Posting.objects.filter(project=project).count() == 1
    assert school_places(scene) == Decimal("600")

    with pytest.raises(ValidationFailed):
        services.reverse_outputs(actor=scene.supervisor, project=project, reason="")
    assert (
        services.reverse_outputs(
            actor=scene.supervisor, project=project, reason="销号被撤销：验收材料不实"
        )
        == 1
    )
    assert school_places(scene) == 0
    assert services.reverse_outputs(actor=scene.supervisor, project=project, reason="再撤") == 0
    assert school_places(scene) == 0
    assert ChangeRecord.objects.filter(action="indicator.reverse").count() == 1

    # Signed off again: counted again, once.
    services.post_outputs(project)
    services.post_outputs(project)
    assert school_places(scene) == Decimal("600")


def test_outputs_are_fixed_after_close_and_checked(scene: Any) -> None:  # noqa: F811
    xuewei = Indicator.objects.get(code="xuewei")
    project = scene.project(Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed) as err:
        services.output_set(actor=scene.admin, project=project, indicator=xuewei, amount=-5)
    assert err.value.code == "negative_value"
    with pytest.raises(NotFound):
        services.output_set(
            actor=scene.yuhua[next(iter(scene.yuhua))], project=project, indicator=xuewei, amount=5
        )
    with pytest.raises(NotFound):
        services.reverse_outputs(
            actor=scene.yuhua[next(iter(scene.yuhua))], project=project, reason="x"
        )
    closed = scene.project(Status.CLOSED)
    with pytest.raises(ValidationFailed) as err:
        services.output_set(actor=scene.admin, project=closed, indicator=xuewei, amount=5)
    assert err.value.code == "project_closed"
    assert not Posting.objects.exists()


def test_the_close_step_prints_the_posting() -> None:
    table = table_markdown(lifecycles()["project"])
    assert "将项目申报的产出计入对应指标" in table
