"""The NinjaAPI instance: /api/v1/…, OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from banshi.accounts.api import auth_router
from banshi.accounts.api import router as accounts_router
from banshi.api import errors
from banshi.api.auth import STAFF_AUTH
from banshi.grid.api import router as grid_router
from banshi.insight.api import router as insight_router
from banshi.orgtree.api import router as orgtree_router
from banshi.projects.api import router as projects_router
from banshi.workorders.api import public_router as workorders_public_router
from banshi.workorders.api import router as workorders_router

api = NinjaAPI(
    title="办实事 开放接口",
    version="1",
    description=(
        "办实事平台的 REST 接口。所有对象按用户的组织子树授权；越权对象一律返回 404。"
        '错误统一为 {"code": ..., "detail": ...}。'
    ),
    auth=STAFF_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/v1/auth", auth_router)
api.add_router("/v1", accounts_router)
api.add_router("/v1/orgunits", orgtree_router)
api.add_router("/v1", grid_router)
api.add_router("/v1/public", workorders_public_router)
api.add_router("/v1/workorders", workorders_router)
api.add_router("/v1/projects", projects_router)
api.add_router("/v1/dispatch", insight_router)
