"""GeoReport v2 under /open311/v2/: the format is the resource's suffix (.xml or .json)."""

from django.urls import path, re_path

from banshi.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<ref>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<ref>[^/]+?)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.request_updates, name="updates"),
    re_path(r"^media/(?P<signed>[^/]{1,200})$", views.media, name="media"),
    # Everything else, including paths with a newline ("." does not match one), is Open311's 404.
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
