"""The health check and the Chinese error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "请求无效")


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, "无权访问此页面")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "页面不存在或不在您的管辖范围内")


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request, "error.html", {"status": 500, "detail": "服务器内部错误，请稍后重试"}, status=500
    )
