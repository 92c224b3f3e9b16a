from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "banshi.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from banshi.core import checks, throttle  # noqa: F401 - checks registers itself
        from banshi.core.scheduler import register_job

        register_job("core.throttle_prune", throttle.prune, "清理一天前的限流记录")
