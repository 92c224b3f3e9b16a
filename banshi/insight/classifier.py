"""The category classifier: character 1–3-gram TF-IDF over the request text and a linear SVM, whose
decision values become scores through a softmax with a temperature fitted on held-out samples.

Chinese has no spaces, and requests are short and colloquial; character n-grams need no word
segmenter and cope with the variants people type (下水道堵了 / 下水道堵塞 / 下水管道不通). A
linear model trains in a couple of seconds on the lexicon plus tens of thousands of requests and
answers in well under a millisecond. This module knows nothing about Django: it maps texts to
label strings (category codes) and back.
"""

from __future__ import annotations

import io
import math
import pickle
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

ALGORITHM = "字符1–3元TF-IDF + 线性SVM（softmax温度校准）"
MAX_CHARS = 2000  # longer texts are cut here before vectorising: the gist is at the start
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPERATURES = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0]


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, every number the same, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS].lower()
    return _SPACE.sub(" ", _DIGITS.sub("0", text)).strip()


def chinese_chars(text: str) -> int:
    return len(_CJK.findall(text or ""))


@dataclass(frozen=True)
class Sample:
    text: str
    label: str
    weight: float = 1.0


def _softmax(values: np.ndarray, temperature: float) -> np.ndarray:
    scaled = values / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def _fit(samples: Sequence[Sample]) -> tuple[TfidfVectorizer, LinearSVC]:
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float64
    )
    matrix = vectorizer.fit_transform([normalize(s.text) for s in samples])
    model = LinearSVC(C=1.0)
    model.fit(matrix, [s.label for s in samples], sample_weight=[s.weight for s in samples])
    return vectorizer, model


class Classifier:
    """A trained classifier: ``rank(text)`` gives every label with its score, best first.

    One text at a time is the hot path (a suggestion per keystroke pause), where scikit-learn's
    per-call input checks cost more than the arithmetic; ``rank`` therefore computes the same
    TF-IDF vector and decision values directly from the fitted vocabulary, idf weights and
    coefficients (a test holds it equal to ``transform`` + ``decision_function``)."""

    def __init__(self, vectorizer: TfidfVectorizer, model: LinearSVC, temperature: float) -> None:
        self.vectorizer = vectorizer
        self.model = model
        self.temperature = temperature
        self.labels: list[str] = [str(label) for label in model.classes_]
        self._prepare()

    def _prepare(self) -> None:
        self._analyzer = self.vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = self.vectorizer.vocabulary_
        self._idf = np.asarray(self.vectorizer.idf_, dtype=np.float64)
        coef = np.asarray(self.model.coef_, dtype=np.float64)
        if coef.shape[0] == 1:  # two classes: one row, for the second label
            coef = np.vstack([-coef, coef])
            intercept = np.array([-self.model.intercept_[0], self.model.intercept_[0]])
        else:
            intercept = np.asarray(self.model.intercept_, dtype=np.float64)
        self._coef_t = np.ascontiguousarray(coef.T)  # features × labels: rows gather fast
        self._intercept = intercept

    def __getstate__(self) -> dict[str, object]:
        return {
            "vectorizer": self.vectorizer,
            "model": self.model,
            "temperature": self.temperature,
            "labels": self.labels,
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._prepare()

    def decision(self, text: str) -> np.ndarray:
        """The decision values of one text, as ``decision_function`` computes them."""
        counts: dict[int, int] = {}
        for gram in self._analyzer(normalize(text)):
            index = self._vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return self._intercept.copy()
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf)) * self._idf[indices]  # sublinear tf × idf
        weights /= np.sqrt((weights * weights).sum())  # l2
        return weights @ self._coef_t[indices] + self._intercept

    @classmethod
    def train(cls, samples: Sequence[Sample], *, seed: int = 0) -> Classifier:
        """Fit the temperature on a fifth of the samples held out from a first fit, then fit
        the model on all of them."""
        labels = {s.label for s in samples}
        if len(labels) < 2:
            raise ValueError("训练样本至少需要两个分类")
        rng = random.Random(seed)
        shuffled = list(samples)
        rng.shuffle(shuffled)
        cut = len(shuffled) // 5
        held, kept = shuffled[:cut], shuffled[cut:]
        temperature = 0.1
        if held and len({s.label for s in kept}) >= 2:
            vectorizer, model = _fit(kept)
            values = model.decision_function(
                vectorizer.transform([normalize(s.text) for s in held])
            )
            index = {str(label): i for i, label in enumerate(model.classes_)}
            known = [(i, index[s.label]) for i, s in enumerate(held) if s.label in index]
            rows = np.array([i for i, _ in known])
            cols = np.array([j for _, j in known])

            def loss(t: float) -> float:
                probs = _softmax(values[rows], t)
                return float(-np.log(np.maximum(probs[np.arange(len(rows)), cols], 1e-12)).mean())

            if known:
                temperature = min(TEMPERATURES, key=loss)
        vectorizer, model = _fit(samples)
        return cls(vectorizer, model, temperature)

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        values = self.model.decision_function(
            self.vectorizer.transform([normalize(t) for t in texts])
        )
        if values.ndim == 1:  # two classes: sklearn answers one column
            values = np.stack([-values, values], axis=1)
        probs = _softmax(values, self.temperature)
        result = []
        for row in probs:
            order = np.argsort(-row)
            result.append([(self.labels[i], float(row[i])) for i in order])
        return result

    def rank(self, text: str) -> list[tuple[str, float]]:
        probs = _softmax(self.decision(text)[np.newaxis, :], self.temperature)[0]
        order = np.argsort(-probs)
        return [(self.labels[i], float(probs[i])) for i in order]

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @staticmethod
    def loads(blob: bytes | memoryview) -> Classifier:
        # The blob is one this platform trained and stored in its own database (never user
        # input), which is how scikit-learn models are persisted.
        model = pickle.loads(bytes(blob))  # noqa: S301
        if not isinstance(model, Classifier):
            raise TypeError("模型数据无效")
        return model


def entropy_confidence(scores: list[tuple[str, float]]) -> float:
    """1 minus the normalised entropy of the scores: 1 for one certain label, 0 for uniform."""
    if len(scores) < 2:
        return 1.0
    h = -sum(p * math.log(p) for _, p in scores if p > 0)
    return max(0.0, 1.0 - h / math.log(len(scores)))
