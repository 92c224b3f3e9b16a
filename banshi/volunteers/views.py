"""Pages of volunteer service: the volunteer's own (phone first: sign-ups, check-in, hours,
stars, certificates) and the organiser's (activities, sign-up approval, the QR screen, hours)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banshi.core.errors import DomainError
from banshi.core.http import expected_version
from banshi.core.permissions import can, require
from banshi.projects.inputs import parse_moment
from banshi.volunteers import selectors, services, tokens
from banshi.volunteers.choices import (
    CONFIRM,
    ORGANISE,
    REVIEW,
    TRANSITIONS,
    HoursStatus,
    Purpose,
    SignUpStatus,
    Status,
)
from banshi.volunteers.models import Activity
from banshi.volunteers.services.lifecycle import LIFECYCLE

PAGE_SIZE = 20
QR_REFRESH_SECONDS = 30


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.detail)


# --- the volunteer's own pages -----------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    volunteer = selectors.my_volunteer(request.user)
    context: dict[str, Any] = {"volunteer": volunteer}
    if volunteer is not None:
        context |= {
            "signups": selectors.my_signups(volunteer)[:50],
            "certificates": selectors.my_certificates(volunteer)[:20],
            "star": selectors.star_summary(volunteer.total_minutes),
        }
    context["open_count"] = selectors.open_activities().count()
    return render(request, "volunteers/me.html", context)


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    try:
        unit = selectors.get_community(request.POST.get("org_unit"))
        volunteer = services.volunteer_register(
            actor=request.user, user=request.user, org_unit=unit
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, _("注册成功，您的志愿者编号为 %(number)s") % {"number": volunteer.number}
        )
    return redirect("volunteers:me")


@login_required
@require_GET
def pick_community(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:30]
    return render(
        request,
        "volunteers/_pick.html",
        {"units": selectors.communities(query), "target": "org_unit", "query": query},
    )


@login_required
@require_GET
def pick_organiser(request: HttpRequest) -> HttpResponse:
    require(request.user, ORGANISE)
    query = request.GET.get("q", "").strip()[:30]
    return render(
        request,
        "volunteers/_pick.html",
        {
            "units": selectors.organiser_units(request.user, query),
            "target": "org_unit",
            "query": query,
        },
    )


@login_required
def open_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:30]
    page = _page(request, selectors.open_activities(query))
    return render(
        request,
        "volunteers/open_list.html",
        {"page": page, "q": query, "query": urlencode({"q": query})},
    )


@login_required
def activity_page(request: HttpRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_open_activity(activity_id)
    volunteer = selectors.my_volunteer(request.user)
    mine = None
    if volunteer is not None:
        mine = next(
            (s for s in selectors.my_signups(volunteer) if s.activity_id == activity.pk), None
        )
    return render(
        request,
        "volunteers/activity.html",
        {
            "activity": activity,
            "posts": selectors.posts_left(activity),
            "volunteer": volunteer,
            "mine": mine,
            "can_sign_up": activity.status in {Status.RECRUITING, Status.RUNNING}
            and (mine is None or mine.status == SignUpStatus.WITHDRAWN),
        },
    )


@login_required
@require_POST
def signup(request: HttpRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_open_activity(activity_id)
    try:
        services.signup_create(
            actor=request.user, activity=activity, post=request.POST.get("post", "")
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已报名，请等待组织方审核"))
    return redirect("volunteers:activity", activity_id=activity.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, signup_id: str) -> HttpResponse:
    mine = selectors.get_my_signup(request.user, signup_id)
    try:
        services.signup_withdraw(actor=request.user, signup=mine)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("volunteers:me")


@login_required
@require_POST
def dispute(request: HttpRequest, signup_id: str) -> HttpResponse:
    mine = selectors.get_my_signup(request.user, signup_id)
    try:
        services.hours_dispute(
            actor=request.user, signup=mine, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("异议已提交，组织方会核实并更正"))
    return redirect("volunteers:me")


@login_required
def scan(request: HttpRequest) -> HttpResponse:
    """What the phone opens from the QR code: the page asks for the position (static JS) and
    posts it with the token."""
    token = (request.POST.get("t") or request.GET.get("t") or "")[:300]
    context: dict[str, Any] = {"token": token, "done": None, "error": ""}
    status = 200
    try:
        content = tokens.read(token)
        context["purpose"] = Purpose(content.purpose).label
        context["activity"] = selectors.get_open_activity(content.activity_id)
    except DomainError as exc:
        context["error"], status = exc.detail, exc.status
    if request.method == "POST" and not context["error"]:
        try:
            context["done"] = services.scan(
                actor=request.user,
                token=token,
                lat=request.POST.get("lat"),
                lon=request.POST.get("lon"),
            )
        except DomainError as exc:
            context["error"], status = exc.detail, exc.status
    return render(request, "volunteers/scan.html", context, status=status)


@login_required
@require_POST
def certificate_issue(request: HttpRequest) -> HttpResponse:
    volunteer = selectors.my_volunteer(request.user)
    if volunteer is None:
        messages.error(request, _("请先注册为志愿者"))
        return redirect("volunteers:me")
    try:
        certificate = services.certificate_issue(actor=request.user, volunteer=volunteer)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("证书 %(number)s 已开具") % {"number": certificate.number})
    return redirect("volunteers:me")


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_id: str) -> HttpResponse:
    from banshi.volunteers.certificates import certificate_pdf as render_certificate

    certificate = selectors.get_my_certificate(request.user, certificate_id)
    verify_url = request.build_absolute_uri(
        reverse("volunteers_public:verify_code", args=[certificate.code])
    )
    response = HttpResponse(
        render_certificate(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


# --- the organiser's pages ---------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    require(request.user, "volunteer.view")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:30]
    page = _page(request, selectors.activities_for(request.user, status=status, query=query))
    return render(
        request,
        "volunteers/manage.html",
        {
            "page": page,
            "status": status,
            "q": query,
            "statuses": Status.choices,
            "query": urlencode({"status": status, "q": query}),
            "figures": selectors.figures(request.user),
            "can_create": can(request.user, ORGANISE),
        },
    )


def _activity_fields(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    centre_id = post.get("centre") or ""
    return {
        "org_unit": selectors.get_organiser_unit(request.user, post.get("org_unit")),
        "centre": selectors.get_centre(request.user, centre_id, ORGANISE) if centre_id else None,
        "title": post.get("title"),
        "content": post.get("content"),
        "posts": post.get("posts", ""),
        "starts_at": parse_moment(post.get("starts_at"), field="开始时间"),
        "ends_at": parse_moment(post.get("ends_at"), field="结束时间"),
        "place": post.get("place"),
        "lat": post.get("lat"),
        "lon": post.get("lon"),
        "radius_m": post.get("radius_m"),
    }


def _initial(activity: Activity) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "title": activity.title,
        "content": activity.content,
        "posts": "\n".join(f"{p['name']}:{p['quota']}" for p in activity.posts),
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": activity.place,
        "lat": activity.lat,
        "lon": activity.lon,
        "radius_m": activity.radius_m,
        "centre": activity.centre_id or "",
        "version": activity.version,
    }


@login_required
def activity_form(request: HttpRequest, activity_id: str | None = None) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id) if activity_id else None
    require(request.user, ORGANISE, activity)
    values: Any = (
        request.POST
        if request.method == "POST"
        else (_initial(activity) if activity else {"radius_m": 300})
    )
    error, status = "", 200
    if request.method == "POST":
        try:
            fields = _activity_fields(request)
            if activity is None:
                activity = services.activity_create(actor=request.user, **fields)
            else:
                activity = services.activity_update(
                    actor=request.user,
                    activity=activity,
                    expected_version=expected_version(request),
                    **fields,
                )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            return redirect("volunteers:manage_activity", activity_id=activity.pk)
    picked = activity.org_unit if activity else None
    if request.method == "POST" and request.POST.get("org_unit"):
        try:
            picked = selectors.get_organiser_unit(request.user, request.POST.get("org_unit"))
        except DomainError:
            picked = None
    return render(
        request,
        "volunteers/activity_form.html",
        {
            "activity": activity,
            "values": values,
            "error": error,
            "picked": picked,
            "centres": selectors.centre_choices(request.user),
        },
        status=status,
    )


@login_required
def manage_activity(request: HttpRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    signups = list(selectors.activity_signups(activity))
    steps = [
        step
        for step in LIFECYCLE.available(activity.status)
        if can(request.user, LIFECYCLE.permission(step), activity)
    ]
    return render(
        request,
        "volunteers/manage_activity.html",
        {
            "activity": activity,
            "signups": signups,
            "posts": selectors.posts_left(activity),
            "steps": steps,
            "reasons": {"return", "cancel"},
            "events": selectors.activity_events(activity),
            "can_organise": can(request.user, ORGANISE, activity),
            "can_confirm": can(request.user, CONFIRM, activity),
            "can_review": can(request.user, REVIEW, activity),
            "hours_open": activity.status == Status.ENDED,
            "signup_open": activity.status in {Status.RECRUITING, Status.RUNNING},
            "pending_hours": HoursStatus.PENDING,
            "disputed": HoursStatus.DISPUTED,
            "pending": SignUpStatus.PENDING,
            "approved": SignUpStatus.APPROVED,
            "running": activity.status == Status.RUNNING,
        },
    )


@login_required
@require_POST
def activity_step(request: HttpRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    action = request.POST.get("action", "")
    try:
        if action not in TRANSITIONS:
            raise DomainError("未知的操作", code="unknown_action")
        services.activity_transition(
            actor=request.user,
            activity=activity,
            action=action,
            data={k: request.POST.get(k, "") for k in ("note", "beneficiaries")},
            expected_version=expected_version(request),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已%(step)s") % {"step": _(TRANSITIONS[action].label)})
    return redirect("volunteers:manage_activity", activity_id=activity.pk)


@login_required
@require_POST
def signup_decide(request: HttpRequest, signup_id: str) -> HttpResponse:
    row = selectors.get_signup(request.user, signup_id)
    try:
        services.signup_decide(
            actor=request.user, signup=row, approve=request.POST.get("decision") == "approve"
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("volunteers:manage_activity", activity_id=row.activity_id)


@login_required
@require_POST
def hours_confirm(request: HttpRequest, signup_id: str) -> HttpResponse:
    row = selectors.get_signup(request.user, signup_id)
    try:
        services.hours_confirm(actor=request.user, signup=row)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("volunteers:manage_activity", activity_id=row.activity_id)


@login_required
@require_POST
def hours_correct(request: HttpRequest, signup_id: str) -> HttpResponse:
    row = selectors.get_signup(request.user, signup_id)
    try:
        services.hours_correct(
            actor=request.user,
            signup=row,
            checked_in_at=parse_moment(request.POST.get("checked_in_at"), field="签到时间"),
            checked_out_at=parse_moment(request.POST.get("checked_out_at"), field="签退时间"),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("时长已更正并确认"))
    return redirect("volunteers:manage_activity", activity_id=row.activity_id)


def _qr_context(request: HttpRequest, activity: Activity, purpose: str) -> dict[str, Any]:
    token = services.qr_token(actor=request.user, activity=activity, purpose=purpose)
    url = request.build_absolute_uri(reverse("volunteers:scan") + "?" + urlencode({"t": token}))
    return {
        "activity": activity,
        "purpose": purpose,
        "purpose_label": Purpose(purpose).label,
        "url": url,
        "svg": tokens.qr_svg(url),
        "refresh": QR_REFRESH_SECONDS,
        "ttl": tokens.ttl_seconds(),
    }


@login_required
def qr_page(request: HttpRequest, activity_id: str) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    purpose = request.GET.get("purpose", Purpose.CHECK_IN)
    if purpose not in Purpose.values:
        purpose = Purpose.CHECK_IN
    try:
        context = _qr_context(request, activity, purpose)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("volunteers:manage_activity", activity_id=activity.pk)
    template = "volunteers/_qr.html" if request.headers.get("HX-Request") else "volunteers/qr.html"
    return render(request, template, context)


@login_required
def centres(request: HttpRequest) -> HttpResponse:
    require(request.user, "volunteer.view")
    error, status = "", 200
    if request.method == "POST":
        try:
            services.centre_create(
                actor=request.user,
                org_unit=selectors.get_organiser_unit(request.user, request.POST.get("org_unit")),
                name=request.POST.get("name", ""),
                address=request.POST.get("address", ""),
                opening_hours=request.POST.get("opening_hours", ""),
                services=request.POST.get("services", ""),
                rooms=request.POST.get("rooms", ""),
                lat=request.POST.get("lat"),
                lon=request.POST.get("lon"),
            )
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            messages.success(request, _("邻里中心已设立"))
            return redirect("volunteers:centres")
    return render(
        request,
        "volunteers/centres.html",
        {
            "page": _page(
                request, selectors.centres_for(request.user).order_by("org_unit__path", "name")
            ),
            "error": error,
            "values": request.POST if request.method == "POST" else {},
            "can_create": can(request.user, ORGANISE),
        },
        status=status,
    )


# --- public ------------------------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """The public certificate check (no login): name with its middle hidden, hours, stars, number."""
    code = code or request.GET.get("code", "")
    certificate, error, status = None, "", 200
    if code:
        try:
            certificate = selectors.certificate_by_code(code)
        except DomainError as exc:
            error, status = exc.detail, exc.status
    return render(
        request,
        "volunteers/verify.html",
        {"certificate": certificate, "error": error, "code": code[:20]},
        status=status,
    )
