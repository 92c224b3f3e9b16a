from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "banshi.grid"
    verbose_name = "网格与住户"
