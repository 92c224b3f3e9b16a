from django.urls import path

from banshi.projects import views, views_actions, views_links, views_pickers

app_name = "projects"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("import/", views.ledger_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("new/", views.project_create, name="create"),
    path("from-requests/", views_links.from_requests, name="from_requests"),
    path("board/", views.board, name="board"),
    path("lag-colours/", views.lag_colours, name="lag_colours"),
    path("leader/", views.leader_page, name="leader"),
    path("lists/", views.lists_page, name="lists"),
    path("links/", views.links_page, name="links"),
    path("links/<str:link_id>/end/", views_actions.link_end, name="link_end"),
    path("meetings/new/", views_actions.meeting_create, name="meeting_create"),
    path("cadence/", views.cadence_page, name="cadence"),
    path("cadence/<str:run_id>/<str:fmt>/", views.cadence_download, name="cadence_download"),
    path("attachments/<str:attachment_id>/", views.attachment_download, name="attachment"),
    path("reports/<str:report_id>/submit/", views_actions.report_submit, name="report_submit"),
    path("reports/<str:report_id>/review/", views_actions.report_review, name="report_review"),
    path("deadline/<str:change_id>/decide/", views_actions.deadline_decide, name="deadline_decide"),
    path("notices/<str:notice_id>/respond/", views_actions.notice_respond, name="notice_respond"),
    path("items/", views.items_page, name="items"),
    path("pick/units/", views_pickers.pick_units, name="pick_units"),
    path("pick/people/", views_pickers.pick_people, name="pick_people"),
    path("pick/projects/", views_pickers.pick_projects, name="pick_projects"),
    path("items/<str:item_id>/complete/", views_actions.item_complete, name="item_complete"),
    path("<str:project_id>/", views.project_detail, name="detail"),
    path("<str:project_id>/edit/", views.project_edit, name="edit"),
    path("<str:project_id>/transition/", views_actions.transition, name="transition"),
    path("<str:project_id>/confirm/", views_actions.confirm, name="confirm"),
    path("<str:project_id>/place/", views_actions.place, name="place"),
    path("<str:project_id>/reports/", views_actions.report_create, name="report_create"),
    path(
        "<str:project_id>/attachments/", views_actions.attachment_upload, name="attachment_upload"
    ),
    path("<str:project_id>/deadline/", views_actions.deadline_request, name="deadline_request"),
    path("<str:project_id>/notices/", views_actions.notice_issue, name="notice_issue"),
    path("<str:project_id>/inspections/", views_actions.inspection_record, name="inspection"),
    path(
        "<str:project_id>/evaluations/", views_actions.evaluation_record, name="evaluation_record"
    ),
    path("<str:project_id>/publish/", views_actions.publish, name="publish"),
    path("<str:project_id>/requests/", views_links.link_orders, name="link_orders"),
    path(
        "<str:project_id>/requests/<str:order_id>/unlink/",
        views_links.unlink_order,
        name="unlink_order",
    ),
]
