from django.urls import path

from banshi.workorders.views import export, metrics, staff

app_name = "workorders"

urlpatterns = [
    path("", staff.home, name="home"),
    path("list/", staff.order_list, name="list"),
    path("list/export/", export.export_list, name="export"),
    path("queues/<str:name>/", staff.queue_page, name="queue"),
    path("queues/<str:name>/export/", export.export_queue, name="queue_export"),
    path("intake/", staff.intake, name="intake"),
    path("intake/duplicates/", staff.duplicates, name="duplicates"),
    path("units/", staff.unit_search, name="units"),
    path("metrics/", metrics.metrics_page, name="metrics"),
    path("metrics/refresh/", metrics.refresh, name="metrics_refresh"),
    path("<str:order_id>/", staff.detail, name="detail"),
    path("<str:order_id>/act/<str:action>/", staff.act, name="act"),
    path("<str:order_id>/reveal-phone/", staff.reveal, name="reveal"),
    path("<str:order_id>/attachments/<str:attachment_id>/", staff.attachment, name="attachment"),
]
