"""Demo data of volunteer service in 新大塘社区: its 邻里中心, residents registered as volunteers,
and a year of activities (义诊, 助老理发, 垃圾分类宣传…) with sign-ups, QR check-ins at the
place, confirmed hours, a dispute settled by a correction and certificates — each step run
through the services at its own moment of 2026, so histories carry their real dates."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from banshi.accounts.models import User
from banshi.accounts.services import user_create
from banshi.orgtree.models import OrgUnit
from banshi.projects.demo import story_clock
from banshi.volunteers import services
from banshi.volunteers.models import Activity, Centre, Volunteer

COMMUNITY = "430105016005"  # 开福区 秀峰街道 新大塘社区
ORGANISER = "19900000032"  # 宋满秀, 社区工作者
GRID_ORGANISER = "19900000033"  # 郑长青, 网格员 (runs the branch's activities)
REVIEWER = "19900000030"  # 罗湘君, 秀峰街道 组织管理员
PASSWORD = "Banshi@2026"
CENTRE = "新大塘社区邻里中心"
LAT, LON = Decimal("28.239800"), Decimal("112.980800")

# Residents who volunteer (their accounts sign in with the demo password).
VOLUNTEERS = [
    ("19900000301", "刘桂英"),
    ("19900000302", "陈建军"),
    ("19900000303", "张丽华"),
    ("19900000304", "李志刚"),
    ("19900000305", "王秀兰"),
    ("19900000306", "杨帆"),
    ("19900000307", "赵敏"),
    ("19900000308", "黄海涛"),
    ("19900000309", "周玉梅"),
    ("19900000310", "吴志明"),
    ("19900000311", "徐芳"),
    ("19900000312", "彭湘云"),
]


@dataclass
class Plan:
    title: str
    content: str
    posts: list[tuple[str, int]]
    start: tuple[int, int, int, int, int]  # y, m, d, h, min
    hours: float
    place: str
    by_branch: bool = False
    beneficiaries: int = 0
    stage: str = "archived"  # how far its story has got
    volunteers: list[int] = field(default_factory=list)  # indexes into VOLUNTEERS


PLANS = [
    Plan("义诊进社区", "联合开福区第一人民医院医生测血压、血糖，解读体检报告，讲解高血压用药",
         [("测血压血糖", 3), ("导诊登记", 2)], (2026, 3, 14, 9, 0), 2.5, "新大塘社区邻里中心健康小屋",
         beneficiaries=86, volunteers=[0, 1, 2, 4, 8]),
    Plan("助老理发", "为辖区80岁以上及独居老人免费理发，行动不便的上门服务",
         [("理发", 3), ("登记引导", 1)], (2026, 5, 9, 14, 0), 2.5, "新大塘社区邻里中心多功能活动室",
         beneficiaries=37, volunteers=[3, 4, 9, 0]),
    Plan("垃圾分类宣传入户", "小区党支部组织党员志愿者入户发放分类指南，早高峰在投放点督导",
         [("入户宣传", 6), ("投放点督导", 2)], (2026, 6, 20, 7, 30), 4, "新大塘小区各楼栋及垃圾投放点",
         by_branch=True, beneficiaries=212, stage="confirmed", volunteers=[0, 1, 5, 6, 7, 10, 11]),
    Plan("重阳节敬老包饺子", "与辖区共建单位一起陪老人包饺子、唱湘剧，给独居老人送饺子上门",
         [("包饺子", 6), ("送餐上门", 3)], (2026, 10, 29, 9, 0), 3.5, "新大塘社区邻里中心多功能活动室",
         beneficiaries=64, volunteers=[0, 2, 3, 4, 8, 9, 10]),
    Plan("四点半课堂", "双职工家庭孩子放学后的作业辅导与安全教育",
         [("作业辅导", 3), ("接送引导", 1)], (2026, 11, 26, 16, 30), 2, "新大塘社区邻里中心四点半课堂教室",
         beneficiaries=23, stage="ended", volunteers=[5, 6, 11]),
    Plan("冬季消防安全宣传", "检查楼道杂物和电动车违规充电，向老人讲解燃气使用安全",
         [("楼道巡查", 4), ("入户讲解", 4)], (2026, 12, 12, 9, 0), 3, "新大塘小区各楼栋",
         by_branch=True, stage="recruiting", volunteers=[1, 3, 7, 8]),
    Plan("元旦游园会", "邻里中心迎新游园：猜灯谜、写春联、亲子游戏",
         [("游戏摊位", 6), ("秩序维护", 2)], (2026, 12, 30, 14, 0), 3, "新大塘社区邻里中心",
         stage="draft"),
]  # fmt: skip

STAGES = ["draft", "recruiting", "ended", "confirmed", "archived"]


def _at(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(y, m, d, h, mi))


def _user(mobile: str, name: str, unit: OrgUnit) -> User:
    user = User.objects.filter(mobile=mobile).first()
    return user or user_create(
        actor=None, mobile=mobile, name=name, org_unit=unit, password=PASSWORD, title="志愿者"
    )


def _near(rng: random.Random) -> tuple[str, str]:
    """A phone's position a few dozen metres from the place."""
    return (
        f"{LAT + Decimal(rng.randint(-40, 40)) / Decimal(100000):.6f}",
        f"{LON + Decimal(rng.randint(-40, 40)) / Decimal(100000):.6f}",
    )


