from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "banshi.projects"
    verbose_name = "实事项目"

    def ready(self) -> None:
        from banshi.core.scheduler import register_job
        from banshi.projects import (
            notifications,  # noqa: F401  (registers the message templates)
            sentences,
        )
        from banshi.projects.cadence import JOBS
        from banshi.projects.services import lifecycle  # noqa: F401  (registers LIFECYCLE)

        for name, func, description in JOBS:
            register_job(name, func, description)
        sentences.register()

        # The request pages show the projects their requests became part of, and offer project
        # collectors the 转为实事项目 action, through workorders' extension registry.
        from banshi.projects.linking import request_list_extension, tracking_panels
        from banshi.workorders.extras import register_list_extension, register_tracking_panel

        register_tracking_panel(tracking_panels)
        register_list_extension(request_list_extension)
