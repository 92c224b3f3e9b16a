from django.urls import path

from banshi.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.changes, name="changes"),
    path("access/", views.access_log, name="access_log"),
]
