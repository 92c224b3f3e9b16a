from django.urls import path

from banshi.grid import views

app_name = "grid"

urlpatterns = [
    path("households/", views.households, name="households"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/export/", views.households_export, name="export"),
    path("households/import/", views.households_import, name="import"),
    path("households/<str:household_id>/", views.household, name="household"),
    path("households/<str:household_id>/edit/", views.household_edit, name="household_edit"),
    path(
        "households/<str:household_id>/archive/", views.household_archive, name="household_archive"
    ),
    path("households/<str:household_id>/residents/", views.resident_save, name="resident_save"),
    path("households/<str:household_id>/links/", views.link_save, name="link_save"),
    path("households/<str:household_id>/visit/", views.visit_new, name="visit_new"),
    path("households/<str:household_id>/five/", views.five_save, name="five_save"),
    path("residents/<str:resident_id>/reveal/", views.resident_reveal, name="resident_reveal"),
    path("members/", views.members, name="members"),
    path("members/mine/", views.mine, name="mine"),
    path("members/<str:member_id>/", views.member, name="member"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<str:item_id>/<str:action>/", views.ledger_action, name="ledger_action"),
    path("figures/", views.figures, name="figures"),
    path("settings/", views.settings_page, name="settings"),
    path("pick/grids/", views.pick_grids, name="pick_grids"),
    path("pick/members/", views.pick_members, name="pick_members"),
]
