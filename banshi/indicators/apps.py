from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "banshi.indicators"
    verbose_name = "六位等民生指标"

    def ready(self) -> None:
        from banshi.indicators.services import lifecycle, outputs  # noqa: F401

        # The ledger knows nothing of indicators (it sits below in LAYERS); a project's 销号 posts
        # its declared outputs through an effect added here to the project lifecycle's close step.
        outputs.hook_project_close()
