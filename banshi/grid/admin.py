from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.grid.models import Household, Resident


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["address", "org_unit", "tags"]
    search_fields = ["address"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["name", "relation", "masked_mobile", "household"]
