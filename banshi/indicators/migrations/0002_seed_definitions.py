"""The definitions the programme reports on: the 六位 and four more (DOMAIN.md §7)."""

from django.db import migrations

# (code, name, unit, kind, description)
DEFINITIONS = [
    ("xuewei", "学位", "个", "flow", "新增中小学、幼儿园学位"),
    ("chuangwei", "床位", "张", "flow", "新增养老、医疗床位"),
    ("chewei", "车位", "个", "flow", "新增公共停车泊位"),
    ("cewei", "厕位", "个", "flow", "新建改建公厕厕位"),
    ("tiwei", "梯位", "台", "flow", "老旧小区加装电梯"),
    ("tanwei", "摊位", "个", "stock", "规范设置的便民摊位（期末数）"),
    ("laojiu", "老旧小区改造", "个", "flow", "完成改造的老旧小区"),
    ("weijiufang", "危旧房改造", "户", "flow", "完成改造的危旧房"),
    ("meilicun", "美丽宜居村庄", "个", "stock", "创建达标的美丽宜居村庄（期末数）"),
    ("wuzhangai", "无障碍停车位", "个", "flow", "新增无障碍停车位"),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, (code, name, unit, kind, description) in enumerate(DEFINITIONS, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "level": "district",
                "description": description,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(
        code__in=[d[0] for d in DEFINITIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
