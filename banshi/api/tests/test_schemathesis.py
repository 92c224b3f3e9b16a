"""Schemathesis over the whole OpenAPI document: every operation, generated valid and invalid
input, sent as nobody and as a staff user with a bearer token, through Django's real WSGI
handler (CSRF enforced, as in production). The run must end with no 5xx and every documented
answer matching its schema. Bounded and seeded, so CI runs the same cases every time.

Path parameters are strings the generator fills with junk; half of the generated cases use the
ids of a small world made for each operation instead (a request, a project, units, users), so
the authenticated paths reach real objects and not only 404s."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from banshi.accounts.models import RoleAssignment
from banshi.accounts.roles import Role
from banshi.accounts.services import role_grant, token_create
from banshi.api.main import api
from banshi.grid.models import Resident
from banshi.projects import services as projects
from banshi.projects.tests.conftest import data as project_data
from banshi.workorders.choices import TRANSITIONS
from banshi.workorders.models import Category
from banshi.workorders.selectors import QUEUES
from banshi.workorders.services import SubmitInput, submit

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Generated examples per operation (on top of schemathesis' explicit and coverage cases); each
# case is sent twice, without and with the token. 10 keeps the whole run near 90 s of CPU.
EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = WSGIHandler()
# Locally, SCHEMATHESIS_PATHS='orgunits' runs only the operations whose path matches.
if os.environ.get("SCHEMATHESIS_PATHS"):
    schema = schema.include(path_regex=os.environ["SCHEMATHESIS_PATHS"])

# Real values for path parameters, by name, refreshed for each operation by the `world` fixture.
KNOWN: dict[str, list[str]] = {}
TALLY: Counter[str] = Counter()


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    generated = path_parameters or {}
    real = {name: st.sampled_from(KNOWN[name]) for name in generated if KNOWN.get(name)}
    if not real:
        return st.just(generated)
    return st.one_of(
        st.just(generated), st.fixed_dictionaries(real).map(lambda ids: {**generated, **ids})
    )


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Any:
    started, cpu = time.monotonic(), time.process_time()
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not TALLY["operations"]:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"schemathesis: {TALLY['operations']} operations, {TALLY['cases']} cases, "
            f"{TALLY['calls']} calls in {time.monotonic() - started:.0f} s "
            f"({time.process_time() - cpu:.0f} s CPU)"
        )
        if os.environ.get("SCHEMATHESIS_TALLY"):
            for key, count in sorted(TALLY.items()):
                if ":" in key:
                    reporter.write_line(f"  {count:5d} {key}")


@pytest.fixture
def staff_token(tree: Any, cast: Any, settings: Any, tmp_path: Any) -> str:
    """A user holding every role on the whole city, so every authenticated path is reached,
    and a small world of real objects whose ids the path parameters can use."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user = cast.make(Role.ORG_ADMIN, tree.city, name="全角色")
    for role in Role:
        if role != Role.ORG_ADMIN:
            role_grant(actor=None, user=user, role=role, org_unit=tree.city)
    other = cast.make(Role.HANDLER, tree.xiufeng, name="梁建华")
    order, _ = submit(
        actor=None,
        data=SubmitInput(
            channel="web",
            kind="complaint",
            category_id=Category.objects.get(code="010301").pk,
            content="建湘路门前道路破损，雨天积水。",
            address="开福区秀峰街道新大塘社区建湘路",
            caller_name="张秀英",
            caller_phone="13812345678",
            org_unit=tree.datang,
        ),
    )
    project = projects.project_create(
        actor=None, org_unit=tree.xiufeng, lead_unit=tree.xiufeng, data=project_data()
    )
    KNOWN.clear()
    KNOWN.update(
        {
            "unit_id": [str(u.pk) for u in (tree.city, tree.kaifu, tree.xiufeng, tree.datang)],
            "user_id": [str(user.pk), str(other.pk)],
            "assignment_id": [
                str(pk)
                for pk in RoleAssignment.objects.filter(user=other).values_list("pk", flat=True)
            ],
            "resident_id": [str(pk) for pk in Resident.objects.values_list("pk", flat=True)],
            "household_id": [str(tree.household.pk), str(tree.yuhua_household.pk)],
            "household_class": ["ordinary", "vulnerable"],
            "order_id": [str(order.pk), order.number],
            "number": [order.number],
            "action": sorted(TRANSITIONS),
            "name": sorted(QUEUES),
            "project_id": [str(project.pk)],
        }
    )
    _, key = token_create(user=user, name="schemathesis")
    return key


@pytest.fixture(autouse=True)
def _quiet_client_errors() -> Any:
    # Thousands of expected 4xx answers: Django logs each as a warning, which only costs time.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _requests_in_the_test_transaction() -> Any:
    # Django's handler recycles the database connection around each request; the test client
    # turns that off so requests see (and roll back with) the test's transaction. So do we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_5xx_and_as_documented(case: Any, staff_token: str) -> None:
    if TALLY[f"op:{case.operation.label}"] == 0:
        TALLY["operations"] += 1
    TALLY[f"op:{case.operation.label}"] += 1
    TALLY["cases"] += 1
    # The generator may invent an Authorization header of its own; ours decides who calls.
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    for headers in ({}, {"Authorization": f"Bearer {staff_token}"}):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        TALLY[f"status:{'token' if headers else 'anonymous'}:{response.status_code}"] += 1
        TALLY["calls"] += 1
