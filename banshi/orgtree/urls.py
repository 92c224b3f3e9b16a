from django.urls import path

from banshi.orgtree import views

app_name = "orgtree"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("<str:unit_id>/", views.unit_detail, name="unit"),
    path("<str:unit_id>/children/", views.children, name="children"),
    path("<str:unit_id>/rename/", views.unit_rename, name="rename"),
    path("<str:unit_id>/create/", views.unit_create_child, name="create_child"),
    path("<str:unit_id>/move/", views.unit_move, name="move"),
]
