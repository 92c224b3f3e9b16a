from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from banshi.audit.models import ChangeRecord, PersonalDataAccess
from banshi.core.admin import ReadOnlyAdmin
from banshi.core.masking import mask_personal_fields


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "request_id", "object_id"]
    # Personal fields stay masked here too; the logged reveal is on the history page.
    exclude = ["before", "after"]
    readonly_fields = ["masked_before", "masked_after"]

    @admin.display(description=_("变更前"))
    def masked_before(self, record: ChangeRecord) -> Any:
        return mask_personal_fields(record.before)

    @admin.display(description=_("变更后"))
    def masked_after(self, record: ChangeRecord) -> Any:
        return mask_personal_fields(record.after)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "object_type", "object_repr", "fields", "purpose"]
    search_fields = ["object_repr", "request_id"]
