from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "banshi.volunteers"
    verbose_name = "邻里中心与志愿服务"

    def ready(self) -> None:
        from banshi.volunteers.services import lifecycle  # noqa: F401  (registers the activity lifecycle)
