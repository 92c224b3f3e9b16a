from django.urls import path

from banshi.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.changes, name="changes"),
    path("<str:record_id>/reveal/", views.change_reveal, name="change_reveal"),
    path("access/", views.access_log, name="access_log"),
]
