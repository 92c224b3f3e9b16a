"""The grid's pages, as the people who use them: the register filtered and paged, a household's
page, the phone visit form (a refused visit re-renders with the reason and writes nothing), the
due list, the 民情台账, the figures with the unlinked households one click away, the pickers."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.grid.models import Household, LedgerItem, Visit
from banshi.grid.services import household_create, ledger_open


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_register_filters_unlinked_households_in_few_queries(
    g: Any, cast: Any, client: Client
) -> None:
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.datang))
    url = f"/grid/households/?unit={g.tree.datang.pk}&unlinked=1"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert g.h2.address in text and g.h4.address in text and g.h1.address not in text
    for n in range(10):
        household_create(actor=None, grid=g.grid1, label=f"10栋{n}", address=f"建湘路10号{n}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more.captured_queries) == len(few.captured_queries) <= 20


def test_a_visit_entered_on_the_phone_form(g: Any, cast: Any, client: Client) -> None:
    member = cast.make(Role.GRID_MEMBER, g.grid2)
    client.force_login(member)
    form = client.get(f"/grid/households/{g.h3.pk}/visit/")
    assert form.status_code == 200 and 'name="visited_at"' in form.content.decode()
    future = client.post(
        f"/grid/households/{g.h3.pk}/visit/",
        {"visited_at": _local(timezone.now() + datetime.timedelta(days=1)), "findings": "正常"},
    )
    assert future.status_code == 400
    assert "走访时间不能晚于当前时间" in future.content.decode()
    assert not Visit.objects.filter(household=g.h3).exists()
    done = client.post(
        f"/grid/households/{g.h3.pk}/visit/",
        {
            "visited_at": _local(timezone.now() - datetime.timedelta(minutes=30)),
            "findings": "老人腿脚不便，希望楼道加装扶手",
            "ledger": "联系物业加装楼道扶手\n",
        },
    )
    assert done.status_code == 302
    assert Visit.objects.filter(household=g.h3).count() == 1
    assert LedgerItem.objects.get(household=g.h3).content == "联系物业加装楼道扶手"
    page = client.get(f"/grid/households/{g.h3.pk}/").content.decode()
    assert "联系物业加装楼道扶手" in page and "老人腿脚不便" in page


def test_the_ledger_page_closes_an_item(g: Any, cast: Any, client: Client) -> None:
    item = ledger_open(actor=None, household=g.h1, content="路灯不亮")
    client.force_login(cast.make(Role.GRID_MEMBER, g.grid1))
    listing = client.get(f"/grid/ledger/?unit={g.grid1.pk}")
    assert "路灯不亮" in listing.content.decode()
    response = client.post(
        f"/grid/ledger/{item.pk}/close/",
        {"version": "0", "result": "已报修并修复", "next": f"/grid/ledger/?unit={g.grid1.pk}"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.result == "已报修并修复"


def test_figures_page_links_to_the_unlinked_households(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.ANALYST, g.tree.kaifu))
    page = client.get(f"/grid/figures/?unit={g.tree.branch.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"/grid/households/?unit={g.grid1.pk}&amp;unlinked=1" in text
    assert "50%" in text
    assert client.get(f"/grid/figures/?unit={g.tree.shiyanhu.pk}").status_code == 404


def test_member_page_lists_visits_due(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.GRID_MEMBER, g.tree.datang))
    page = client.get(f"/grid/members/{g.m2.pk}/")
    assert page.status_code == 200
    assert "从未走访" in page.content.decode()
    listing = client.get(f"/grid/members/?unit={g.tree.datang.pk}").content.decode()
    assert "黄丽娟" in listing and "陈建华" in listing


def test_household_form_creates_and_moves(g: Any, cast: Any, client: Client) -> None:
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.datang))
    response = client.post(
        "/grid/households/new/",
        {
            "grid": g.grid1.pk,
            "label": "11栋101室",
            "address": "建湘路11号",
            "tags": ["dibao"],
            "head": "毛春生",
        },
    )
    assert response.status_code == 302
    created = Household.objects.get(address="建湘路11号")
    assert created.vulnerable and created.residents.get().name == "毛春生"
    moved = client.post(
        f"/grid/households/{created.pk}/edit/",
        {"grid": g.grid2.pk, "label": "11栋101室", "address": "建湘路11号", "tags": ["dibao"]},
    )
    assert moved.status_code == 302
    created.refresh_from_db()
    assert created.grid_id == g.grid2.pk
    again = client.post(
        "/grid/households/new/", {"grid": g.grid1.pk, "label": "x", "address": g.h1.address}
    )
    assert again.status_code == 400 and "已登记地址为" in again.content.decode()


def test_pickers_offer_grids_and_the_members_who_may_link(
    g: Any, cast: Any, client: Client
) -> None:
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.datang))
    grids = client.get("/grid/pick/grids/?q=党员微网格&target=grid").content.decode()
    assert "第1党员微网格" in grids and "第2党员微网格" in grids
    members = client.get(f"/grid/pick/members/?household={g.h1.pk}&target=member").content.decode()
    # m1 (the branch) may link h1; m2 (第2党员微网格) may not; 易长青 is in another district.
    assert "陈建华" in members and "黄丽娟" not in members and "易长青" not in members


def test_settings_page_changes_rules_for_the_city_only(g: Any, cast: Any, client: Client) -> None:
    from banshi.grid.models import VisitRule

    client.force_login(cast.make(Role.ORG_ADMIN, g.tree.kaifu))
    page = client.get("/grid/settings/")
    assert page.status_code == 200 and "由市级组织管理员维护" in page.content.decode()
    refused = client.post(
        "/grid/settings/", {"form": "rule", "household_class": "vulnerable", "interval_days": "15"}
    )
    assert refused.status_code == 403
    assert VisitRule.objects.get(household_class="vulnerable").interval_days == 30
    client.force_login(cast.make(Role.ORG_ADMIN, g.tree.city))
    done = client.post(
        "/grid/settings/", {"form": "rule", "household_class": "vulnerable", "interval_days": "15"}
    )
    assert done.status_code == 302
    assert VisitRule.objects.get(household_class="vulnerable").interval_days == 15


def test_the_import_page_lists_every_bad_row_and_writes_nothing(
    g: Any, cast: Any, client: Client
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["微网格", "门牌", "地址", "标签", "姓名"])
    book.active.append(["第1党员微网格", "12栋", "建湘路12号", "", "邹建军"])
    book.active.append(["第7党员微网格", "13栋", "建湘路13号", "", "邹丽华"])
    book.active.append(["第1党员微网格", "14栋", "建湘路14号", "暴富", "邹一鸣"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = Household.objects.count()
    client.force_login(cast.make(Role.COMMUNITY_WORKER, g.tree.datang))
    response = client.post(
        "/grid/households/import/",
        {"unit": g.tree.datang.pk, "file": SimpleUploadedFile("台账.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第3行：“新大塘社区”下没有名为“第7党员微网格”的微网格或社区" in text
    assert "第4行：未知的住户标签：暴富" in text
    assert Household.objects.count() == before
    template = client.get(f"/grid/households/import/?unit={g.tree.datang.pk}&template=1")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
