from django.urls import path

from banshi.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.home, name="home"),
    path("suggest/", views.suggest, name="suggest"),
    path("ask/suggest/", views.ask_suggest, name="ask_suggest"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<str:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<str:proposal_id>/<str:action>/", views.proposal_act, name="proposal_act"),
    path("topics/", views.topics, name="topics"),
]
