"""The throttle's rate settings: "count/period" read the way the README documents them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from banshi.core.throttle import Rate, parse_rate


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("20/h", Rate(20, 3600, "每小时最多20次")),
        ("100/d", Rate(100, 86400, "每天最多100次")),
        (" 5 / 10m ", Rate(5, 600, "每10分钟最多5次")),
        ("1/30s", Rate(1, 30, "每30秒最多1次")),
        ("", None),
        ("0", None),
    ],
)
def test_rates_are_read_as_count_per_period(text: str, rate: Rate | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["20", "20/w", "h/20", "0/h", "5/2d", "-1/h", "20 per hour"])
def test_a_malformed_or_out_of_range_rate_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)
