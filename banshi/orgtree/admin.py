from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.orgtree.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "code", "depth", "path"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    ordering = ["path"]
