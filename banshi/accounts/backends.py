"""Login by mobile number and password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class MobileBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        mobile: str | None = None,
        **kwargs: Any,
    ) -> Any:
        return super().authenticate(
            request, username=mobile or username, password=password, **kwargs
        )
