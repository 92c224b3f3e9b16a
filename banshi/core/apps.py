from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "banshi.core"
    verbose_name = "基础"
