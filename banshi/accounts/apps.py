from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "banshi.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from banshi.accounts.permissions import scope_paths_for
        from banshi.core.scoping import register_scope_resolver

        register_scope_resolver(scope_paths_for)
