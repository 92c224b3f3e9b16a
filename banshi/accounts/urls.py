from django.urls import path

from banshi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<str:user_id>/", views.user_detail, name="user_detail"),
    path("users/<str:user_id>/grant/", views.user_grant, name="user_grant"),
    path("users/<str:user_id>/active/", views.user_set_active, name="user_set_active"),
    path("users/<str:user_id>/reveal-mobile/", views.user_reveal_mobile, name="user_reveal_mobile"),
    path("roles/", views.roles_help, name="roles"),
    path("roles/<str:assignment_id>/revoke/", views.role_revoke, name="role_revoke"),
]
