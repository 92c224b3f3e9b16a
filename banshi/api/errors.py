"""One error body for the whole API: ``{"code": ..., "detail": ...}`` with a fixed status per code."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from banshi.core.errors import DomainError

logger = logging.getLogger("banshi.api")


class ErrorOut(Schema):
    code: str
    detail: str


def _describe(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:5]:
        loc = ".".join(str(p) for p in error.get("loc", []) if p not in {"body", "query", "path"})
        kind = error.get("type", "")
        if kind in {"missing", "value_error.missing"}:
            msg = "缺少必填项"
        elif "int" in kind or "float" in kind or "decimal" in kind:
            msg = "应为数字"
        elif "datetime" in kind or "date" in kind:
            msg = "日期时间格式不正确"
        elif "too_long" in kind or "max_length" in kind:
            msg = "内容过长"
        elif "json" in kind:
            msg = "请求体不是有效的 JSON"
        else:
            msg = "格式不正确"
        parts.append(f"{loc}：{msg}" if loc else msg)
    return "；".join(parts) or "请求格式不正确"


def install(api: NinjaAPI) -> None:
    def body(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
        return api.create_response(request, {"code": code, "detail": detail}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = body(request, exc.status, exc.code, exc.detail)
        if exc.extra.get("retry_after"):  # a throttle says when to come back
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors_ = list(exc.errors)
        too_long = any("too_long" in str(e.get("type", "")) for e in errors_)
        return body(request, 400, "too_long" if too_long else "invalid", _describe(errors_))

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return body(request, 401, "not_authenticated", "请先登录或提供有效的令牌")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return body(request, 404, "not_found", "对象不存在或不在您的管辖范围内")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {
            400: "invalid",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            429: "throttled",
        }
        return body(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    # A body Django cannot read: multipart without a boundary or broken, too many fields or
    # files, bytes that are not UTF-8. The client's fault, so 400 (413 when simply too big).
    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return body(request, 413, "too_large", "请求体过大")

    def malformed(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.info("API 拒绝了无法解析的请求：%s", exc)
        return body(request, 400, "malformed_request", "请求格式不正确，无法解析")

    for kind in (
        MultiPartParserError,
        SuspiciousOperation,
        BadRequest,
        UnreadablePostError,
        UnicodeDecodeError,
    ):
        api.add_exception_handler(kind, malformed)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API 内部错误")
        return body(request, 500, "server_error", "服务器内部错误，请稍后重试")
