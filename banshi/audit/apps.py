from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "banshi.audit"
    verbose_name = "审计留痕"
