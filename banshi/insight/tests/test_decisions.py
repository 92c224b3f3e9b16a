"""What the dispatcher accepted or overrode: one row per dispatch, against the suggestion the
assistant made with the model of that moment; the accuracy figure built from those rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.insight import engine, selectors
from banshi.insight.models import DispatchDecision
from banshi.orgtree.choices import Level
from banshi.orgtree.services import orgunit_create
from banshi.workorders.models import WorkOrder
from banshi.workorders.services import transition

from .conftest import NOW, leaf

LIGHTS = "小区门口那排路灯坏了一个多月，晚上黑漆漆的，老人出门很不方便"


@pytest.fixture
def water(tree: Any) -> Any:
    return orgunit_create(
        actor=None, parent=tree.city, level=Level.FUNCTIONAL, name="长沙水业集团", code="4301F03"
    )


def test_a_dispatch_that_keeps_the_first_suggestion_is_recorded_as_accepted(
    model: Any, requests_: Any, tree: Any
) -> None:
    order = requests_.submit("010303", content=LIGHTS)  # 路灯不亮, as the citizen chose
    order = transition(
        actor=requests_.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk},
        now=NOW,
    )
    decision = DispatchDecision.objects.get(order=order)
    assert decision.action == "dispatch"
    assert decision.decided_at == NOW  # the dispatch's own moment
    assert decision.model_version == model.version
    assert decision.actor == requests_.boss
    assert decision.suggested_categories[0]["code"] == "010303"
    assert len(decision.suggested_categories) == 5
    assert decision.category_before.code == decision.category.code == "010303"
    assert decision.category_rank == 1 and decision.category_accepted
    assert decision.unit == tree.xiufeng
    assert decision.unit_rank == 1  # no history yet: the street where it is comes first


def test_an_override_of_category_and_unit_is_recorded_with_their_ranks(
    model: Any, requests_: Any, tree: Any
) -> None:
    order = requests_.submit("010301", content=LIGHTS)  # recorded as 道路破损 by mistake
    order = transition(
        actor=requests_.boss,
        order=order,
        action="dispatch",
        data={"lead_unit": tree.city_bureau.pk, "category": leaf("010303").pk},
        now=NOW,
    )
    decision = DispatchDecision.objects.get(order=order)
    assert decision.category_before.code == "010301"
    assert decision.category.code == "010303"
    assert decision.category_rank == 1  # the dispatcher moved it to what was suggested
    assert decision.unit == tree.city_bureau
    assert decision.unit_rank is None  # the bureau was not among the suggested units
    assert not decision.unit_accepted


def test_the_unit_suggestion_recorded_leaves_the_request_itself_out(
    model: Any, requests_: Any, water: Any
) -> None:
    order = requests_.dispatched("040101", water, content="小区停水一整天")
    decision = DispatchDecision.objects.get(order=order)
    # Nothing else was ever led by the water company: the request's own dispatch is not evidence.
    assert water.pk not in [u["id"] for u in decision.suggested_units]
    second = requests_.dispatched("040101", water, content="小区又停水了")
    third = requests_.dispatched("040101", water, content="整栋楼没有水")
    fourth = requests_.dispatched("040101", water, content="家里停水两天")
    assert DispatchDecision.objects.get(order=fourth).unit_rank == 1  # three before it
    assert DispatchDecision.objects.get(order=third).unit_rank != 1
    assert second.pk != third.pk


def test_a_redispatch_is_recorded_too(model: Any, requests_: Any, tree: Any) -> None:
    order = requests_.dispatched("010303", tree.xiufeng, content=LIGHTS)
    order = transition(
        actor=requests_.boss,
        order=order,
        action="request_return",
        data={"reason": "路灯由城管局负责"},
        now=NOW,
    )
    transition(
        actor=requests_.boss,
        order=order,
        action="redispatch",
        data={"lead_unit": tree.city_bureau.pk},
        now=NOW,
    )
    actions = list(
        DispatchDecision.objects.filter(order=order).order_by("id").values_list("action", "unit_id")
    )
    assert actions == [("dispatch", tree.xiufeng.pk), ("redispatch", tree.city_bureau.pk)]


def test_without_a_stored_model_the_dispatch_goes_ahead_unrecorded(
    requests_: Any, tree: Any
) -> None:
    order = requests_.dispatched("010303", tree.xiufeng, content=LIGHTS)
    assert order.status == "dispatched"
    assert not DispatchDecision.objects.exists()


def test_a_broken_assistant_cannot_block_a_dispatch(
    model: Any, requests_: Any, tree: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("模型损坏")

    monkeypatch.setattr(engine, "suggest", broken)
    order = requests_.dispatched("010303", tree.xiufeng, content=LIGHTS)
    assert WorkOrder.objects.get(pk=order.pk).status == "dispatched"
    assert not DispatchDecision.objects.exists()


def test_accuracy_counts_first_dispatches_in_the_viewers_scope(
    model: Any, requests_: Any, tree: Any, cast: Any
) -> None:
    requests_.dispatched("010303", tree.xiufeng, content=LIGHTS)  # accepted
    wrong = requests_.submit("010301", content=LIGHTS)
    transition(
        actor=requests_.boss,
        order=wrong,
        action="dispatch",
        data={"lead_unit": tree.xiufeng.pk, "category": leaf("010302").pk},  # 井盖: overridden
        now=NOW,
    )
    elsewhere = requests_.submit("010303", content=LIGHTS, org_unit=tree.shiyanhu, address="")
    transition(
        actor=requests_.boss,
        order=elsewhere,
        action="dispatch",
        data={"lead_unit": tree.tiaoma.pk},
        now=NOW,
    )
    city = selectors.accuracy(cast.make(Role.ANALYST, tree.city), now=NOW)
    assert city.decisions == 3
    assert city.category_top1 == pytest.approx(2 / 3, abs=1e-3)
    kaifu = selectors.accuracy(cast.make(Role.ANALYST, tree.kaifu), now=NOW)
    assert kaifu.decisions == 2
    assert kaifu.category_top1 == 0.5
    assert kaifu.by_version[0]["version"] == model.version
    nobody = selectors.accuracy(cast.make(Role.HANDLER, tree.kaifu), now=NOW)
    assert nobody.decisions == 0 and nobody.category_top1 is None


def test_one_click_from_the_queue_dispatches_as_suggested_and_counts_as_accepted(
    client: Client, model: Any, requests_: Any, tree: Any, cast: Any
) -> None:
    order = requests_.submit("010301", content=LIGHTS, title="<b>路灯</b>")
    dispatcher = cast.make(Role.DISPATCHER, tree.kaifu)
    client.force_login(dispatcher)
    page = client.get("/workorders/queues/to_dispatch/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "智能派单建议（模型 v1）" in html
    assert f'action="/workorders/{order.pk}/act/dispatch/"' in html
    assert "<b>路灯</b>" not in html and "&lt;b&gt;路灯&lt;/b&gt;" in html
    response = client.post(
        f"/workorders/{order.pk}/act/dispatch/",
        {"lead_unit": str(tree.xiufeng.pk), "category": str(leaf("010303").pk)},
    )
    assert response.status_code == 302
    decision = DispatchDecision.objects.get(order=order)
    assert decision.category.code == "010303"
    assert (decision.category_rank, decision.unit_rank) == (1, 1)


def test_the_dispatch_form_shows_the_suggestions_and_the_model_version(
    client: Client, model: Any, requests_: Any, tree: Any, cast: Any
) -> None:
    order = requests_.submit("010301", content=LIGHTS)
    client.force_login(cast.make(Role.DISPATCHER, tree.kaifu))
    html = client.get(f"/workorders/{order.pk}/").content.decode()
    assert "智能派单建议（模型 v1）" in html
    assert f'data-suggest-category="{leaf("010303").pk}"' in html
    assert 'name="category" value="" data-suggest-target' in html
    assert f'data-pick-id="{tree.xiufeng.pk}"' in html
    assert '<script src="/static/insight/suggest.js" defer></script>' in html
    # a handler of the street sees the request but gets no dispatch suggestions
    client.force_login(cast.make(Role.OPERATOR, tree.kaifu))
    assert "智能派单建议" not in client.get(f"/workorders/{order.pk}/").content.decode()
