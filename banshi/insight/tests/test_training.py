"""The category model: what it learns from, storing versions, and the retraining job."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from banshi.audit.models import ChangeRecord
from banshi.core.scheduler import jobs, run_once
from banshi.insight import engine
from banshi.insight.lexicon import lexicon
from banshi.insight.models import CategoryModel
from banshi.insight.services import model_train, retrain_job
from banshi.insight.training import (
    HISTORY_PER_CATEGORY,
    confirmed_orders,
    history_rows,
    leaf_paths,
    lexicon_samples,
    order_text,
)
from banshi.workorders.services import transition
from banshi.workorders.taxonomy import TAXONOMY

from .conftest import NOW


def test_the_lexicon_covers_every_leaf_of_the_default_taxonomy_with_phrases() -> None:
    phrases = lexicon()
    leaves = {f"{a}/{b}/{c}" for a, mids in TAXONOMY for b, ends in mids for c in ends}
    assert set(phrases) == leaves
    assert all(len(p) >= 8 for p in phrases.values())


def test_a_leaf_added_later_learns_its_own_name(db: Any) -> None:
    from banshi.workorders.models import Category

    parent = Category.objects.get(code="0103")
    Category.objects.create(parent=parent, name="桥梁隧道病害", code="010399", level=3)
    samples = lexicon_samples(leaf_paths())
    assert {s.text for s in samples if s.label == "010399"} == {
        "桥梁隧道病害",
        "城市管理 市政设施 桥梁隧道病害",
    }


def test_only_requests_the_centre_ruled_on_are_history(requests_: Any, tree: Any) -> None:
    waiting = requests_.submit("040101", content="小区停水一天了")
    dispatched = requests_.dispatched("040101", tree.xiufeng, content="整栋楼没水")
    answered = requests_.submit("130203", content="落户需要什么条件", kind="consult")
    transition(actor=requests_.boss, order=answered, action="answer", data={"answer": "见政策"})
    refused = requests_.submit("040101", content="测试测试")
    transition(
        actor=requests_.boss, order=refused, action="invalidate", data={"reason": "no_content"}
    )
    ids = set(confirmed_orders().values_list("pk", flat=True))
    assert ids == {dispatched.pk, answered.pk}
    assert waiting.pk not in ids and refused.pk not in ids


def test_history_takes_the_newest_requests_of_each_category_up_to_the_cap(
    requests_: Any, tree: Any, monkeypatch: Any
) -> None:
    import banshi.insight.training as training

    monkeypatch.setattr(training, "HISTORY_PER_CATEGORY", 2)
    made = [
        requests_.dispatched(
            "040101", tree.xiufeng, content=f"停水第{i}次", now=NOW + datetime.timedelta(hours=i)
        )
        for i in range(3)
    ]
    rows = history_rows()
    assert [r[0] for r in rows] == [made[2].pk, made[1].pk]
    assert HISTORY_PER_CATEGORY >= 100


def test_the_title_is_read_unless_it_is_just_the_content_beginning() -> None:
    assert order_text("小区停水", "小区停水一整天了") == "小区停水一整天了"
    assert order_text("井盖缺失", "建湘路口有个大洞") == "井盖缺失。建湘路口有个大洞"
    assert order_text("", "内容") == "内容"


def test_training_stores_numbered_versions_with_what_they_learnt(requests_: Any, tree: Any) -> None:
    requests_.dispatched("040101", tree.xiufeng, content="小区一直没有水，洗漱都困难")
    first = model_train(actor=None, now=NOW)
    second = model_train(actor=None, now=NOW)
    assert (first.version, second.version) == (1, 2)
    assert first.history_samples == 1
    assert first.lexicon_samples > 1000
    assert first.classes == 110
    record = ChangeRecord.objects.get(action="insight.model_train", object_id=str(first.pk))
    assert record.after["version"] == 1
    engine.forget()
    version, classifier = engine.current_model()
    assert version == 2
    assert classifier.rank("家里停水两天了")[0][0] == "040101"


def test_the_first_suggestion_of_a_new_installation_trains_the_model(db: Any) -> None:
    assert not CategoryModel.objects.exists()
    ask = engine.clean_ask(content="楼道里电动车推进电梯充电", latitude=None, longitude=None)
    suggestion = engine.suggest(ask, user=None)
    assert suggestion.model_version == 1
    assert CategoryModel.objects.count() == 1
    assert suggestion.categories[0].path == "公共安全/消防安全/电动车违规充电"


def test_the_retraining_job_trains_when_due_and_only_then(requests_: Any, tree: Any) -> None:
    assert "insight.retrain" in {job.name for job in jobs()}
    assert run_once(NOW, only={"insight.retrain"}) == {"insight.retrain": 1}  # none stored yet
    assert retrain_job(NOW + datetime.timedelta(hours=2)) == 0  # fresh
    later = NOW + datetime.timedelta(days=2)
    assert retrain_job(later) == 0  # a day old, but nothing new was confirmed
    requests_.dispatched("010303", tree.xiufeng, content="路灯坏了一个星期", now=later)
    assert retrain_job(later) == 1
    assert retrain_job(later) == 0
    assert list(CategoryModel.objects.values_list("version", flat=True)) == [2, 1]


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_request_is_refused_before_it_reaches_the_model(db: Any, blank: str) -> None:
    from banshi.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        engine.clean_ask(content=blank, latitude=None, longitude=None)


def test_a_close_runner_up_marks_the_suggestion_uncertain(db: Any) -> None:
    from banshi.workorders.models import Category

    a, b = Category.objects.filter(level=3)[:2]

    def scores(*values: float) -> list[engine.CategoryScore]:
        return [engine.CategoryScore(c, "", v) for c, v in zip([a, b], values, strict=False)]

    assert engine.uncertain(scores(0.2, 0.06))  # 0.06 ≥ 0.2 / 4
    assert not engine.uncertain(scores(0.2, 0.04))
    assert not engine.uncertain(scores(0.99))
    assert engine.uncertain([])
