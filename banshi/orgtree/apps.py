from django.apps import AppConfig


class OrgtreeConfig(AppConfig):
    name = "banshi.orgtree"
    verbose_name = "组织架构"
