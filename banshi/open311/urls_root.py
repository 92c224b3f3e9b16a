"""The discovery document at a URL that will not change with the API version:
/open311/discovery.xml and /open311/discovery.json (the v2 copies live under /open311/v2/)."""

from django.urls import re_path

from banshi.open311 import views

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>[A-Za-z0-9]{1,10})$", views.discovery, name="open311-discovery"),
]