def seed_volunteers() -> str:
    community = OrgUnit.objects.filter(code=COMMUNITY).first()
    if community is None:
        return "志愿服务：未找到新大塘社区，跳过"
    if Centre.objects.filter(org_unit=community, name=CENTRE).exists():
        return "志愿服务：演示数据已存在"
    organiser = User.objects.get(mobile=ORGANISER)
    grid_organiser = User.objects.get(mobile=GRID_ORGANISER)
    reviewer = User.objects.get(mobile=REVIEWER)
    branch = community.children.filter(level="branch").order_by("pk").first() or community
    rng = random.Random(2026)

    with story_clock(_at(2026, 2, 20)):
        centre = services.centre_create(
            actor=organiser,
            org_unit=community,
            name=CENTRE,
            address="开福区秀峰街道新大塘社区服务中心一楼",
            opening_hours="周一至周日 8:30–20:30（法定节假日另行通知）",
            services=["义诊与健康咨询", "助老理发", "四点半课堂", "法律咨询", "垃圾分类宣传"],
            rooms=["多功能活动室", "健康小屋", "四点半课堂教室", "阅览室", "老年助餐点"],
            lat=LAT,
            lon=LON,
        )
    people: list[Volunteer] = []
    for index, (mobile, name) in enumerate(VOLUNTEERS):
        user = _user(mobile, name, community)
        with story_clock(_at(2026, 2, 24 + index % 4, 10 + index % 6, 5 * index % 60)):
            people.append(
                Volunteer.objects.filter(user=user).first()
                or services.volunteer_register(actor=user, user=user, org_unit=community)
            )

    for plan in PLANS:
        _run(plan, centre, community, branch, organiser, grid_organiser, reviewer, people, rng)

    top = max(people, key=lambda v: Volunteer.objects.get(pk=v.pk).total_minutes)
    top.refresh_from_db()
    with story_clock(_at(2026, 11, 2, 15)):
        certificate = services.certificate_issue(actor=top.user, volunteer=top)
    hours = (
        sum(
            Volunteer.objects.filter(pk__in=[v.pk for v in people]).values_list(
                "total_minutes", flat=True
            )
        )
        / 60
    )
    return (
        f"志愿服务：邻里中心1个，志愿者{len(people)}人，活动{len(PLANS)}场，"
        f"已确认时长{hours:.1f}小时，证书 {certificate.number}（验证码 {certificate.code}）"
    )


