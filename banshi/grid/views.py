"""The party grid's pages: the household register (list, detail, edit, move, archive, import,
export), members with their visits due, the phone-first visit form, the 民情台账, and coverage
and completion per node with the unlinked households one click away.

Each view parses input, calls one selector or service, and renders; a refused write re-renders
its form with the service's Chinese message (status 400), anything out of sight is 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banshi.core.errors import ValidationFailed
from banshi.core.permissions import can, require
from banshi.grid import selectors, services
from banshi.grid.choices import LedgerStatus
from banshi.grid.exports import XLSX_MIME, register_workbook, template_workbook
from banshi.grid.models import FiveKind, HouseholdClass, LinkRole, MemberKind
from banshi.grid.services.register import may_configure
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import get_unit, root_units

PAGE_SIZE = 50
PICK_LIMIT = 20
ROLLUP_LEVELS = [Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.MICROGRID]


def _unit(request: HttpRequest, action: str) -> OrgUnit | None:
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        return get_unit(request.user, unit_id, action)
    roots = list(root_units(request.user))
    return roots[0] if len(roots) == 1 else None


def _page(request: HttpRequest, total: int) -> tuple[int, int, str]:
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return min(page, pages), pages, query.urlencode()


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "") in {"1", "on", "true"}


# --- the register ---------------------------------------------------------------------------


@login_required
@require_GET
def households(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    unit = _unit(request, "household.view")
    filters: dict[str, Any] = {
        "q": request.GET.get("q", "").strip()[:50],
        "tag": request.GET.get("tag", "").strip()[:30],
        "unlinked": _flag(request, "unlinked"),
        "overdue": _flag(request, "overdue"),
    }
    context: dict[str, Any] = {"unit": unit, "filters": filters, "tags": selectors.tags()}
    if unit is not None:
        rows = selectors.households_under(
            request.user,
            unit,
            query=filters["q"],
            tag=filters["tag"],
            unlinked=filters["unlinked"],
            overdue=filters["overdue"],
        )
        total = rows.count()
        page, pages, query = _page(request, total)
        context |= dict(
            households=list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
            total=total,
            page=page,
            pages=pages,
            query=query,
            can_reveal=can(request.user, "pii.view", unit),
            can_manage=can(request.user, "household.manage", unit),
            figures=(
                selectors.figures_total(request.user, unit)
                if can(request.user, "grid.stats", unit)
                else None
            ),
        )
    return render(request, "grid/households.html", context)


@login_required
@require_GET
def households_export(request: HttpRequest) -> HttpResponse:
    unit = _unit(request, "household.view")
    if unit is None:
        raise ValidationFailed("请选择单位", code="unit_required")
    rows = selectors.households_under(request.user, unit)
    with translation.override(settings.LANGUAGE_CODE):
        content = register_workbook(rows.iterator(chunk_size=500))
    response = HttpResponse(content, content_type=XLSX_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="households-{stamp}.xlsx"; '
        f"filename*=UTF-8''%E4%BD%8F%E6%88%B7%E5%8F%B0%E8%B4%A6-{stamp}.xlsx"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def households_import(request: HttpRequest) -> HttpResponse:
    unit = _unit(request, "household.manage")
    if unit is None:
        raise ValidationFailed("请先选择社区或网格", code="unit_required")
    require(request.user, "household.manage", unit)
    if request.method == "GET" and request.GET.get("template"):
        response = HttpResponse(template_workbook(), content_type=XLSX_MIME)
        response["Content-Disposition"] = 'attachment; filename="households-template.xlsx"'
        return response
    context: dict[str, Any] = {"unit": unit}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationFailed("请选择要导入的 Excel 文件", code="file_required")
            context["report"] = services.import_households(
                actor=request.user, unit=unit, data=upload.read()
            )
        except ValidationFailed as exc:
            context["error"] = exc.detail
            context["errors"] = exc.extra.get("errors", [])
            status = 400
    return render(request, "grid/import.html", context, status=status)


@login_required
@require_GET
def household(request: HttpRequest, household_id: str) -> HttpResponse:
    item = selectors.get_household(request.user, household_id)
    return render(
        request,
        "grid/household.html",
        {
            "h": item,
            "residents": item.residents.filter(archived_at=None).order_by("id"),
            "warnings": selectors.household_warnings(item),
            "links": selectors.links_of(item),
            "visits": selectors.visits_of(item)[:20],
            "ledger": item.ledger_items.order_by("status", "-created_at"),
            "five": selectors.five_register(item),
            "five_kinds": [(k, v) for k, v in FiveKind.choices if k != FiveKind.VISIT],
            "link_roles": LinkRole.choices,
            "pick_members": f"{reverse('grid:pick_members')}?household={item.pk}",
            "can_manage": can(request.user, "household.manage", item),
            "can_link": can(request.user, "grid.link", item),
            "can_visit": can(request.user, "grid.visit", item),
            "can_reveal": can(request.user, "pii.view", item),
            "today": timezone.localdate(),
        },
    )


def _tag_codes(request: HttpRequest) -> list[str]:
    return [t[:30] for t in request.POST.getlist("tags")][:20]


@login_required
@require_http_methods(["GET", "POST"])
def household_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.manage")
    context: dict[str, Any] = {"tags": selectors.tags().filter(is_active=True), "values": {}}
    grid_id = request.GET.get("grid") or request.POST.get("grid")
    grid = get_unit(request.user, grid_id, "household.manage") if grid_id else None
    context["grid"] = grid
    if request.method == "POST":
        context["values"] = {**request.POST.dict(), "tags": _tag_codes(request)}
        try:
            if grid is None:
                raise ValidationFailed("请选择所属微网格", code="grid_required")
            created = services.household_create(
                actor=request.user,
                grid=grid,
                label=request.POST.get("label", ""),
                address=request.POST.get("address", ""),
                tags=_tag_codes(request),
            )
            if request.POST.get("head"):
                services.resident_add(
                    actor=request.user,
                    household=created,
                    name=request.POST.get("head", ""),
                    mobile=request.POST.get("mobile", ""),
                )
            return redirect("grid:household", created.pk)
        except ValidationFailed as exc:
            context["error"] = exc.detail
            return render(request, "grid/household_form.html", context, status=400)
    return render(request, "grid/household_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, household_id: str) -> HttpResponse:
    item = selectors.get_household(request.user, household_id)
    require(request.user, "household.manage", item)
    context: dict[str, Any] = {
        "h": item,
        "grid": item.grid,
        "tags": selectors.tags().filter(is_active=True),
        "values": {"label": item.org_unit.name, "address": item.address, "tags": item.tags},
    }
    if request.method == "POST":
        context["values"] = {**request.POST.dict(), "tags": _tag_codes(request)}
        try:
            services.household_update(
                actor=request.user,
                household=item,
                label=request.POST.get("label", ""),
                address=request.POST.get("address", ""),
                tags=_tag_codes(request),
            )
            new_grid = request.POST.get("grid")
            if new_grid and str(new_grid) != str(item.grid_id):
                grid = get_unit(request.user, new_grid, "household.manage")
                services.household_move(actor=request.user, household=item, grid=grid)
            return redirect("grid:household", item.pk)
        except ValidationFailed as exc:
            context["error"] = exc.detail
            return render(request, "grid/household_form.html", context, status=400)
    return render(request, "grid/household_form.html", context)


@login_required
@require_POST
def household_archive(request: HttpRequest, household_id: str) -> HttpResponse:
    item = selectors.get_household(request.user, household_id)
    services.household_archive(
        actor=request.user, household=item, reason=request.POST.get("reason", "")
    )
    return redirect(f"{reverse('grid:households')}?unit={item.grid_id}")


@login_required
@require_POST
def resident_save(request: HttpRequest, household_id: str) -> HttpResponse:
    """Add a member, or edit one (``resident`` given); phone and ID left blank stay as they are."""
    item = selectors.get_household(request.user, household_id)
    resident_id = request.POST.get("resident")
    fields: dict[str, Any] = {
        "name": request.POST.get("name", ""),
        "relation": request.POST.get("relation", "") or "户主",
        "is_party_member": request.POST.get("is_party_member") == "on",
    }
    if resident_id:
        resident = selectors.get_resident(request.user, resident_id)
        if resident.household_id != item.pk:
            raise ValidationFailed("成员不属于该住户", code="wrong_household")
        if request.POST.get("archive"):
            services.resident_archive(actor=request.user, resident=resident)
        else:
            services.resident_update(
                actor=request.user,
                resident=resident,
                mobile=request.POST.get("mobile") or None,
                id_number=request.POST.get("id_number") or None,
                **fields,
            )
    else:
        services.resident_add(
            actor=request.user,
            household=item,
            mobile=request.POST.get("mobile", ""),
            id_number=request.POST.get("id_number", ""),
            **fields,
        )
    return redirect("grid:household", item.pk)


@login_required
@require_POST
def resident_reveal(request: HttpRequest, resident_id: str) -> HttpResponse:
    resident = selectors.get_resident(request.user, resident_id)
    data = services.resident_reveal(actor=request.user, resident=resident, purpose="住户台账")
    return HttpResponse(f'<span class="pii-revealed" title="已留痕">{data["mobile"] or "—"}</span>')


# --- links and members ----------------------------------------------------------------------


@login_required
@require_POST
def link_save(request: HttpRequest, household_id: str) -> HttpResponse:
    item = selectors.get_household(request.user, household_id)
    if request.POST.get("link"):
        link = selectors.get_link(request.user, request.POST["link"])
        services.link_end(actor=request.user, link=link, end=request.POST.get("end") or None)
    else:
        member = selectors.get_member(request.user, request.POST.get("member", ""), "grid.link")
        services.link_create(
            actor=request.user,
            member=member,
            household=item,
            role=request.POST.get("role", LinkRole.LIANHU),
            start=request.POST.get("start") or None,
        )
    return redirect("grid:household", item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    unit = _unit(request, "household.view")
    context: dict[str, Any] = {"unit": unit, "kinds": MemberKind.choices, "values": {}}
    status = 200
    if request.method == "POST" and unit is not None:
        context["values"] = request.POST.dict()
        try:
            place = get_unit(request.user, request.POST.get("org_unit", ""), "grid.manage")
            services.party_member_create(
                actor=request.user,
                org_unit=place,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                mobile=request.POST.get("mobile", ""),
            )
            return redirect(f"{reverse('grid:members')}?unit={unit.pk}")
        except ValidationFailed as exc:
            context["error"] = exc.detail
            status = 400
    if unit is not None:
        rows = selectors.members_with_due(request.user, unit)
        total = rows.count()
        page, pages, query = _page(request, total)
        context |= dict(
            members=list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
            page=page,
            pages=pages,
            query=query,
            can_manage=can(request.user, "grid.manage", unit),
        )
    return render(request, "grid/members.html", context, status=status)


@login_required
@require_GET
def member(request: HttpRequest, member_id: str) -> HttpResponse:
    """A member's households with the date each next visit is due: the grid member's day."""
    item = selectors.get_member(request.user, member_id)
    return render(
        request,
        "grid/member.html",
        {"m": item, "due": selectors.member_visits_due(item), "today": timezone.localdate()},
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in grid member's own page, when they are on a roster."""
    own = getattr(request.user, "party_member", None)
    if own is not None:
        return redirect("grid:member", own.pk)
    return redirect("grid:members")


