"""manage.py open311_app: register Open311 client applications and manage their keys.

    python manage.py open311_app create --name 市民通 [--contact "张工 0731-12345678"] [--unit 430105]
    python manage.py open311_app list
    python manage.py open311_app key --name 市民通          # issue another key
    python manage.py open311_app deactivate --name 市民通

``create`` and ``key`` print the new key as the last line of their output (it is stored only as
a digest and cannot be shown again).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banshi.core.errors import DomainError
from banshi.open311.models import Application
from banshi.open311.services import (
    application_create,
    application_deactivate,
    find_application,
    key_issue,
)
from banshi.orgtree.models import OrgUnit


class Command(BaseCommand):
    help = "管理 Open311 应用及其 API 密钥（create / list / key / deactivate）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="登记应用并签发密钥")
        create.add_argument("--name", required=True, help="应用名称")
        create.add_argument("--contact", default="", help="联系人及联系方式")
        create.add_argument(
            "--unit", default="", help="可提交区域的组织编码（如 430105），默认整个辖区"
        )
        sub.add_parser("list", help="列出应用")
        key = sub.add_parser("key", help="为应用签发新密钥")
        key.add_argument("--name", required=True, help="应用名称或编号")
        stop = sub.add_parser("deactivate", help="停用应用（其所有密钥随即失效）")
        stop.add_argument("--name", required=True, help="应用名称或编号")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.detail) from exc

    def _create(self, options: dict[str, Any]) -> None:
        unit = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"组织编码 {options['unit']} 不存在")
        app, key = application_create(
            actor=None, name=options["name"], contact=options["contact"], org_unit=unit
        )
        area = unit.name if unit else "整个辖区"
        self.stdout.write(
            f"已登记应用“{app.name}”（编号 {app.pk}，可提交区域：{area}）。密钥只显示这一次："
        )
        self.stdout.write(key)

    def _list(self, options: dict[str, Any]) -> None:
        apps = Application.objects.select_related("org_unit").prefetch_related("keys")
        if not apps:
            self.stdout.write("还没有登记的 Open311 应用")
        for app in apps:
            keys = [k for k in app.keys.all() if k.is_active]
            self.stdout.write(
                f"{app.pk}\t{app.name}\t{'启用' if app.is_active else '停用'}\t"
                f"{app.org_unit.name if app.org_unit else '整个辖区'}\t"
                f"有效密钥 {len(keys)} 个（{', '.join(k.prefix + '…' for k in keys)}）\t{app.contact}"
            )

    def _key(self, options: dict[str, Any]) -> None:
        app = find_application(options["name"])
        if not app.is_active:
            raise CommandError(f"应用“{app.name}”已停用")
        key = key_issue(actor=None, application=app)
        self.stdout.write(f"已为“{app.name}”签发新密钥，只显示这一次：")
        self.stdout.write(key)

    def _deactivate(self, options: dict[str, Any]) -> None:
        app = application_deactivate(actor=None, application=find_application(options["name"]))
        self.stdout.write(f"应用“{app.name}”已停用，其密钥不再被接受")
