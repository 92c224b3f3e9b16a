from django.urls import path

from banshi.grid import views

app_name = "grid"

urlpatterns = [
    path("households/", views.households, name="households"),
    path("residents/<str:resident_id>/reveal/", views.resident_reveal, name="resident_reveal"),
]
