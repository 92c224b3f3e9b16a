"""Admin: the taxonomy, time limits and metric weights are edited here; requests and their history
are read-only (they change only through the workflow services)."""

from __future__ import annotations

from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.workorders.models import (
    Category,
    Event,
    MetricWeights,
    TimeLimitRule,
    UnitMonthStats,
    WorkOrder,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active", "open311_published"]
    list_filter = ["level", "is_active", "open311_published"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    autocomplete_fields = ["parent"]


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "urgency",
        "org_level",
        "sign_amount",
        "sign_unit",
        "contact_amount",
        "contact_unit",
        "close_amount",
        "close_unit",
    ]
    list_filter = ["kind", "urgency"]


@admin.register(MetricWeights)
class MetricWeightsAdmin(admin.ModelAdmin):
    list_display = ["response", "resolution", "satisfaction"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "actor", "side", "action", "from_status", "to_status", "note"]
    readonly_fields = ["at", "actor", "side", "action", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "kind", "lead_unit", "received_at", "close_due"]
    list_filter = ["status", "kind", "channel", "urgency"]
    search_fields = ["number", "title"]
    exclude = ["caller_phone", "caller_name", "submission_key", "submission_fingerprint"]
    inlines = [EventInline]


@admin.register(UnitMonthStats)
class UnitMonthStatsAdmin(ReadOnlyAdmin):
    list_display = ["unit", "month", "dispatched", "rated", "solved", "satisfied", "basic"]
    list_filter = ["month"]
