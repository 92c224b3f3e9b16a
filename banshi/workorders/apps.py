from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "banshi.workorders"
    verbose_name = "接诉即办"

    def ready(self) -> None:
        from banshi.core.scheduler import register_job
        from banshi.workorders import (
            history,
            messages,  # noqa: F401  (registers the message templates)
        )
        from banshi.workorders.jobs import JOBS
        from banshi.workorders.services.metrics import month_stats_refresh_due

        for name, func, description in JOBS:
            register_job(name, func, description)
        register_job("workorders.metrics", month_stats_refresh_due, "刷新三率月度指标")
        history.register()
