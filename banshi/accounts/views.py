"""Login and logout, and account and role management for org admins within their subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from banshi.accounts import selectors, services
from banshi.accounts.forms import LoginForm, RoleGrantForm, UserCreateForm
from banshi.accounts.models import User
from banshi.accounts.roles import ACTIONS, Role
from banshi.core.errors import DomainError, Throttled
from banshi.core.http import client_ip
from banshi.core.permissions import can, require
from banshi.orgtree.selectors import get_unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workbench: my roles, and the sections my roles open."""
    user = request.user
    assert isinstance(user, User)  # login_required
    return render(request, "home.html", {"assignments": selectors.active_assignments(user)})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"].strip()
        try:
            services.login_check_throttle(mobile=mobile, client_ip=client_ip(request))
        except Throttled as exc:
            error, status = exc.detail, 429
        else:
            user = authenticate(request, mobile=mobile, password=form.cleaned_data["password"])
            if user is None:
                services.login_record_failure(mobile=mobile, client_ip=client_ip(request))
                error, status = gettext("手机号或密码错误"), 400
            else:
                services.login_clear_failures(mobile=mobile)
                login(request, user)
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                    next_url = ""
                return redirect(next_url or "home")
    elif request.method == "POST":
        error, status = gettext("请填写手机号和密码"), 400
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": next_url},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, gettext("您已安全退出"))
    return redirect("accounts:login")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.view")
    query = request.GET.get("q", "")[:50]
    unit = get_unit(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    users = selectors.users_for(
        request.user, query=query, unit_path=unit.path if unit else None
    ).order_by("org_unit__path", "id")[:300]
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "q": query, "unit": unit, "can_create": can(request.user, "user.manage")},
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    form = UserCreateForm(request.POST or None, initial={"org_unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = get_unit(request.user, data["org_unit"])
            user = services.user_create(
                actor=request.user,
                mobile=data["mobile"],
                name=data["name"],
                org_unit=unit,
                password=data["password"],
                title=data["title"],
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, gettext("已创建账号：%(name)s") % {"name": user.name})
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user(request.user, user_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "assignments": selectors.active_assignments(user),
            "grant_form": RoleGrantForm(initial={"org_unit": user.org_unit_id or ""}),
            "can_grant": can(request.user, "user.grant"),
            "can_manage": can(request.user, "user.manage", user),
            "can_reveal": can(request.user, "pii.view", user),
        },
    )


@login_required
@require_POST
def user_grant(request: HttpRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user(request.user, user_id)
    form = RoleGrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("授权信息填写有误"))
    else:
        try:
            unit = get_unit(request.user, form.cleaned_data["org_unit"])
            services.role_grant(
                actor=request.user,
                user=user,
                role=form.cleaned_data["role"],
                org_unit=unit,
                valid_until=form.cleaned_data["valid_until"],
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                gettext("已授予%(role)s（%(unit)s）")
                % {"role": Role(form.cleaned_data["role"]).label, "unit": unit.name},
            )
    return redirect("accounts:user_detail", user_id=user.pk)


@login_required
@require_POST
def role_revoke(request: HttpRequest, assignment_id: str) -> HttpResponse:
    assignment = selectors.get_assignment(request.user, assignment_id)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("已收回授权"))
    return redirect("accounts:user_detail", user_id=assignment.user_id)


@login_required
@require_POST
def user_set_active(request: HttpRequest, user_id: str) -> HttpResponse:
    user = selectors.get_user(request.user, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=user, active=active)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("账号已启用") if active else gettext("账号已停用"))
    return redirect("accounts:user_detail", user_id=user.pk)


@login_required
@require_POST
def user_reveal_mobile(request: HttpRequest, user_id: str) -> HttpResponse:
    """htmx: swap the masked number for the full one; the view is logged."""
    user = selectors.get_user(request.user, user_id)
    mobile = services.reveal_mobile(actor=request.user, user=user, purpose="页面查看")
    title = gettext("已留痕")
    return HttpResponse(f'<span class="pii-revealed" title="{title}">{mobile}</span>')


@login_required
def roles_help(request: HttpRequest) -> HttpResponse:
    rows = [
        {"action": action, "description": desc, "roles": [Role(r).label for r in sorted(roles)]}
        for action, (desc, roles) in ACTIONS.items()
    ]
    return render(request, "accounts/roles.html", {"rows": rows, "back": reverse("accounts:users")})
