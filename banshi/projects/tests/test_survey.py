"""The residents' 销号 survey counts each resident once: a one-time invitation per linked citizen,
consumed by compare-and-set, or an SMS code to a mobile on the project's linked requests or the
household register of its area; one answer per mobile; codes expire and die after wrong tries;
limits per address answer 429; every refusal is counted and shown to staff."""

from __future__ import annotations

import datetime
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.audit.models import ChangeRecord
from banshi.core.errors import Conflict, DomainError, ValidationFailed
from banshi.notify.models import Message
from banshi.projects import services
from banshi.projects.choices import EvaluationChannel, Status
from banshi.projects.models import (
    Evaluation,
    Project,
    SurveyCode,
    SurveyInvitation,
    SurveyRejection,
)
from banshi.projects.services import survey as survey_service
from banshi.projects.tests.conftest import Scene
from banshi.projects.tests.test_links import order

pytestmark = pytest.mark.django_db

RESIDENT = "13812345678"  # 张秀英, in the register of 新大塘社区 (inside the project's 秀峰街道)
OTHER_DISTRICT = "13912345678"  # 李建国, in the register of 雨花区's 石燕湖村
STRANGER = "13700000000"  # on no list


def _url(project: Project) -> str:
    return reverse("projects_public:survey", args=[project.survey_token])


def _online(project: Project) -> int:
    return Evaluation.objects.filter(project=project, channel=EvaluationChannel.ONLINE).count()


def _refused(project: Project) -> dict[str, int]:
    return dict(SurveyRejection.objects.filter(project=project).values_list("reason", "count"))


def _last_code(phone: str) -> str:
    message = Message.objects.filter(template="projects.survey_code", address=phone).latest("id")
    match = re.search(r"验证码(\d{6})", message.body)
    assert match, message.body
    return match.group(1)


