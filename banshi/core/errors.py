"""Domain errors: every refusal the platform gives has a stable code and a Chinese message.

Services raise these; the API maps them to ``{"code": ..., "detail": ...}`` with the fixed status
below, and pages show ``detail``. A code never changes meaning once published.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_detail = "请求无效"

    def __init__(self, detail: str | None = None, *, code: str | None = None, **extra: Any):
        self.detail = str(detail or self.default_detail)
        if code:
            self.code = code
        self.extra = extra
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"
    default_detail = "输入有误"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_detail = "请先登录"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_detail = "无权执行此操作"


class NotFound(DomainError):
    """Also what an out-of-scope object answers, so its existence is not revealed."""

    status = 404
    code = "not_found"
    default_detail = "对象不存在或不在您的管辖范围内"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_detail = "数据已被他人修改，请刷新后重试"


class Throttled(DomainError):
    status = 429
    code = "throttled"
    default_detail = "尝试次数过多，请稍后再试"