# --- visits, 民情台账, 五个到户 -----------------------------------------------------------------


def _local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, household_id: str) -> HttpResponse:
    """The visit form, phone first: when, what was found, a photo, where; a finding can go to the
    12345 centre as a request or onto the 民情台账 (one line per item)."""
    item = selectors.get_household(request.user, household_id)
    require(request.user, "grid.visit", item)
    from banshi.workorders.selectors import leaf_categories

    now = timezone.now()
    context: dict[str, Any] = {
        "h": item,
        "max": _local_input(now),
        "values": {"visited_at": _local_input(now)},
        "categories": leaf_categories(),
        "own": getattr(request.user, "party_member", None),
    }
    if request.method == "POST":
        context["values"] = request.POST.dict()
        finding = None
        if request.POST.get("to_request") == "on":
            finding = services.FindingRequest(
                category_id=request.POST.get("category", ""),
                content=request.POST.get("request_content", ""),
                kind=request.POST.get("kind", "help")[:20],
            )
        ledger = [line for line in request.POST.get("ledger", "").splitlines() if line.strip()]
        try:
            services.visit_record(
                actor=request.user,
                household=item,
                visited_at=request.POST.get("visited_at", ""),
                findings=request.POST.get("findings", ""),
                photo=request.FILES.get("photo"),
                latitude=request.POST.get("latitude") or None,
                longitude=request.POST.get("longitude") or None,
                request=finding,
                ledger=ledger,
            )
            return redirect("grid:household", item.pk)
        except ValidationFailed as exc:
            context["error"] = exc.detail
            return render(request, "grid/visit_form.html", context, status=400)
    return render(request, "grid/visit_form.html", context)


