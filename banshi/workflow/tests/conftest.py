"""The engine is exercised on requests, the first lifecycle declared on it."""

from banshi.workorders.tests.conftest import boss, leaf, orders  # noqa: F401  (fixtures)