def _run(
    plan: Plan,
    centre: Centre,
    community: OrgUnit,
    branch: OrgUnit,
    organiser: User,
    grid_organiser: User,
    reviewer: User,
    people: list[Volunteer],
    rng: random.Random,
) -> Activity:
    start = _at(*plan.start)
    end = start + datetime.timedelta(hours=plan.hours)
    who = grid_organiser if plan.by_branch else organiser
    reach = STAGES.index(plan.stage)
    created = start - datetime.timedelta(days=12)
    with story_clock(created):
        activity = services.activity_create(
            actor=who,
            org_unit=branch if plan.by_branch else community,
            centre=None if plan.by_branch else centre,
            title=plan.title,
            content=plan.content,
            posts=[{"name": n, "quota": q} for n, q in plan.posts],
            starts_at=start,
            ends_at=end,
            place=plan.place,
            lat=LAT,
            lon=LON,
            radius_m=300,
        )
    if reach < STAGES.index("recruiting"):
        return activity

    def step(action: str, at: datetime.datetime, actor: User = who, **data: object) -> None:
        nonlocal activity
        with story_clock(at):
            activity = services.activity_transition(
                actor=actor, activity=activity, action=action, data=data
            )

    step("submit", created + datetime.timedelta(hours=2))
    step(
        "approve",
        created + datetime.timedelta(days=1),
        reviewer,
        note="内容与岗位设置合理，同意发布",
    )
    signups = []
    places = [name for name, quota in plan.posts for _ in range(quota)]
    for n, index in enumerate(plan.volunteers):
        volunteer = people[index]
        post = places[n]
        with story_clock(created + datetime.timedelta(days=2, hours=n)):
            signup = services.signup_create(actor=volunteer.user, activity=activity, post=post)
        if reach >= STAGES.index("ended") or n % 2 == 0:
            with story_clock(created + datetime.timedelta(days=3, hours=n)):
                services.signup_decide(actor=who, signup=signup, approve=True)
        signups.append(signup)
    if reach < STAGES.index("ended"):
        return activity

    step("start", start - datetime.timedelta(minutes=20))
    for n, signup in enumerate(signups):
        arrive = start - datetime.timedelta(minutes=rng.randint(0, 15))
        leave: datetime.datetime | None = end + datetime.timedelta(minutes=rng.randint(-10, 20))
        if n == 1 and plan.stage == "confirmed":
            leave = None  # forgot to check out: settled below by a correction
        for purpose, moment in (("in", arrive), ("out", leave)):
            if moment is None:
                continue
            token = services.qr_token(actor=who, activity=activity, purpose=purpose, now=moment)
            lat, lon = _near(rng)
            with story_clock(moment):
                services.scan(
                    actor=signup.volunteer.user, token=token, lat=lat, lon=lon, now=moment
                )
    step("end", end + datetime.timedelta(minutes=30), beneficiaries=plan.beneficiaries)
    if reach < STAGES.index("confirmed"):
        return activity

    settle = end + datetime.timedelta(days=1, hours=2)
    for n, signup in enumerate(signups):
        with story_clock(settle + datetime.timedelta(minutes=n)):
            signup.refresh_from_db()
            if signup.checked_out_at is None:
                services.hours_dispute(
                    actor=signup.volunteer.user,
                    signup=signup,
                    reason="督导结束时手机没电，未能扫码签退",
                )
                services.hours_correct(
                    actor=organiser,
                    signup=signup,
                    checked_in_at=signup.checked_in_at,  # type: ignore[arg-type]
                    checked_out_at=end,
                    reason="经小区党支部书记核实，坚守至活动结束",
                )
            else:
                services.hours_confirm(actor=organiser, signup=signup)
    step("confirm_hours", settle + datetime.timedelta(hours=1), organiser)
    if reach >= STAGES.index("archived"):
        step("archive", settle + datetime.timedelta(days=7))
    return activity
