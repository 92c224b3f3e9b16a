from django.urls import path

from banshi.projects import views_public

app_name = "projects_public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("survey/<str:token>/", views_public.survey, name="survey"),
    path("invite/<str:token>/", views_public.invitation, name="invitation"),
    path("<str:project_id>/", views_public.detail, name="detail"),
]
