from django.urls import path

from banshi.party import views

app_name = "party"

urlpatterns = [
    path("", views.units, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/<str:registration_id>/", views.unit_page, name="unit"),
    path("units/<str:registration_id>/step/", views.unit_step, name="unit_step"),
    path("members/", views.members, name="members"),
    path("members/new/", views.member_new, name="member_new"),
    path("members/<str:registration_id>/confirm/", views.member_confirm, name="member_confirm"),
    path("hours/", views.hours, name="hours"),
    path("pick/communities/", views.pick_community, name="pick_community"),
    path("pick/units/", views.pick_unit, name="pick_unit"),
    path("pick/members/", views.pick_member, name="pick_member"),
]
