"""The classifier alone: a small fixture of labelled phrases, no database."""

from __future__ import annotations

import pytest

from banshi.insight.classifier import Classifier, Sample, chinese_chars, normalize

FIXTURE = {
    "water": ["停水了", "家里没水", "水龙头不出水", "整栋楼停水", "什么时候来水", "突然断水"],
    "power": ["停电了", "小区没电", "突然断电", "跳闸停电", "一直没来电", "整栋楼停电"],
    "noise": ["广场舞太吵", "音响声音大", "楼上噪音扰民", "晚上唱歌吵", "酒吧音乐太响", "喇叭吵"],
    "road": ["路面有坑", "马路破了个大洞", "路面塌陷", "道路坑洼不平", "沥青开裂", "路面起包"],
}


@pytest.fixture(scope="module")
def model() -> Classifier:
    samples = [Sample(text, label) for label, texts in FIXTURE.items() for text in texts]
    return Classifier.train(samples)


def test_the_model_ranks_the_right_label_first_for_unseen_wording(model: Classifier) -> None:
    assert model.rank("我们小区从早上开始就停水，到现在都没有水")[0][0] == "water"
    assert model.rank("楼下每天晚上广场舞音响特别吵")[0][0] == "noise"
    assert model.rank("家门口马路上有个大坑")[0][0] == "road"


def test_scores_cover_every_label_best_first_and_sum_to_one(model: Classifier) -> None:
    ranked = model.rank("停电了什么时候来电")
    assert ranked[0][0] == "power"
    assert sorted(label for label, _ in ranked) == sorted(FIXTURE)
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-6)


def test_a_stored_model_answers_exactly_as_before(model: Classifier) -> None:
    again = Classifier.loads(model.dumps())
    text = "小区突然没水了"
    assert again.rank(text) == model.rank(text)
    assert again.temperature == model.temperature


def test_loading_something_else_is_refused() -> None:
    import pickle

    with pytest.raises(TypeError):
        Classifier.loads(pickle.dumps({"not": "a model"}))


def test_training_needs_two_labels() -> None:
    with pytest.raises(ValueError):
        Classifier.train([Sample("停水", "water"), Sample("没水", "water")])


def test_text_is_normalised_before_it_is_read() -> None:
    assert normalize("  １２３号　ＡＢＣ\n路灯  ") == "0号 abc 路灯"
    assert chinese_chars("hello 你好 world") == 2


def test_the_fast_path_computes_what_scikit_learn_computes(model: Classifier) -> None:
    import numpy as np

    texts = ["小区停水两天了，ＡＢＣ１２３", "广场舞噪音", "", "完全无关的句子 xyz", "路面坑坑洼洼"]
    for text in texts:
        slow = model.rank_many([text])[0]
        fast = model.rank(text)
        assert [label for label, _ in fast] == [label for label, _ in slow]
        assert np.allclose([s for _, s in fast], [s for _, s in slow], atol=1e-6)
