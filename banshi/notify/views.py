"""The in-app inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.notify.models import Channel, Message
from banshi.notify.services import mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = Message.objects.filter(recipient_id=request.user.pk, channel=Channel.INAPP)[:200]
    return render(request, "notify/inbox.html", {"inbox": messages})


@login_required
@require_POST
def read(request: HttpRequest, message_id: str) -> HttpResponse:
    message = Message.objects.filter(pk=parse_id(message_id), recipient_id=request.user.pk).first()
    if message is None:
        raise NotFound()
    mark_read(user=request.user, message=message)
    return redirect("notify:inbox")
