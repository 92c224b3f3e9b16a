from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.volunteers.models import Activity, Centre, Certificate, SignUp, Volunteer


@admin.register(Centre)
class CentreAdmin(ReadOnlyAdmin):
    list_display = ["name", "org_unit", "opening_hours"]
    search_fields = ["name"]


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["number", "user", "org_unit", "total_minutes"]
    search_fields = ["number", "user__name"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "org_unit", "starts_at", "status"]
    list_filter = ["status"]


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    list_display = ["activity", "volunteer", "post", "status", "hours_status", "credited_minutes"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "volunteer", "minutes", "stars", "issued_at"]
