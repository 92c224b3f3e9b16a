from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "banshi.api"
    verbose_name = "开放接口"
