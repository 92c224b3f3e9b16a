from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "banshi.grid"
    verbose_name = "网格与住户"

    def ready(self) -> None:
        # Registers the 民情台账 lifecycle with the workflow engine before any command runs.
        from banshi.grid.services import visits  # noqa: F401
