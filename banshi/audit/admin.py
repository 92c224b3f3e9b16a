from django.contrib import admin

from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.admin import ReadOnlyAdmin


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "request_id", "object_id"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "object_type", "object_repr", "fields", "purpose"]
    search_fields = ["object_repr", "request_id"]
