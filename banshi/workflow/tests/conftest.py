"""The engine is exercised on the lifecycles declared on it: requests and projects."""

from banshi.projects.tests.conftest import scene  # noqa: F401  (fixtures)
from banshi.workorders.tests.conftest import boss, leaf, orders  # noqa: F401  (fixtures)
