"""Staff pages per role: allowed, denied (403 with the service's Chinese message shown on the
form), 404 out of the subtree; intake with duplicates; the detail page's caller masking and
logged reveal; uploads checked; the list page's filters, pagination and bounded queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from banshi.accounts.roles import Role
from banshi.audit.models import PersonalDataAccess
from banshi.workorders.choices import Status
from banshi.workorders.models import Attachment, Event, WorkOrder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_staff_pages_need_a_login(client: Client, tree: Any) -> None:
    for url in ["/workorders/", "/workorders/list/", "/workorders/intake/", "/workorders/metrics/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_workbench_shows_each_role_its_queues_with_counts(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    orders.at("received")
    orders.at("dispatched")
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    text = _as(client, dispatcher).get("/workorders/").content.decode()
    assert 'id="queue-to_dispatch"><b>1</b>待派单' in text
    assert "queue-to_sign" not in text
    handler = cast.make(Role.HANDLER, tree.xiufeng)
    text = _as(Client(), handler).get("/workorders/").content.decode()
    assert 'id="queue-to_sign"><b>1</b>待签收' in text and "queue-to_dispatch" not in text
    assert "接诉即办" in text and "三率排名" not in text  # nav by role


def test_the_detail_page_is_404_outside_the_subtree_and_for_junk_ids(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()
    outsider = cast.make(Role.DISPATCHER, tree.yuhua)
    _as(client, outsider)
    for ref in [order.pk, order.number, "abc", "9" * 30, "-1"]:
        response = client.get(f"/workorders/{ref}/")
        assert response.status_code == 404
        assert order.title not in response.content.decode()
    response = client.post(f"/workorders/{order.pk}/act/dispatch/", {"lead_unit": tree.tiaoma.pk})
    assert response.status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).status == Status.RECEIVED


def test_a_dispatcher_dispatches_with_co_units_through_the_page(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    _as(client, dispatcher)
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-dispatch"' in page and 'id="act-sign"' not in page
    assert 'data-pick-name="秀峰街道"' in page  # a quick pick from where the request is
    response = client.post(
        f"/workorders/{order.pk}/act/dispatch/",
        {"lead_unit": tree.xiufeng.pk, "co_units": [tree.xinhe.pk], "note": "请尽快处理"},
    )
    assert response.status_code == 302
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.DISPATCHED and fresh.lead_unit == tree.xiufeng
    assert [link.unit for link in fresh.co_unit_links.all()] == [tree.xinhe]


@pytest.mark.parametrize(
    ("lead", "status", "message"),
    [
        ("tiaoma", 404, "不在您的派单范围内"),
        ("99999999999", 404, "不存在"),
        ("abc", 404, "主办单位无效"),
        ("", 404, "主办单位无效"),
    ],
)
def test_dispatch_to_an_unknown_or_foreign_unit_is_refused_on_the_form(
    client: Client, orders: Any, tree: Any, cast: Any, lead: str, status: int, message: str
) -> None:
    order = orders.submit()
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    value = getattr(tree, lead).pk if hasattr(tree, lead) else lead
    response = client.post(f"/workorders/{order.pk}/act/dispatch/", {"lead_unit": value})
    assert response.status_code == status
    text = response.content.decode()
    assert message in text and 'id="act-dispatch" open' in text
    assert WorkOrder.objects.get(pk=order.pk).version == order.version


def test_a_handler_cannot_dispatch_and_sees_why(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()
    _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    assert 'id="act-dispatch"' not in client.get(f"/workorders/{order.pk}/").content.decode()
    response = client.post(f"/workorders/{order.pk}/act/dispatch/", {"lead_unit": tree.xiufeng.pk})
    assert response.status_code == 403 and "您无权派单" in response.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).status == Status.RECEIVED


def test_a_handler_signs_contacts_and_replies_with_evidence(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched")
    handler = cast.make(Role.HANDLER, tree.xiufeng)
    _as(client, handler)
    assert client.post(f"/workorders/{order.pk}/act/sign/").status_code == 302
    assert (
        client.post(
            f"/workorders/{order.pk}/act/contact/", {"note": "已电话联系张女士"}
        ).status_code
        == 302
    )
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-reply"' in page and 'id="act-request_extension"' in page
    assert "剩余" in page  # the countdown
    response = client.post(
        f"/workorders/{order.pk}/act/reply/",
        {
            "result": "已修补路面",
            "solved": "1",
            "files": [
                SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
                SimpleUploadedFile("验收单.pdf", PDF, content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 302
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.REPLIED and fresh.reply_solved is True
    files = list(Attachment.objects.filter(order=order, stage="reply"))
    assert sorted(f.content_type for f in files) == ["application/pdf", "image/png"]
    page = client.get(f"/workorders/{order.pk}/").content.decode()
    image = next(f for f in files if f.is_image)
    assert f'<img src="/workorders/{order.pk}/attachments/{image.pk}/"' in page
    assert client.get(f"/workorders/{order.pk}/attachments/{image.pk}/").status_code == 200
    outsider = _as(Client(), cast.make(Role.HANDLER, tree.tiaoma))
    assert outsider.get(f"/workorders/{order.pk}/attachments/{image.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"result": "已办", "solved": "1", "files": [("a.pdf", b"MZ\x90\x00 not a pdf")]},
            "类型不支持",
        ),
        (
            {
                "result": "已办",
                "solved": "1",
                "files": [("a.png", PNG + b"\x00" * (10 * 1024 * 1024))],
            },
            "超过10MB",
        ),
        ({"result": "", "solved": "1"}, "办理结果不能为空"),
        ({"result": "已办"}, "请选择是否已解决"),
        ({"result": "已\x00办", "solved": "1"}, "非法字符"),
        ({"result": "办" * (1024 * 1024), "solved": "1"}, "不能超过4000个字符"),
    ],
)
def test_a_bad_reply_is_refused_and_nothing_is_written(
    client: Client, orders: Any, tree: Any, cast: Any, data: dict[str, Any], message: str
) -> None:
    order = orders.at("in_progress")
    _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    if "files" in data:
        data["files"] = [SimpleUploadedFile(n, b) for n, b in data["files"]]
    response = client.post(f"/workorders/{order.pk}/act/reply/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).status == Status.IN_PROGRESS
    assert not Attachment.objects.filter(order=order).exists()
    assert not Event.objects.filter(order=order, action="reply").exists()


def test_a_unit_requests_a_return_with_evidence_and_the_dispatcher_redispatches(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched")
    _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    response = client.post(
        f"/workorders/{order.pk}/act/request_return/",
        {"reason": "不属本街道职责", "files": [SimpleUploadedFile("依据.pdf", PDF)]},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(order=order, stage="return").count() == 1
    dispatcher = _as(Client(), cast.make(Role.DISPATCHER, tree.kaifu))
    queue = dispatcher.get("/workorders/queues/returns/").content.decode()
    assert order.number in queue
    response = dispatcher.post(
        f"/workorders/{order.pk}/act/redispatch/", {"lead_unit": tree.xinhe.pk}
    )
    assert response.status_code == 302
    assert WorkOrder.objects.get(pk=order.pk).lead_unit == tree.xinhe


def test_the_dispatcher_audits_and_calls_back_unreachable(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("replied")
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    assert order.number in client.get("/workorders/queues/to_audit/").content.decode()
    assert client.post(f"/workorders/{order.pk}/act/audit_pass/").status_code == 302
    assert WorkOrder.objects.get(pk=order.pk).status == Status.CALLBACK
    assert (
        client.post(f"/workorders/{order.pk}/act/callback/", {"unreachable": "1"}).status_code
        == 302
    )
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.CLOSED and fresh.unreachable


def test_extension_request_and_approval(client: Client, orders: Any, tree: Any, cast: Any) -> None:
    order = orders.at("in_progress")
    handler = _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    bad = handler.post(
        f"/workorders/{order.pk}/act/request_extension/", {"days": "99", "reason": "协调"}
    )
    assert bad.status_code == 400 and "延期天数应为1至30个工作日" in bad.content.decode()
    handler.post(f"/workorders/{order.pk}/act/request_extension/", {"days": "3", "reason": "协调"})
    dispatcher = _as(Client(), cast.make(Role.DISPATCHER, tree.kaifu))
    assert order.number in dispatcher.get("/workorders/queues/extensions/").content.decode()
    page = dispatcher.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-approve_extension"' in page
    dispatcher.post(f"/workorders/{order.pk}/act/approve_extension/", {"note": ""})
    assert WorkOrder.objects.get(pk=order.pk).extended_days == 3


def test_supervisor_urges_and_issues_a_supervision_order_leader_instructs(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("in_progress")
    supervisor = _as(client, cast.make(Role.SUPERVISOR, tree.kaifu))
    page = supervisor.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-supervise"' in page and 'id="act-dispatch"' not in page
    supervisor.post(f"/workorders/{order.pk}/act/urge/", {"note": "请加快"})
    past = supervisor.post(
        f"/workorders/{order.pk}/act/supervise/", {"note": "列入督办", "due": "2020-01-01T10:00"}
    )
    assert past.status_code == 400 and "督办时限必须晚于现在" in past.content.decode()
    due = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    supervisor.post(f"/workorders/{order.pk}/act/supervise/", {"note": "列入督办", "due": due})
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.urge_count == 1 and fresh.supervised
    for name in ["urged", "supervised"]:
        assert order.number in supervisor.get(f"/workorders/queues/{name}/").content.decode()
    leader = _as(Client(), cast.make(Role.LEADER, tree.kaifu))
    leader.post(f"/workorders/{order.pk}/act/instruct/", {"instruction": "请街道主要负责同志督办"})
    assert WorkOrder.objects.get(pk=order.pk).leader_instruction == "请街道主要负责同志督办"
    denied = leader.post(f"/workorders/{order.pk}/act/urge/", {"note": "x"})
    assert denied.status_code == 403 and "您无权催办" in denied.content.decode()


def test_an_unknown_action_is_404(client: Client, orders: Any, tree: Any, cast: Any) -> None:
    order = orders.submit()
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    for action in ["rate", "auto_rate", "explode", "x" * 100]:
        assert client.post(f"/workorders/{order.pk}/act/{action}/").status_code == 404


def test_queue_of_another_role_is_refused(client: Client, tree: Any, cast: Any) -> None:
    _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    assert client.get("/workorders/queues/to_dispatch/").status_code == 403
    assert client.get("/workorders/queues/nope/").status_code == 404


# --- intake -----------------------------------------------------------------------------------


def _intake(leaf: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "token": "k" * 32,
        "channel": "phone",
        "caller_name": "李建国",
        "caller_phone": "13912345678",
        "kind": "help",
        "category": str(leaf.pk),
        "urgency": "normal",
        "address": "开福区秀峰街道新大塘社区建湘路3号",
        "org_unit": "",
        "content": "建湘路3号路面破损，老人出行不便。",
    }
    data.update(overrides)
    return data


def test_an_operator_records_a_call_once_and_sees_duplicates(
    client: Client, orders: Any, tree: Any, cast: Any, leaf: Any
) -> None:
    earlier = orders.submit(caller_phone="13912345678")
    operator = _as(client, cast.make(Role.OPERATOR, tree.kaifu))
    assert "登记来电诉求" in operator.get("/workorders/intake/").content.decode()
    dupes = operator.get(
        "/workorders/intake/duplicates/", {"caller_phone": "139 1234 5678", "category": ""}
    ).content.decode()
    assert earlier.number in dupes
    assert (
        "未发现重复工单"
        in operator.get(
            "/workorders/intake/duplicates/", {"caller_phone": "13700000000"}
        ).content.decode()
    )
    data = _intake(leaf, org_unit=str(tree.datang.pk))
    first = operator.post("/workorders/intake/", data)
    second = operator.post("/workorders/intake/", data)
    assert first.status_code == second.status_code == 302
    order = WorkOrder.objects.exclude(pk=earlier.pk).get()
    assert order.channel == "phone" and order.org_unit == tree.datang
    page = operator.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="act-answer"' in page and 'id="act-merge"' in page and earlier.number in page
    response = operator.post(f"/workorders/{order.pk}/act/merge/", {"parent": earlier.number})
    assert response.status_code == 302
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert fresh.status == Status.MERGED and fresh.parent == earlier


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"caller_phone": "1391234"}, 400, "联系电话格式不正确"),
        ({"content": ""}, 400, "诉求内容不能为空"),
        ({"category": "abc"}, 400, "诉求分类不存在"),
        ({"org_unit": "tiaoma"}, 404, "所选区域不存在或不在您的管辖范围内"),
        ({"org_unit": "12345678901234567890123"}, 404, "所选区域不存在"),
        ({"channel": "open311"}, 400, "来源渠道"),
        ({"caller_name": "李\x00建国"}, 400, "非法字符"),
        ({"address": "", "org_unit": ""}, 400, "请提供诉求地点"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_written(
    client: Client,
    tree: Any,
    cast: Any,
    leaf: Any,
    overrides: dict[str, Any],
    status: int,
    message: str,
) -> None:
    if overrides.get("org_unit") == "tiaoma":
        overrides["org_unit"] = str(tree.tiaoma.pk)
    _as(client, cast.make(Role.OPERATOR, tree.kaifu))
    response = client.post("/workorders/intake/", _intake(leaf, **overrides))
    assert response.status_code == status and message in response.content.decode()
    assert WorkOrder.objects.count() == 0


def test_an_operator_answers_directly_and_invalidates(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    first, second = orders.submit(), orders.submit()
    operator = _as(client, cast.make(Role.OPERATOR, tree.kaifu))
    operator.post(f"/workorders/{first.pk}/act/answer/", {"answer": "该路段已列入维修计划。"})
    assert WorkOrder.objects.get(pk=first.pk).status == Status.ANSWERED
    bad = operator.post(f"/workorders/{second.pk}/act/invalidate/", {"reason": "bored"})
    assert bad.status_code == 400 and "不予受理原因无效" in bad.content.decode()
    operator.post(f"/workorders/{second.pk}/act/invalidate/", {"reason": "harassment"})
    assert WorkOrder.objects.get(pk=second.pk).invalid_reason == "harassment"
    third = orders.submit()
    operator.post(f"/workorders/{third.pk}/act/queue/", {"note": ""})
    assert WorkOrder.objects.get(pk=third.pk).status == Status.PENDING_DISPATCH


def test_unit_search_offers_only_units_in_the_dispatch_scope(
    client: Client, tree: Any, cast: Any
) -> None:
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    text = client.get("/workorders/units/", {"q": "街道"}).content.decode()
    assert "秀峰街道" in text and "新河街道" in text and "跳马镇" not in text
    found = client.get("/workorders/units/", {"q": "跳马"}).content.decode()
    assert "没有找到" in found and "data-pick-id" not in found
    handler = _as(Client(), cast.make(Role.HANDLER, tree.xiufeng))
    assert handler.get("/workorders/units/", {"q": "街道"}).status_code == 403


# --- caller privacy -----------------------------------------------------------------------------


def test_a_confidential_caller_is_hidden_from_the_unit_and_revealed_to_the_centre_with_a_log(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched", confidential=True)
    handler = _as(client, cast.make(Role.HANDLER, tree.xiufeng))
    page = handler.get(f"/workorders/{order.pk}/").content.decode()
    assert 'id="caller-name">保密<' in page and "13812345678" not in page
    assert "138****5678" not in page and "reveal-phone" not in page
    assert handler.post(f"/workorders/{order.pk}/reveal-phone/").status_code == 403
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    centre = _as(Client(), dispatcher)
    page = centre.get(f"/workorders/{order.pk}/").content.decode()
    assert "138****5678" in page and "查看完整号码（留痕）" in page and "13812345678" not in page
    response = centre.post(f"/workorders/{order.pk}/reveal-phone/")
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(actor=dispatcher).count() == 1


def test_a_plain_caller_is_masked_for_roles_without_the_pii_right(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.at("dispatched")
    page = _as(client, cast.make(Role.HANDLER, tree.xiufeng)).get(f"/workorders/{order.pk}/")
    text = page.content.decode()
    assert "138****5678" in text and "13812345678" not in text and "reveal-phone" not in text


# --- the list -----------------------------------------------------------------------------------


def test_the_list_filters_and_pages_with_a_cursor(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    made = [orders.submit() for _ in range(3)]
    dispatched = orders.at("dispatched")
    foreign = orders.submit(org_unit=tree.tiaoma, address="雨花区跳马镇")
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    text = client.get("/workorders/list/").content.decode()
    assert all(o.number in text for o in [*made, dispatched]) and foreign.number not in text
    text = client.get("/workorders/list/", {"status": "dispatched"}).content.decode()
    assert dispatched.number in text and made[0].number not in text
    assert 'class="light light-' in text
    from banshi.workorders.clock import light_of

    light = light_of(dispatched, timezone.now())
    assert light
    text = client.get("/workorders/list/", {"light": light}).content.decode()
    assert dispatched.number in text and made[0].number not in text
    text = client.get("/workorders/list/", {"q": made[1].number}).content.decode()
    assert made[1].number in text and made[0].number not in text
    from banshi.workorders import selectors

    old = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 2
    try:
        first = client.get("/workorders/list/").content.decode()
        assert "下一页" in first and dispatched.number in first and made[0].number not in first
        cursor = first.split("cursor=")[1].split('"')[0]
        second = client.get("/workorders/list/", {"cursor": cursor}).content.decode()
        assert made[1].number in second and made[0].number in second
        assert dispatched.number not in second and "下一页" not in second
    finally:
        selectors.PAGE_SIZE = old


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"light": "purple"}, "灯色"),
        ({"status": "lost"}, "状态"),
        ({"received_from": "2026-13-45"}, "受理日期自"),
        ({"category": "abc"}, "分类编号无效"),
        ({"cursor": "1' or 1=1"}, "游标无效"),
    ],
)
def test_bad_list_filters_answer_in_chinese(
    client: Client, tree: Any, cast: Any, params: dict[str, str], message: str
) -> None:
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    response = client.get("/workorders/list/", params)
    assert 400 <= response.status_code < 500 and message in response.content.decode()


def test_the_list_page_runs_a_bounded_number_of_queries(
    client: Client, orders: Any, tree: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        orders.at("dispatched")
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    client.get("/workorders/list/")  # warm the session and the resolver caches
    with django_assert_max_num_queries(14) as few:
        client.get("/workorders/list/")
    for _ in range(12):
        orders.at("dispatched")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/workorders/list/")
    assert response.content.decode().count('class="light light-') == 15


def test_list_dates_at_the_ends_of_the_calendar_mean_no_limit(
    client: Client, orders: Any, tree: Any, cast: Any
) -> None:
    order = orders.submit()
    _as(client, cast.make(Role.DISPATCHER, tree.kaifu))
    for dates in (
        {"received_from": "0001-01-01", "received_to": "9999-12-31"},
        {"received_from": "0001-01-01"},
        {"received_to": "9999-12-31"},
    ):
        response = client.get("/workorders/list/", dates)
        assert response.status_code == 200, dates
        assert order.number in response.content.decode(), dates
    response = client.get("/workorders/list/", {"received_to": "0001-01-01"})
    assert response.status_code == 200 and order.number not in response.content.decode()
