"""API authentication: the browser session (with CSRF on writes) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from banshi.accounts.services import token_user


class TokenAuth(HttpBearer):
    openapi_description = "Authorization: Bearer <令牌>（通过 POST /api/v1/auth/token 获取）"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        return user


session_auth = ActiveSessionAuth()
token_auth = TokenAuth()
STAFF_AUTH: list[APIKeyHeader | HttpBearer | SessionAuth] = [token_auth, session_auth]
