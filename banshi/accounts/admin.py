from django.contrib import admin

from banshi.accounts.models import ApiToken, LoginFailure, RoleAssignment, User
from banshi.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Superusers may correct names and flags here; new accounts and grants go through the
    account pages so they are audited and scoped."""

    list_display = ["name", "masked_mobile", "org_unit", "title", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["name", "mobile"]
    fields = ["name", "title", "is_active", "is_staff", "language", "date_joined", "last_login"]
    readonly_fields = ["date_joined", "last_login"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "org_unit", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["role"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["mobile", "client_ip", "created_at"]
