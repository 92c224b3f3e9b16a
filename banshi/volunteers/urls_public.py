from django.urls import path

from banshi.volunteers import views

app_name = "volunteers_public"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
]
