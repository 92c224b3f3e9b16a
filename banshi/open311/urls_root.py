"""The discovery document at a URL that will not change with the API version:
/open311/discovery.xml and /open311/discovery.json (the v2 copies live under /open311/v2/)."""

from django.urls import re_path

from banshi.open311 import views

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>[A-Za-z0-9]{1,10})$", views.discovery, name="open311-discovery"),
    # Anything else under /open311/ is Open311's 404 (but /open311/v2 still gains its slash).
    re_path(r"^(?!v2\Z)(?P<rest>[\s\S]*)$", views.not_found),
]
