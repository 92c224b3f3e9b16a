from django.contrib import admin
from django.urls import include, path

from banshi.accounts import views as account_views
from banshi.api.main import api
from banshi.core import views as core_views

admin.site.site_header = "办实事 管理后台"
admin.site.site_title = "办实事"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("banshi.accounts.urls")),
    path("org/", include("banshi.orgtree.urls")),
    path("audit/", include("banshi.audit.urls")),
    path("grid/", include("banshi.grid.urls")),
    path("open311/v2/", include("banshi.open311.urls")),
    path("open311/", include("banshi.open311.urls_root")),
    path("workorders/", include("banshi.workorders.urls")),
    path("ask/", include("banshi.workorders.urls_public")),
    path("inbox/", include("banshi.notify.urls")),
    path("projects/", include("banshi.projects.urls")),
    path("public/projects/", include("banshi.projects.urls_public")),
    path("insight/", include("banshi.insight.urls")),
    path("volunteers/", include("banshi.volunteers.urls")),
    path("party/", include("banshi.party.urls")),
    path("indicators/", include("banshi.indicators.urls")),
    path("public/volunteers/", include("banshi.volunteers.urls_public")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
# Uploaded files (evidence photos, reports) are never served from an open /media/ URL: each app
# serves its files through a view that checks the viewer's scope.

handler400 = "banshi.core.views.bad_request"
handler403 = "banshi.core.views.forbidden"
handler404 = "banshi.core.views.not_found"
handler500 = "banshi.core.views.server_error"
