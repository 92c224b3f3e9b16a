from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "banshi.notify"
    verbose_name = "消息通知"
