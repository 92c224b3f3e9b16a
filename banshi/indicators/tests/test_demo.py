"""The demo data: districts' 2026 targets and Q1–Q3 actuals through the services, idempotent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from banshi.indicators import demo, selectors
from banshi.indicators.choices import Status
from banshi.indicators.models import Indicator, Report

pytestmark = pytest.mark.django_db


def test_demo_seeds_district_figures_once(tree: Any, people: Any) -> None:
    summary = demo.seed_indicators()
    assert summary.startswith("民生指标：2个")
    assert Report.objects.filter(org_unit=tree.kaifu).count() == 4
    assert Report.objects.get(org_unit=tree.kaifu, quarter=3).status == Status.APPROVED
    xuewei = Indicator.objects.get(code="xuewei")
    row = selectors.rollup(people.city_admin, tree.kaifu, 2026, 3)
    fig = row.figures[xuewei.pk]
    assert fig.target == Decimal("14000")  # 11.2% of the city's 12.5万
    assert Decimal("8000") < fig.actual < Decimal("12000")
    assert Report.objects.get(org_unit=tree.kaifu, quarter=1).approved_at.month == 4  # type: ignore[union-attr]

    before = Report.objects.count()
    demo.seed_indicators()
    assert Report.objects.count() == before
