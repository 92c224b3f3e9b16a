from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "banshi.insight"
    verbose_name = "智能派单与未诉先办"

    def ready(self) -> None:
        from banshi.core.scheduler import register_job
        from banshi.insight import panels, services
        from banshi.workorders import extras

        register_job("insight.retrain", services.retrain_job, "重新训练派单分类模型（每日）")
        register_job(
            "insight.proposals",
            services.proposals_job,
            "未诉先办：发现热点、激增、重复来电与季节性复发（每小时）",
        )

        # The request pages ask workorders' registry for the assistant's panels; workorders
        # tells the assistant each dispatch decision. Neither imports this app.
        extras.register_form_panel(panels.form_panels)
        extras.register_queue_panel(panels.queue_panels)
        extras.register_dispatch_observer(services.observe_dispatch)
