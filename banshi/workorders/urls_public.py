from django.urls import path

from banshi.workorders.views import citizen

app_name = "public"

urlpatterns = [
    path("", citizen.ask, name="ask"),
    path("done/", citizen.done, name="done"),
    path("track/", citizen.track, name="track"),
    path("track/rate/", citizen.rate, name="rate"),
    path("districts.geojson", citizen.districts, name="districts"),
]