def _invitation_token(phone: str, template: str = "projects.survey_invite") -> str:
    message = Message.objects.filter(template=template, address=phone).latest("id")
    match = re.search(r"/public/projects/invite/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def _vote(client: Client, project: Project, phone: str, code: str, choice: str = "satisfied"):
    return client.post(
        _url(project), {"action": "vote", "phone": phone, "code": code, "choice": choice}
    )


def _ask_code(client: Client, project: Project, phone: str):
    return client.post(_url(project), {"action": "code", "phone": phone})


# --- The attack from the report -----------------------------------------------------------------


def test_four_fresh_sessions_from_one_address_count_one_vote(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    scene.evaluate(project, satisfied=7)
    # The attack as reported: a fresh session per answer, no proof of anything.
    for _ in range(4):
        answer = _client().post(_url(project), {"choice": "satisfied", "comment": "很好"})
        assert answer.status_code == 400
    assert _online(project) == 0
    # The same with a real resident's mobile: each fresh session asks for a code and answers.
    statuses = []
    for _ in range(4):
        session = _client()
        asked = _ask_code(session, project, RESIDENT)
        if asked.status_code == 200:
            statuses.append(_vote(session, project, RESIDENT, _last_code(RESIDENT)).status_code)
        else:
            statuses.append(asked.status_code)
    assert statuses[0] == 200 and all(s in (409, 429) for s in statuses[1:])
    assert _online(project) == 1
    assert Evaluation.objects.filter(project=project).count() == 8  # 7 on site + 1 online
    assert _refused(project)["duplicate"] >= 1


def test_a_resident_answers_with_mobile_and_code_once(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    client = _client()
    page = client.get(_url(project)).content.decode()
    assert "获取验证码" in page and 'name="phone"' in page
    asked = _ask_code(client, project, f"+86 {RESIDENT[:3]} {RESIDENT[3:7]}-{RESIDENT[7:]}")
    text = asked.content.decode()
    assert asked.status_code == 200 and "验证码已发送至138****5678" in text
    assert RESIDENT not in text  # shown masked (the form echoes only what was typed)
    code = _last_code(RESIDENT)
    answered = _vote(client, project, RESIDENT, code, "basic")
    assert answered.status_code == 200 and "感谢您的评价" in answered.content.decode()
    evaluation = Evaluation.objects.get(project=project, channel=EvaluationChannel.ONLINE)
    assert evaluation.choice == "basic" and evaluation.work_order is None
    # The code is spent, and the mobile has answered: neither works again.
    again = _vote(_client("198.51.100.1"), project, RESIDENT, code)
    assert again.status_code == 400
    asked = _ask_code(_client("198.51.100.2"), project, RESIDENT)
    assert asked.status_code == 409 and "只能评价一次" in asked.content.decode()
    assert _online(project) == 1


def test_the_mobile_is_kept_only_as_a_keyed_hash(scene: Scene) -> None:
    project = scene.project(Status.IN_PROGRESS)
    services.orders_link(
        actor=scene.admin, project=project, orders=[order(scene.tree.datang, phone="13900001111")]
    )
    scene.step(project, Status.CLAIMED)
    project.refresh_from_db()
    client = _client()
    _ask_code(client, project, RESIDENT)
    _vote(client, project, RESIDENT, _last_code(RESIDENT))
    rows = [
        *SurveyCode.objects.filter(project=project),
        *SurveyInvitation.objects.filter(project=project),
        *Evaluation.objects.filter(project=project),
    ]
    assert len(rows) == 3
    for row in rows:
        dumped = str(model_to_dict(row))
        assert RESIDENT not in dumped and "13900001111" not in dumped
    assert SurveyInvitation.objects.get(project=project).phone_tail == "1111"
    history = ChangeRecord.objects.filter(action__startswith="project.evaluate")
    assert history.exists()
    assert RESIDENT not in str(list(history.values_list("before", "after")))


# --- Invitations ------------------------------------------------------------------------------------


def _claimed_with_linked_citizen(scene: Scene, phone: str = "13900001111") -> tuple[Project, Any]:
    project = scene.project(Status.IN_PROGRESS)
    linked = order(scene.tree.datang, phone=phone)
    services.orders_link(actor=scene.admin, project=project, orders=[linked])
    assert not Message.objects.filter(template="projects.survey_invite").exists()  # not yet open
    project = scene.step(project, Status.CLAIMED)
    return project, linked


def test_claiming_invites_each_linked_citizen_and_a_reused_invitation_is_rejected(
    scene: Scene,
) -> None:
    project, linked = _claimed_with_linked_citizen(scene)
    token = _invitation_token("13900001111")
    url = reverse("projects_public:invitation", args=[token])
    page = _client().get(url).content.decode()
    assert "尾号1111" in page and "13900001111" not in page
    answered = _client().post(url, {"choice": "satisfied"})
    assert answered.status_code == 200 and "感谢您的评价" in answered.content.decode()
    evaluation = Evaluation.objects.get(project=project, channel=EvaluationChannel.ONLINE)
    assert evaluation.work_order == linked  # counted as a linked citizen's answer
    reused = _client("198.51.100.9").post(url, {"choice": "not"})
    assert reused.status_code == 409 and "该邀请链接已使用" in reused.content.decode()
    assert "该邀请链接已使用" in _client().get(url).content.decode()
    assert _online(project) == 1 and _refused(project) == {"duplicate": 1}
    # The same mobile cannot answer again by SMS code either.
    asked = _ask_code(_client(), project, "13900001111")
    assert asked.status_code == 409
    unknown = _client().post(reverse("projects_public:invitation", args=["x" * 22]), {})
    assert unknown.status_code == 404


def test_a_new_link_on_close_replaces_the_unused_one(scene: Scene) -> None:
    project, _ = _claimed_with_linked_citizen(scene)
    first = _invitation_token("13900001111")
    scene.step(project, Status.VERIFIED)
    scene.evaluate(project, satisfied=10)
    project.refresh_from_db()
    services.project_transition(actor=scene.supervisor, project=project, action="close")
    second = _invitation_token("13900001111", "projects.linked_closed")
    assert second != first
    old = _client().post(reverse("projects_public:invitation", args=[first]), {"choice": "not"})
    assert old.status_code == 404
    new = _client().post(reverse("projects_public:invitation", args=[second]), {"choice": "basic"})
    assert new.status_code == 200  # linked citizens may still rate after 销号


def test_a_stale_read_of_an_invitation_still_counts_once(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two submits that both read the invitation as unused: the compare-and-set lets one in."""
    project, _ = _claimed_with_linked_citizen(scene)
    token = _invitation_token("13900001111")
    stale = survey_service.survey_invitation(token)
    services.survey_vote_with_invitation(token=token, choice="satisfied", comment="", client="a")
    monkeypatch.setattr(survey_service, "survey_invitation", lambda _token: stale)
    assert stale.used_at is None
    with pytest.raises(Conflict):
        services.survey_vote_with_invitation(token=token, choice="not", comment="", client="b")
    assert _online(project) == 1 and _refused(project) == {"duplicate": 1}


def test_a_stale_read_of_a_code_still_counts_once(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = scene.project(Status.CLAIMED)
    services.survey_code_request(project=project, phone=RESIDENT, client="a")
    code = _last_code(RESIDENT)
    # The unique (project, respondent) constraint holds even if the code check were passed twice.
    services.survey_vote_with_code(
        project=project, phone=RESIDENT, code=code, choice="satisfied", comment="", client="a"
    )
    SurveyCode.objects.filter(project=project).update(used_at=None)
    with pytest.raises(Conflict):
        services.survey_vote_with_code(
            project=project, phone=RESIDENT, code=code, choice="not", comment="", client="b"
        )
    assert _online(project) == 1


# Skipped on SQLite before any fixture runs (so nothing is flushed there).
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="并发线程测试在 PostgreSQL 上运行（SQLite 内存测试库不支持多连接并发写）",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_invitation_count_once(scene: Scene) -> None:
    from banshi.workorders.models import Category, TimeLimitRule
    from banshi.workorders.taxonomy import load_taxonomy, load_time_limits

    if not Category.objects.exists():  # an earlier transactional test emptied every table
        load_taxonomy(Category)
        load_time_limits(TimeLimitRule)
    project, _ = _claimed_with_linked_citizen(scene)
    token = _invitation_token("13900001111")
    results: list[str] = []
    barrier = threading.Barrier(6)

    def submit(n: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.survey_vote_with_invitation(
                token=token, choice="satisfied", comment="", client=f"10.0.0.{n}"
            )
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1 and set(results) == {"ok", "already_evaluated"}
    assert _online(project) == 1
    assert _refused(project) == {"duplicate": 5}


# --- Who may ask for a code ---------------------------------------------------------------------


def test_a_mobile_on_no_list_is_refused_and_no_sms_is_sent(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    for phone in (STRANGER, OTHER_DISTRICT):
        refused = _ask_code(_client(), project, phone)
        assert refused.status_code == 403
        assert "不在本项目关联诉求或所在社区住户登记名单中" in refused.content.decode()
    assert not Message.objects.filter(template="projects.survey_code").exists()
    assert _refused(project) == {"not_eligible": 2}
    # A citizen of a linked request from anywhere is on the list.
    services.orders_link(
        actor=scene.admin, project=project, orders=[order(scene.tree.datang, phone=STRANGER)]
    )
    assert _ask_code(_client(), project, STRANGER).status_code == 200
    assert _ask_code(_client(), project, "12345").status_code == 400  # not a mobile: not counted
    assert _refused(project) == {"not_eligible": 2}


def test_after_close_only_linked_citizens_may_still_answer(scene: Scene) -> None:
    project = scene.project(Status.CLOSED)
    services.orders_link(
        actor=scene.admin, project=project, orders=[order(scene.tree.datang, phone=STRANGER)]
    )
    closed = _ask_code(_client(), project, RESIDENT)
    assert closed.status_code == 400 and "不在群众评价期内" in closed.content.decode()
    client = _client()
    assert _ask_code(client, project, STRANGER).status_code == 200
    assert _vote(client, project, STRANGER, _last_code(STRANGER)).status_code == 200
    assert Evaluation.objects.get(project=project, channel="online").work_order is not None


def test_the_survey_is_closed_outside_the_evaluation(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    client = _client()
    assert (
        _client().post(_url(project).replace(project.survey_token, "nope"), {}).status_code == 404
    )
    _ask_code(client, project, RESIDENT)
    bad_choice = _vote(client, project, RESIDENT, _last_code(RESIDENT), "很好")
    assert bad_choice.status_code == 400
    services.project_transition(
        actor=scene.supervisor, project=project, action="reject", note="返工"
    )
    project.refresh_from_db()
    page = client.get(_url(project)).content.decode()
    assert "该项目当前不在评价期内" in page and 'name="phone"' not in page
    assert _vote(client, project, RESIDENT, _last_code(RESIDENT)).status_code == 400
    assert _online(project) == 0


# --- Codes: expiry and wrong tries ----------------------------------------------------------------


def test_wrong_codes_are_limited_and_then_even_the_right_one_fails(
    scene: Scene, settings: Any
) -> None:
    settings.PROJECTS_SURVEY_CODE_ATTEMPTS = 3
    project = scene.project(Status.CLAIMED)
    client = _client()
    _ask_code(client, project, RESIDENT)
    code = _last_code(RESIDENT)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        answer = _vote(client, project, RESIDENT, wrong)
        assert answer.status_code == 400 and "验证码不正确或已失效" in answer.content.decode()
    assert _vote(client, project, RESIDENT, code).status_code == 400  # the code is dead
    assert _online(project) == 0
    assert _refused(project) == {"bad_code": 4}
    # A new code works.
    _ask_code(client, project, RESIDENT)
    assert _vote(client, project, RESIDENT, _last_code(RESIDENT)).status_code == 200


def test_a_code_expires(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    sent = timezone.now()
    services.survey_code_request(project=project, phone=RESIDENT, client="a", now=sent)
    code = _last_code(RESIDENT)
    late = sent + datetime.timedelta(minutes=10, seconds=1)
    with pytest.raises(ValidationFailed, match="验证码不正确或已失效"):
        services.survey_vote_with_code(
            project=project,
            phone=RESIDENT,
            code=code,
            choice="satisfied",
            comment="",
            client="a",
            now=late,
        )
    in_time = sent + datetime.timedelta(minutes=9)
    services.survey_vote_with_code(
        project=project,
        phone=RESIDENT,
        code=code,
        choice="satisfied",
        comment="",
        client="a",
        now=in_time,
    )
    assert _online(project) == 1


# --- Rate limits ------------------------------------------------------------------------------------


def test_code_requests_and_answers_are_limited_per_address_with_429(
    scene: Scene, settings: Any
) -> None:
    settings.PROJECTS_SURVEY_CODES_PER_CLIENT = 2
    settings.PROJECTS_SURVEY_VOTES_PER_CLIENT = 2
    project = scene.project(Status.CLAIMED)
    client = _client("203.0.113.50")
    # Probing the lists counts too: two refused numbers use up the address's code requests.
    assert _ask_code(client, project, STRANGER).status_code == 403
    assert _ask_code(client, project, OTHER_DISTRICT).status_code == 403
    limited = _ask_code(client, project, RESIDENT)
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()
    assert not Message.objects.filter(template="projects.survey_code").exists()
    # Another address is not affected.
    other = _client("203.0.113.51")
    assert _ask_code(other, project, RESIDENT).status_code == 200
    for _ in range(2):
        assert _vote(other, project, RESIDENT, "999999", "not").status_code == 400
    assert _vote(other, project, RESIDENT, _last_code(RESIDENT)).status_code == 429
    assert _refused(project) == {"not_eligible": 2, "rate_limited": 2, "bad_code": 2}


def test_codes_are_limited_per_mobile_whatever_the_address(scene: Scene, settings: Any) -> None:
    settings.PROJECTS_SURVEY_CODES_PER_PHONE = 2
    project = scene.project(Status.CLAIMED)
    assert _ask_code(_client("192.0.2.1"), project, RESIDENT).status_code == 200
    assert _ask_code(_client("192.0.2.2"), project, RESIDENT).status_code == 200
    assert _ask_code(_client("192.0.2.3"), project, RESIDENT).status_code == 429
    assert Message.objects.filter(template="projects.survey_code").count() == 2
    # Either code of the two works.
    codes = [
        re.search(r"验证码(\d{6})", m.body).group(1)  # type: ignore[union-attr]
        for m in Message.objects.filter(template="projects.survey_code").order_by("id")
    ]
    assert _vote(_client(), project, RESIDENT, codes[0]).status_code == 200


# --- What staff see -----------------------------------------------------------------------------------


def test_staff_see_the_refused_answers_by_reason_on_the_project_page(
    scene: Scene, client: Client, settings: Any
) -> None:
    settings.PROJECTS_SURVEY_CODES_PER_CLIENT = 2
    project, _ = _claimed_with_linked_citizen(scene)
    token = _invitation_token("13900001111")
    invite = reverse("projects_public:invitation", args=[token])
    _client().post(invite, {"choice": "satisfied"})
    _client().post(invite, {"choice": "satisfied"})  # duplicate
    attacker = _client("203.0.113.99")
    _ask_code(attacker, project, STRANGER)  # not eligible
    _ask_code(attacker, project, RESIDENT)
    _vote(attacker, project, RESIDENT, "000001" if _last_code(RESIDENT) != "000001" else "000002")
    _ask_code(attacker, project, RESIDENT)  # rate limited
    assert _refused(project) == {
        "duplicate": 1,
        "not_eligible": 1,
        "bad_code": 1,
        "rate_limited": 1,
    }
    client.force_login(scene.supervisor)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    table = page[page.index('id="survey-rejections"') :]
    table = table[: table.index("</table>")]
    for label in ("重复投票", "验证码错误或已失效", "手机号不在名单内", "请求过于频繁"):
        assert re.search(rf"{label}</td><td>1</td>", table), label
    assert 'id="survey-rejected-total">4<' in table
    assert "已向关联诉求群众发送专属邀请1份，已使用1份" in page
    # The public page shows none of it.
    public = _client().get(_url(project)).content.decode()
    assert "survey-rejections" not in public and "手机号不在名单内" not in public


def test_empty_evaluations_show_a_dash_not_zero_percent(scene: Scene, client: Client) -> None:
    project = scene.project(Status.CLAIMED)
    client.force_login(scene.supervisor)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert '<b id="satisfaction-rate">—</b>' in page
    scene.evaluate(project, satisfied=8, basic=1, not_=1)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert '<b id="satisfaction-rate">90%</b>' in page
    scene.evaluate(project, not_=1)  # 9/11 = 81.8%
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert '<b id="satisfaction-rate">81.8%</b>' in page
