"""API authentication: the browser session (with CSRF on writes) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from banshi.accounts.services import token_user
from banshi.core.errors import PermissionDenied


class TokenAuth(HttpBearer):
    openapi_description = "Authorization: Bearer <令牌>（通过 POST /api/v1/auth/token 获取）"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF protects a signed-in browser session. A call without one has nothing to forge:
        # it is simply not authenticated (401), not a "CSRF check failed" 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise PermissionDenied("CSRF 校验失败：请刷新页面后重试", code="csrf_failed") from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        return user


session_auth = ActiveSessionAuth()
token_auth = TokenAuth()
STAFF_AUTH: list[APIKeyHeader | HttpBearer | SessionAuth] = [token_auth, session_auth]
