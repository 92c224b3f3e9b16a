"""The citizen's pages (no login): submit a request from a phone, then track and rate it.

A submission form carries a hidden one-time token used as the request's ``submission_key``, so a
double click or a resubmitted form returns the first request instead of creating a second one.
Tracking answers the same Chinese "not found" with status 404 for a wrong number and for a wrong
proof, so numbers cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from banshi.core.choices import Satisfaction
from banshi.core.errors import DomainError, NotFound, ValidationFailed
from banshi.core.http import client_ip
from banshi.orgtree.geo import OUTLINES
from banshi.workorders import extras, selectors
from banshi.workorders.choices import Channel, Kind, Resolution, Status
from banshi.workorders.forms import (
    CITIZEN_MAX_PHOTOS,
    CitizenSubmitForm,
    RatingForm,
    TrackForm,
    check,
    clean_token,
    token_for_retry,
    uploaded,
)
from banshi.workorders.services import PublicClient, SubmitInput, rate_by_citizen, submit
from banshi.workorders.views.common import leaf_category_groups

SESSION_KEY = "workorders_submitted"
NOT_FOUND = "工单编号或验证信息不正确"


def _submit_page(
    request: HttpRequest, form: Any, failure: DomainError | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "values": request.POST if request.method == "POST" else {},
        "error": failure.detail if failure else "",
        "token": token_for_retry(request, failure),
        "kinds": Kind.choices,
        "tree": selectors.category_tree(),
        "leaf_groups": leaf_category_groups(),
        "max_photos": CITIZEN_MAX_PHOTOS,
        "suggest_panels": extras.form_panels(request.user, "ask"),
    }
    status = failure.status if failure else 200
    return render(request, "workorders/ask.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _submit_page(request, CitizenSubmitForm())
    form = CitizenSubmitForm(request.POST)
    try:
        values = check(form)
        token = clean_token(values["token"])
        photos = uploaded(request.FILES, "photos")
        if len(photos) > CITIZEN_MAX_PHOTOS:
            raise ValidationFailed(f"照片最多{CITIZEN_MAX_PHOTOS}张", code="too_many_files")
        anonymous = bool(values["anonymous"])
        order, _created = submit(
            actor=None,
            data=SubmitInput(
                channel=Channel.WEB,
                kind=values["kind"],
                category_id=values["category"],
                title=values["title"],
                content=values["content"],
                address=values["address"],
                latitude=values["latitude"] or None,
                longitude=values["longitude"] or None,
                caller_name="" if anonymous else values["caller_name"],
                caller_phone="" if anonymous else values["caller_phone"],
                files=photos,
                submission_key=f"web:{token}",
            ),
            public=PublicClient(client_ip(request)),
        )
    except DomainError as exc:
        response = _submit_page(request, form, exc)
        if exc.extra.get("retry_after"):
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    request.session[SESSION_KEY] = {"number": order.number, "code": order.tracking_code}
    return redirect("public:done")


def done(request: HttpRequest) -> HttpResponse:
    """The tracking number and code, shown once to whoever submitted in this browser session."""
    submitted = request.session.get(SESSION_KEY)
    if not submitted:
        return redirect("public:ask")
    return render(request, "workorders/ask_done.html", {"submitted": submitted})


def _track_page(
    request: HttpRequest,
    *,
    order: Any = None,
    proof: str = "",
    number: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "order": order,
        "number": order.number if order else number,
        "proof": proof,
        "error": error,
        "events": list(selectors.public_events(order)) if order else [],
        "can_rate": order is not None and order.status == Status.CALLBACK,
        "resolutions": Resolution.choices,
        "satisfactions": Satisfaction.choices,
        "status_label": Status(order.status).label if order else "",
        "track_url": reverse("public:track"),
        # What the apps above workorders add for this request (e.g. the 实事项目 it joined).
        "extra_panels": extras.tracking_panels(order) if order else [],
    }
    return render(request, "workorders/track.html", context, status=status)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    # The proof travels in a POST body, never in a URL that lands in logs and histories.
    if request.method == "GET":
        return _track_page(request, number=request.GET.get("number", "")[:20])
    form = TrackForm(request.POST)
    number = str(request.POST.get("number", ""))[:20]
    try:
        values = check(form)
        order = selectors.track_throttled(
            values["number"], values["proof"].strip(), client=client_ip(request)
        )
    except NotFound:
        return _track_page(request, number=number, error=NOT_FOUND, status=404)
    except DomainError as exc:
        return _track_page(request, number=number, error=exc.detail, status=exc.status)
    return _track_page(request, order=order, proof=values["proof"].strip())


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    number = str(request.POST.get("number", ""))[:20]
    proof = str(request.POST.get("proof", ""))[:20].strip()
    try:
        order = selectors.track_throttled(number, proof, client=client_ip(request))
    except NotFound:
        return _track_page(request, number=number, error=NOT_FOUND, status=404)
    try:
        values = check(form)
        order = rate_by_citizen(
            order=order,
            proof=proof,
            data={
                "resolution": values["resolution"],
                "satisfaction": values["satisfaction"],
                "comment": values["comment"],
            },
        )
    except NotFound:
        return _track_page(request, number=number, error=NOT_FOUND, status=404)
    except DomainError as exc:
        return _track_page(request, order=order, proof=proof, error=exc.detail, status=exc.status)
    return _track_page(request, order=order, proof=proof)


@cache_control(max_age=86400, public=True)
def districts(request: HttpRequest) -> FileResponse:
    """The Changsha district outlines: the map picker's base layer (no tile server offline)."""
    return FileResponse(OUTLINES.open("rb"), content_type="application/geo+json")
