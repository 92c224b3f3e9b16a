from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "banshi.notify"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from banshi.core.scheduler import register_job
        from banshi.notify.services import deliver_pending

        register_job(
            "notify.deliver_pending", lambda now: deliver_pending(now=now), "补发未送达的消息"
        )
