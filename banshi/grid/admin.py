"""The grid in the Django admin: read-only, since every write goes through ``grid.services``
(tags and visit rules are edited on /grid/settings/ by a city-level grid.configure grant)."""

from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.grid.models import (
    Household,
    HouseholdLink,
    LedgerItem,
    PartyMember,
    Resident,
    Tag,
    Visit,
    VisitRule,
)


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["address", "org_unit", "grid", "tags", "vulnerable", "last_visited_at"]
    search_fields = ["address"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["name", "relation", "masked_mobile", "household"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "vulnerable", "sort", "is_active"]


@admin.register(VisitRule)
class VisitRuleAdmin(ReadOnlyAdmin):
    list_display = ["household_class", "interval_days"]


@admin.register(PartyMember)
class PartyMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "org_unit", "masked_mobile", "is_active"]
    search_fields = ["name"]


@admin.register(HouseholdLink)
class HouseholdLinkAdmin(ReadOnlyAdmin):
    list_display = ["member", "household", "role", "start", "end"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["household", "member", "visited_at", "request"]


@admin.register(LedgerItem)
class LedgerItemAdmin(ReadOnlyAdmin):
    list_display = ["content", "household", "status", "closed_at"]
