from django.urls import path

from banshi.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("completeness/", views.completeness, name="completeness"),
    path("reports/", views.report_list, name="reports"),
    path("reports/open/", views.report_open, name="report_open"),
    path("reports/<str:report_id>/", views.report_page, name="report"),
    path("reports/<str:report_id>/values/", views.report_values, name="report_values"),
    path("reports/<str:report_id>/step/", views.report_step, name="report_step"),
    path("reports/<str:report_id>/correct/", views.report_correct, name="report_correct"),
    path("export/", views.export, name="export"),
    path("import/", views.import_page, name="import"),
    path("pick/units/", views.pick_unit, name="pick_unit"),
]
