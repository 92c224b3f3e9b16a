from django.urls import path

from banshi.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<str:message_id>/read/", views.read, name="read"),
]