@login_required
@require_POST
def five_save(request: HttpRequest, household_id: str) -> HttpResponse:
    item = selectors.get_household(request.user, household_id)
    services.five_record(
        actor=request.user,
        household=item,
        kind=request.POST.get("kind", ""),
        on=request.POST.get("on", ""),
        note=request.POST.get("note", ""),
    )
    return redirect("grid:household", item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    unit = _unit(request, "household.view")
    status = request.GET.get("status", LedgerStatus.OPEN)
    if status not in LedgerStatus.values:
        status = ""
    context: dict[str, Any] = {"unit": unit, "status": status, "statuses": LedgerStatus.choices}
    if unit is not None:
        rows = selectors.ledger_under(request.user, unit, status=status)
        total = rows.count()
        page, pages, query = _page(request, total)
        context |= dict(
            items=list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
            page=page,
            pages=pages,
            query=query,
        )
    return render(request, "grid/ledger.html", context)


@login_required
@require_POST
def ledger_action(request: HttpRequest, item_id: str, action: str) -> HttpResponse:
    from banshi.core.http import expected_version

    item = selectors.get_ledger_item(request.user, item_id)
    if action not in {"close", "reopen"}:
        raise ValidationFailed("未知的操作", code="unknown_action")
    services.ledger_transition(
        actor=request.user,
        item=item,
        action=action,
        data={"result": request.POST.get("result", ""), "reason": request.POST.get("reason", "")},
        expected_version=expected_version(request),
    )
    back = request.POST.get("next", "")
    if back.startswith("/grid/"):
        return redirect(back)
    return redirect("grid:household", item.household_id)


# --- figures --------------------------------------------------------------------------------


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Coverage and completion of the chosen node's children (or of every node of a level under
    it), each with a link to its unlinked and its overdue households."""
    require(request.user, "grid.stats")
    unit = _unit(request, "grid.stats")
    level = request.GET.get("level", "")
    if level not in ROLLUP_LEVELS:
        level = ""
    context: dict[str, Any] = {
        "unit": unit,
        "level": level,
        "levels": [(str(lv), Level(lv).label) for lv in ROLLUP_LEVELS],
    }
    if unit is not None:
        context["total"] = selectors.figures_total(request.user, unit)
        context["rows"] = selectors.figures_by(request.user, unit, level or None)
    return render(request, "grid/figures.html", context)


# --- pickers (the project's search picker: workorders/_unitpicker.html) ---------------------


@login_required
@require_GET
def pick_grids(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    if request.GET.get("for") == "member":  # where a member may be put on the roster
        units = selectors.grid_units(
            request.user,
            query,
            action="grid.manage",
            levels=[Level.COMMUNITY, Level.BRANCH, Level.MICROGRID],
        )
    else:  # where a household may be registered or moved to
        units = selectors.grid_units(request.user, query)
    return render(
        request,
        "grid/_pick.html",
        {
            "items": list(units[:PICK_LIMIT]),
            "query": query,
            "target": request.GET.get("target", "grid")[:30],
        },
    )


@login_required
@require_GET
def pick_members(request: HttpRequest) -> HttpResponse:
    """Members who may link the household (``household``): the roster of its organisation."""
    query = request.GET.get("q", "").strip()[:50]
    target = request.GET.get("target", "member")[:30]
    household_id = request.GET.get("household")
    if household_id:
        item = selectors.get_household(request.user, household_id)
        # The household's community (its grid's ancestors) is where its members sit.
        place = item.grid.parent if item.grid.level == Level.MICROGRID else item.grid
        community = place.parent if place is not None and place.level == Level.BRANCH else place
        base: OrgUnit | None = community or item.grid
    else:
        base = _unit(request, "household.view")
    members_found = []
    if base is not None:
        members_found = [
            m
            for m in selectors.members_under(request.user, base, query=query).filter(is_active=True)
            if not household_id or item.org_unit.path.startswith(m.org_unit.path)
        ][:PICK_LIMIT]
    return render(
        request,
        "grid/_pick.html",
        {"items": members_found, "query": query, "target": target, "members": True},
    )


# --- configuration --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Household tags and visit rules, the city's: shown to every register reader, changed by a
    city-level ``grid.configure`` grant."""
    require(request.user, "household.view")
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rule":
                try:
                    days = int(request.POST.get("interval_days", ""))
                except ValueError:
                    raise ValidationFailed("走访间隔应为整数天", code="invalid_interval") from None
                services.visit_rule_set(
                    actor=request.user,
                    household_class=request.POST.get("household_class", ""),
                    interval_days=days,
                )
            else:
                try:
                    sort = int(request.POST.get("sort", "") or 100)
                except ValueError:
                    raise ValidationFailed("排序应为整数", code="invalid_sort") from None
                services.tag_save(
                    actor=request.user,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    vulnerable=request.POST.get("vulnerable") == "on",
                    sort=sort,
                    is_active=request.POST.get("is_active") == "on",
                )
            return redirect("grid:settings")
        except ValidationFailed as exc:
            context["error"] = exc.detail
            status = 400
    context["can_configure"] = may_configure(request.user)
    context |= dict(
        tags=selectors.tags(), rules=selectors.visit_rules(), classes=HouseholdClass.choices
    )
    return render(request, "grid/settings.html", context, status=status)
