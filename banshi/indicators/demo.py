"""Demo data of the indicators: Changsha's nine districts' 2026 targets (学位 adds up to the
article's 12.5万 school places city-wide) and their Q1–Q3 actuals, entered and approved through
the services at their own moments of 2026 — Q3 not yet approved everywhere and one district late —
and the 六位 outputs of the ledger's signed-off projects posted to their indicators."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from banshi.accounts.models import User
from banshi.indicators import services
from banshi.indicators.models import Indicator, Posting, ProjectOutput, Report
from banshi.orgtree.models import OrgUnit
from banshi.projects.choices import Field
from banshi.projects.choices import Status as ProjectStatus
from banshi.projects.demo import story_clock
from banshi.projects.models import Project

CITY = "4301"
CITY_ADMIN = "19900000010"  # 周建国, 市委组织部 组织管理员: approves the districts
YEAR = 2026

# District (code) → its share of the city's targets, per mille; 学位 at these shares is 12.5万.
SHARES = {
    "430102": 72,  # 芙蓉区
    "430103": 96,  # 天心区
    "430104": 176,  # 岳麓区
    "430105": 112,  # 开福区
    "430111": 160,  # 雨花区
    "430112": 96,  # 望城区
    "430121": 128,  # 长沙县
    "430181": 88,  # 浏阳市
    "430182": 72,  # 宁乡市
}
RURAL = {"430112", "430121", "430181", "430182"}  # where 美丽宜居村庄 are built
# City-wide 2026 targets.
TARGETS = {
    "xuewei": 125000,
    "chuangwei": 12000,
    "chewei": 30000,
    "cewei": 2400,
    "tiwei": 1500,
    "tanwei": 8000,
    "laojiu": 300,
    "weijiufang": 5000,
    "meilicun": 200,
    "wuzhangai": 3000,
}
# How much of the year's target each quarter brings (flows), or has reached (stocks).
FLOW_PACE = {1: 0.18, 2: 0.27, 3: 0.29}
STOCK_LEVEL = {1: 0.72, 2: 0.81, 3: 0.9}
# Report moments: quarter → when entered and submitted, when approved.
MOMENTS = {
    0: (datetime.datetime(YEAR, 1, 20, 10), datetime.datetime(YEAR, 1, 27, 15)),
    1: (datetime.datetime(YEAR, 4, 9, 10), datetime.datetime(YEAR, 4, 15, 16)),
    2: (datetime.datetime(YEAR, 7, 8, 10), datetime.datetime(YEAR, 7, 14, 16)),
    3: (datetime.datetime(YEAR, 10, 13, 10), datetime.datetime(YEAR, 10, 20, 16)),
}
LATE_DISTRICT = "430182"  # 宁乡市 has not reported Q3
PENDING_Q3 = {"430103", "430181"}  # submitted, waiting for the city's approval
# The ledger's fields that are indicators, with the unit a project must count in to post.
FIELD_INDICATORS = {
    Field.SCHOOL_PLACES: "xuewei",
    Field.HOSPITAL_BEDS: "chuangwei",
    Field.PARKING: "chewei",
    Field.TOILETS: "cewei",
    Field.ELEVATORS: "tiwei",
    Field.MARKET_STALLS: "tanwei",
    Field.OLD_ESTATES: "laojiu",
}


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def _values(code: str, quarter: int, rng: random.Random) -> dict[str, Decimal]:
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    out: dict[str, Decimal] = {}
    for key, city_total in TARGETS.items():
        if key == "meilicun" and code not in RURAL:
            continue
        share = SHARES[code] / 1000
        if key == "meilicun":
            share = SHARES[code] / sum(SHARES[c] for c in RURAL)
        target = round(city_total * share)
        if quarter == 0:
            out[key] = Decimal(target)
            continue
        pace = FLOW_PACE[quarter] if kinds.get(key) == "flow" else STOCK_LEVEL[quarter]
        out[key] = Decimal(round(target * pace * rng.uniform(0.85, 1.15)))
    return out


def seed_indicators() -> str:
    """Idempotent: a district's period already reported is left as it is."""
    rng = random.Random(2026)
    approver = User.objects.filter(mobile=CITY_ADMIN).first()
    districts = list(OrgUnit.objects.filter(code__in=SHARES).order_by("code"))
    made = 0
    for district in districts:
        for quarter, (entered, decided) in MOMENTS.items():
            values = _values(district.code or "", quarter, rng)
            if quarter == 3 and district.code == LATE_DISTRICT:
                continue
            if Report.objects.filter(org_unit=district, year=YEAR, quarter=quarter).exists():
                continue
            with story_clock(_aware(entered)):
                report = services.report_open(
                    actor=None, org_unit=district, year=YEAR, quarter=quarter
                )
                report = services.values_set(actor=None, report=report, values=values)
                report = services.report_transition(actor=None, report=report, action="submit")
            made += 1
            if quarter == 3 and district.code in PENDING_Q3:
                continue
            with story_clock(_aware(decided)):
                services.report_transition(
                    actor=approver or None, report=report, action="approve", note="数据核实无误"
                )
    posted = _post_project_outputs()
    return f"民生指标：{len(districts)}个区县县级市报表{made}份，项目产出计入{posted}项"


def _post_project_outputs() -> int:
    """The ledger's signed-off 六位 projects declare their target as their output and post it."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    closed = Project.objects.unscoped().filter(
        status=ProjectStatus.CLOSED, field__in=list(FIELD_INDICATORS)
    )
    for project in closed:
        indicator = indicators.get(FIELD_INDICATORS[Field(project.field)])
        if indicator is None or not project.target_quantity:
            continue
        ProjectOutput.objects.get_or_create(
            project=project, indicator=indicator, defaults={"amount": project.target_quantity}
        )
        services.post_outputs(project)
    return Posting.objects.filter(reversed_at__isnull=True).count()
