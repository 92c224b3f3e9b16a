"""Open311 demo data: an application for 长沙市 with a key a reviewer can use, and attributes of
every datatype on some of the demo's published services. Idempotent."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from banshi.open311.models import ApiKey, Application, AttributeValue, Datatype, ServiceAttribute
from banshi.open311.services import application_create, digest_of, key_issue
from banshi.orgtree.models import OrgUnit
from banshi.workorders.models import Category

DEMO_APP = "长沙市民随手拍（演示）"
DEMO_CONTACT = "演示用应用，联系12345热线管理办公室"
CITY_CODE = "4301"

# service code → [(code, datatype, required, question, help, [(key, name), …])]
ATTRIBUTES: dict[str, list[tuple[str, str, bool, str, str, list[tuple[str, str]]]]] = {
    "010302": [  # 井盖缺失破损
        (
            "COVER_TYPE",
            Datatype.SINGLE,
            True,
            "井盖属于哪类管线？",
            "不清楚可选“其他”",
            [
                ("water", "供水"),
                ("sewage", "排水"),
                ("power", "电力"),
                ("telecom", "通信"),
                ("other", "其他"),
            ],
        ),
        (
            "HAZARD",
            Datatype.MULTI,
            False,
            "现场有哪些危险？",
            "可多选",
            [
                ("open", "井口敞开"),
                ("sunk", "井盖下沉"),
                ("broken", "井盖破碎"),
                ("noise", "车辆碾压异响"),
            ],
        ),
        (
            "SEEN_AT",
            Datatype.DATETIME,
            False,
            "发现时间",
            "ISO 8601，如 2026-11-16T08:30:00+08:00",
            [],
        ),
    ],
    "010301": [  # 道路破损
        ("AREA", Datatype.NUMBER, False, "破损面积大约多少平方米？", "填数字", []),
        ("LANE", Datatype.STRING, False, "位于哪条车道或人行道？", "如：由北往南第二车道", []),
    ],
    "010303": [  # 路灯不亮
        ("POLE_NO", Datatype.STRING, True, "路灯杆编号", "灯杆上喷涂的编号", []),
        ("DETAIL", Datatype.TEXT, False, "补充说明", "可写多行", []),
    ],
}


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "open311_demo_key"


def _demo_key(app: Application) -> str:
    """The demo key kept in var/ (never in the repository); reissued if it no longer works."""
    path = _key_file()
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if ApiKey.objects.filter(application=app, digest=digest_of(key), is_active=True).exists():
            return key
    return _keep(key_issue(actor=None, application=app))


def _keep(key: str) -> str:
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


def seed_attributes() -> int:
    created = 0
    for code, attributes in ATTRIBUTES.items():
        category = Category.objects.filter(code=code).first()
        if category is None:
            continue
        if not category.open311_published:
            category.open311_published = True
            category.save(update_fields=["open311_published"])
        for order, (attr_code, datatype, required, question, helptext, values) in enumerate(
            attributes, start=1
        ):
            attribute, made = ServiceAttribute.objects.get_or_create(
                category=category,
                code=attr_code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "description": question,
                    "datatype_description": helptext,
                    "order": order,
                },
            )
            created += made
            for sort, (key, name) in enumerate(values):
                AttributeValue.objects.get_or_create(
                    attribute=attribute, key=key, defaults={"name": name, "sort": sort}
                )
    return created


def seed_open311() -> str:
    with transaction.atomic():
        seed_attributes()
        app = Application.objects.filter(name=DEMO_APP).first()
        if app is None:
            city = OrgUnit.objects.filter(code=CITY_CODE).first()
            app, key = application_create(
                actor=None, name=DEMO_APP, contact=DEMO_CONTACT, org_unit=city
            )
            _keep(key)
        elif not app.is_active:
            Application.objects.filter(pk=app.pk).update(is_active=True)
        key = _demo_key(app)
    services = Category.objects.filter(open311_published=True).count()
    return (
        f"Open311：发布服务{services}项，演示应用“{DEMO_APP}”的 api_key 为 {key}"
        f"（保存在 {_key_file()}）"
    )
