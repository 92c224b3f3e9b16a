from django.urls import path

from banshi.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.me, name="me"),
    path("register/", views.register, name="register"),
    path("pick/communities/", views.pick_community, name="pick_community"),
    path("pick/organisers/", views.pick_organiser, name="pick_organiser"),
    path("activities/", views.open_list, name="open"),
    path("activities/<str:activity_id>/", views.activity_page, name="activity"),
    path("activities/<str:activity_id>/signup/", views.signup, name="signup"),
    path("signups/<str:signup_id>/withdraw/", views.withdraw, name="withdraw"),
    path("signups/<str:signup_id>/dispute/", views.dispute, name="dispute"),
    path("scan/", views.scan, name="scan"),
    path("certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<str:certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.activity_form, name="activity_new"),
    path("manage/centres/", views.centres, name="centres"),
    path("manage/<str:activity_id>/", views.manage_activity, name="manage_activity"),
    path("manage/<str:activity_id>/edit/", views.activity_form, name="activity_edit"),
    path("manage/<str:activity_id>/step/", views.activity_step, name="activity_step"),
    path("manage/<str:activity_id>/qr/", views.qr_page, name="qr"),
    path("manage/signups/<str:signup_id>/decide/", views.signup_decide, name="signup_decide"),
    path("manage/signups/<str:signup_id>/confirm/", views.hours_confirm, name="hours_confirm"),
    path("manage/signups/<str:signup_id>/correct/", views.hours_correct, name="hours_correct"),
]
