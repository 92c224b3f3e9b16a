from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.notify.models import DeliveryAttempt, Message


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "ok", "error"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts"]
    list_filter = ["channel", "status", "template"]
    search_fields = ["subject", "body", "related_id"]
    inlines = [AttemptInline]
