"""Background delivery through the Django tasks API (database backend: no broker needed)."""

from __future__ import annotations

from django_tasks import task

from banshi.notify.services import deliver


@task()
def deliver_message(message_id: int) -> bool:
    return deliver(message_id)
