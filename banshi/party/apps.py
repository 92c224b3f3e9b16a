from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "banshi.party"
    verbose_name = "双报到"

    def ready(self) -> None:
        from banshi.party.services import lifecycle  # noqa: F401  (registers the unit registration lifecycle)
