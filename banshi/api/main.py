"""The NinjaAPI instance: /api/v1/…, OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from banshi.accounts.api import auth_router
from banshi.accounts.api import router as accounts_router
from banshi.api import errors
from banshi.api.auth import STAFF_AUTH
from banshi.grid.api import router as grid_router
from banshi.indicators.api import router as indicators_router
from banshi.insight.api import router as insight_router
from banshi.orgtree.api import router as orgtree_router
from banshi.party.api import router as party_router
from banshi.projects.api import router as projects_router
from banshi.volunteers.api import router as volunteers_router
from banshi.workorders.api import public_router as workorders_public_router
from banshi.workorders.api import router as workorders_router

# The error answers an operation can give besides its own, all with the {code, detail} body:
# status -> (name under components/responses, description).
ERROR_RESPONSES = {
    "400": ("BadRequest", "输入有误（校验失败、格式不正确或无法解析）"),
    "401": ("NotAuthenticated", "未登录或令牌无效"),
    "403": ("Forbidden", "无权执行此操作（或浏览器会话的 CSRF 校验失败）"),
    "404": ("NotFound", "对象不存在或不在您的管辖范围内"),
    "409": ("Conflict", "数据已被他人修改或状态已变化，请刷新后重试"),
    "413": ("TooLarge", "请求体过大"),
    "429": ("Throttled", "尝试次数过多，请稍后再试"),
}
ERRORS_EVERYWHERE = ("400", "404")
ERRORS_WHEN_SECURED = ("401", "403")
ERRORS_WHEN_PUBLIC = ("429",)
ERRORS_WHEN_WRITING = ("409", "413")
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


class BanshiAPI(NinjaAPI):
    """NinjaAPI whose every answer, even for an unknown path or method, is the error body, and
    whose OpenAPI document says which errors each operation can give."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._error_bodies(pattern.callback)
        # Any other path under /api/ (including ones with a newline) is the API's 404.
        patterns.append(re_path(r"^[\s\S]*$", self._error_bodies(self._unknown_path)))
        return patterns, app_name, namespace

    @staticmethod
    def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise Http404

    def _error_bodies(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        """Django's plain-text 405 and HTML 404 become {code, detail} like everything else."""

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return self.create_response(
                    request,
                    {"code": "not_found", "detail": "接口不存在"},
                    status=404,
                )
            if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
                allowed = response.get("Allow", "")
                answer = self.create_response(
                    request,
                    {
                        "code": "method_not_allowed",
                        "detail": f"该接口不支持 {request.method} 方法（可用：{allowed}）",
                    },
                    status=405,
                )
                answer["Allow"] = allowed
                return answer
            return response

        return wrapper

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["ErrorOut"] = errors.ErrorOut.model_json_schema()
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        components["responses"] = {
            name: {"description": description, "content": body}
            for name, description in ERROR_RESPONSES.values()
        }
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                codes = [*ERRORS_EVERYWHERE]
                codes += ERRORS_WHEN_SECURED if operation.get("security") else ERRORS_WHEN_PUBLIC
                if method in UNSAFE_METHODS:
                    codes += ERRORS_WHEN_WRITING
                responses = operation.setdefault("responses", {})
                for code in sorted(codes):
                    ref = f"#/components/responses/{ERROR_RESPONSES[code][0]}"
                    responses.setdefault(code, {"$ref": ref})
        return schema


api = BanshiAPI(
    title="办实事 开放接口",
    version="1",
    description=(
        "办实事平台的 REST 接口。所有对象按用户的组织子树授权；越权对象一律返回 404。"
        '错误统一为 {"code": ..., "detail": ...}。'
        "并发修改：可编辑的对象带版本号（详情的 ETag 头和 version 字段，如实事项目）；修改或流转时"
        '把它放在 If-Match 头里（如 If-Match: "3"），若数据已被他人修改则返回 409，code 为'
        " stale_version，不会覆盖他人的修改。不带 If-Match 的请求不做版本检查（兼容旧客户端），"
        "但仍会使版本号加一。"
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
api.add_router("/v1/volunteers", volunteers_router)
api.add_router("/v1/party", party_router)
api.add_router("/v1/indicators", indicators_router)
api.add_router("/v1/dispatch", insight_router)
