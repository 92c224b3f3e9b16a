from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "banshi.grid"
    verbose_name = "网格与住户"

    def ready(self) -> None:
        # Registers the 民情台账 lifecycle with the workflow engine before any command runs.
        from banshi.core.scheduler import register_job
        from banshi.grid.services import visits  # noqa: F401
        from banshi.grid.services.tally import tally_job

        register_job("grid.tally", tally_job, "每日重算网格联户覆盖与走访完成统计")
