"""Admin for the Open311 adapter: which categories are published as services (with their notice
and attributes), and the registered applications with their keys. Keys are issued by an action
that shows the new key once; only digests are stored."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from banshi.open311.models import (
    ApiKey,
    Application,
    AttributeValue,
    PublishedService,
    ServiceAttribute,
)
from banshi.open311.services import application_deactivate, key_issue


class ServiceAttributeInline(admin.StackedInline):
    model = ServiceAttribute
    fk_name = "category"
    extra = 0
    fields = [
        "order",
        "code",
        "description",
        "datatype",
        "variable",
        "required",
        "datatype_description",
    ]
    show_change_link = True


@admin.register(PublishedService)
class PublishedServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "open311_published", "open311_notice"]
    list_filter = ["open311_published", "level"]
    list_editable = ["open311_published"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "open311_published", "open311_notice"]
    readonly_fields = ["code", "name"]
    inlines = [ServiceAttributeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(level=3).select_related("parent__parent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 1
    fields = ["sort", "key", "name"]


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "order", "code", "datatype", "required", "variable", "description"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "description", "category__name", "category__code"]
    raw_id_fields = ["category"]
    inlines = [AttributeValueInline]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["prefix", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "org_unit", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact"]
    raw_id_fields = ["org_unit"]
    inlines = [ApiKeyInline]
    actions = ["issue_key", "deactivate"]

    @admin.action(description="签发新的 API 密钥（只显示一次）")
    def issue_key(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        for app in queryset:
            key = key_issue(actor=request.user, application=app)
            messages.warning(request, f"{app.name} 的新密钥：{key}（请立即复制，之后无法再查看）")

    @admin.action(description="停用所选应用")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        for app in queryset:
            application_deactivate(actor=request.user, application=app)
        messages.success(request, f"已停用 {queryset.count()} 个应用")
