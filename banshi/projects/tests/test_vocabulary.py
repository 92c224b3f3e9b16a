"""One vocabulary (issue 9.7): requests and projects store and answer the same satisfaction values
and warning colours; the old project spelling "not" is still read on input, never written."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from banshi.core.choices import Colour, Satisfaction
from banshi.projects import lag
from banshi.projects.choices import Status
from banshi.projects.models import Evaluation
from banshi.projects.tests.conftest import Scene
from banshi.workorders.clock import LIGHT_LABELS, LIGHTS
from banshi.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
API = "/api/v1/projects"
migration = importlib.import_module("banshi.projects.migrations.0004_one_satisfaction_vocabulary")


def test_requests_and_project_evaluations_store_the_same_satisfaction_values() -> None:
    request_field = WorkOrder._meta.get_field("satisfaction")
    evaluation_field = Evaluation._meta.get_field("choice")
    assert list(request_field.choices) == list(evaluation_field.choices) == Satisfaction.choices  # type: ignore[arg-type]
    assert "not" not in Satisfaction.values


def test_the_old_spelling_not_is_accepted_by_the_api_and_stored_as_dissatisfied(
    scene: Scene, client: Client
) -> None:
    project = scene.project(Status.CLAIMED)
    client.force_login(scene.supervisor)
    answer = client.post(
        f"{API}/{project.pk}/evaluations",
        {"choice": "not", "count": 2},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["not_satisfied"] == 2
    assert list(Evaluation.objects.values_list("choice", flat=True)) == ["dissatisfied"] * 2
    current = client.post(
        f"{API}/{project.pk}/evaluations",
        {"choice": "dissatisfied"},
        content_type="application/json",
    )
    assert current.status_code == 201 and current.json()["not_satisfied"] == 3
    wrong = client.post(
        f"{API}/{project.pk}/evaluations", {"choice": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_choice"


def test_the_data_migration_rewrites_not_and_back(scene: Scene) -> None:
    project = scene.project(Status.CLAIMED)
    scene.evaluate(project, satisfied=1, not_=2)
    # A row as an older release stored it.
    Evaluation.objects.filter(choice="dissatisfied").update(choice="not")
    migration.forwards(apps, None)
    assert sorted(Evaluation.objects.values_list("choice", flat=True)) == [
        "dissatisfied",
        "dissatisfied",
        "satisfied",
    ]
    migration.backwards(apps, None)
    assert sorted(Evaluation.objects.values_list("choice", flat=True)) == [
        "not",
        "not",
        "satisfied",
    ]


def test_requests_and_projects_use_one_colour_enum_with_their_own_words() -> None:
    rule_colours = {rule.colour for rule in lag.RULES if not rule.overlay}
    assert rule_colours <= set(Colour.values)
    assert set(lag.COLOUR_LABELS) == set(lag.SHORT_LABELS) == set(Colour.values)
    assert set(LIGHTS) < set(Colour.values) and set(LIGHT_LABELS) == {*LIGHTS, Colour.NONE}
    # The same value reads differently in each context: a late request is 超时, a late project
    # 红（节点或时限已逾期）.
    assert str(LIGHT_LABELS[Colour.RED]) == "超时"
    assert str(lag.COLOUR_LABELS[Colour.RED]) == "红（节点或时限已逾期）"
