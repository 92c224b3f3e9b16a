"""Reads behind the Open311 endpoints: the jurisdiction, the published services and their
definitions, the public view of requests (never the caller's name, phone or e-mail, never a
confidential caller's request: ``workorders.privacy``), tokens and the public status-change feed.
Everything here maps workorders' data; no rule is decided here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from banshi.core.choices import Colour
from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import is_digits
from banshi.open311.formats import Many
from banshi.open311.models import ServiceAttribute, SubmittedRequest
from banshi.orgtree.models import OrgUnit
from banshi.workorders.choices import FINAL_STATUSES, OPEN_STATUSES, Channel, Status
from banshi.workorders.clock import LIGHT_LABELS, light_of
from banshi.workorders.models import Attachment, Category, Event, WorkOrder, WorkOrderCoUnit
from banshi.workorders.privacy import public_text, published

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The city this endpoint serves (an OrgUnit code) and the other names clients may call it by:
# the spec suggests the city's web domain; a pinyin slug is what most clients configure.
JURISDICTION_CODE: str = getattr(settings, "OPEN311_JURISDICTION", "4301")
JURISDICTION_ALIASES: dict[str, tuple[str, ...]] = getattr(
    settings,
    "OPEN311_JURISDICTION_ALIASES",
    {"4301": ("changsha", "changsha.gov.cn", "www.changsha.gov.cn")},
)
DEFAULT_WINDOW = datetime.timedelta(days=90)
MAX_RESULTS = 1000
# media_url links to a photo are signed and last a week (OPEN311_MEDIA_URL_MAX_AGE, seconds);
# every GET hands out a fresh one.
MEDIA_SALT = "banshi.open311.media"
MEDIA_MAX_AGE_SECONDS = 7 * 24 * 3600


# --- jurisdiction -------------------------------------------------------------------------------


def jurisdiction() -> OrgUnit | None:
    return OrgUnit.objects.filter(code=JURISDICTION_CODE).first()


def check_jurisdiction(value: str | None) -> OrgUnit | None:
    """The endpoint serves one city, so ``jurisdiction_id`` is optional (the spec lets a
    single-jurisdiction server treat it so); when given it must name this city: its division
    code, its Chinese name, its pinyin or its domain — anything else is 404."""
    city = jurisdiction()
    if value is None:
        return city
    wanted = value.strip().lower()
    names: set[str] = set()
    if city is not None:
        names = {JURISDICTION_CODE.lower(), city.name.lower()}
        names.update(a.lower() for a in JURISDICTION_ALIASES.get(JURISDICTION_CODE, ()))
    if wanted not in names:
        raise NotFound(
            f"jurisdiction_id“{value[:50]}”不存在，本接口服务的辖区为 {JURISDICTION_CODE}"
        )
    return city


# --- services -----------------------------------------------------------------------------------


def published_services() -> QuerySet[Category]:
    """Published, active leaf categories: a request can only be filed on a leaf."""
    live_children = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
    return (
        Category.objects.filter(open311_published=True, is_active=True)
        .exclude(Exists(live_children))
        .select_related("parent__parent")
        .order_by("sort", "code")
    )


def get_service(code: str) -> Category:
    service = published_services().filter(code=code[:20]).first()
    if service is None:
        raise NotFound(f"service_code“{code[:40]}”不存在或未发布")
    return service


def _top(category: Category) -> Category:
    node = category
    while node.parent is not None:
        node = node.parent
    return node


def service_list() -> Many:
    services = list(published_services())
    with_attributes = set(
        ServiceAttribute.objects.filter(category__in=services).values_list("category_id", flat=True)
    )
    items = []
    for service in services:
        names = []
        node: Category | None = service
        while node is not None:
            names.append(node.name)
            node = node.parent
        items.append(
            {
                "service_code": service.code,
                "service_name": service.name,
                "description": service.open311_notice or service.full_name,
                "metadata": service.pk in with_attributes,
                "type": "realtime",
                "keywords": ", ".join(names),
                "group": _top(service).name,
            }
        )
    return Many("service", items)


def definition_of(service: Category) -> list[ServiceAttribute]:
    return list(
        ServiceAttribute.objects.filter(category=service)
        .prefetch_related("values")
        .order_by("order")
    )


def service_definition(service: Category) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "attributes": Many(
            "attribute",
            [
                {
                    "variable": a.variable,
                    "code": a.code,
                    "datatype": a.datatype,
                    "required": a.required,
                    "datatype_description": a.datatype_description or None,
                    "order": a.order,
                    "description": a.description,
                    "values": Many(
                        "value", [{"key": v.key, "name": v.name} for v in a.values.all()]
                    ),
                }
                for a in definition_of(service)
            ],
        ),
    }


def changeset() -> datetime.datetime:
    """When the service list or a definition last changed (the discovery ``changeset``)."""
    latest = ServiceAttribute.objects.order_by("-updated_at").values_list("updated_at", flat=True)
    stamp = latest.first()
    return stamp or datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


# --- requests -----------------------------------------------------------------------------------


def public_requests() -> QuerySet[WorkOrder]:
    """Requests the public Open311 view shows: those filed under a published service, except
    confidential callers'. Adds the latest public note and time (status_notes, updated)."""
    latest = Event.objects.filter(order=OuterRef("pk"), public=True).order_by("-at", "-id")
    return (
        # Unscoped: the public feed has no user; ``published()`` and the masked output decide.
        WorkOrder.objects.unscoped()
        .filter(published(), category__open311_published=True)
        .select_related("category", "lead_unit", "org_unit", "open311")
        .annotate(
            public_note=Subquery(latest.values("note")[:1]),
            public_at=Subquery(latest.values("at")[:1]),
        )
    )


def with_media(qs: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    images = Attachment.objects.filter(
        stage=Attachment.Stage.INTAKE, content_type__startswith="image/"
    ).order_by("id")
    return qs.prefetch_related(Prefetch("attachments", queryset=images, to_attr="intake_images"))


def with_extensions(qs: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return qs.prefetch_related(
        Prefetch(
            "co_unit_links",
            queryset=WorkOrderCoUnit.objects.select_related("unit").order_by("id"),
            to_attr="co_links",
        ),
        Prefetch(
            "events",
            queryset=Event.objects.filter(public=True).order_by("at", "id"),
            to_attr="public_events",
        ),
    )


def get_public_request(ref: str) -> WorkOrder:
    text = ref or ""  # not stripped: "1\n" in a path is not request 1
    if not is_digits(text) or len(text) > 18:
        raise NotFound(f"service_request_id“{text[:40]}”不存在")
    order = with_media(public_requests()).filter(pk=int(text)).first()
    if order is None:
        raise NotFound(f"service_request_id“{text}”不存在")
    return order


@dataclass
class RequestQuery:
    ids: list[int] | None = None
    service_codes: list[str] | None = None
    statuses: list[str] | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    page: int = 1
    page_size: int = MAX_RESULTS


def _window(
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    label: str,
    now: datetime.datetime,
    *,
    default: bool,
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    if start and end:
        if start > end:
            raise ValidationFailed(f"{label}的开始时间晚于结束时间", code="invalid_range")
        if end - start > DEFAULT_WINDOW:
            raise ValidationFailed(f"{label}的跨度不能超过90天", code="range_too_long")
        return start, end
    if start:
        return start, start + DEFAULT_WINDOW
    if end:
        return end - DEFAULT_WINDOW, end
    if default:
        return now - DEFAULT_WINDOW, now
    return None, None


def search_requests(
    q: RequestQuery, *, now: datetime.datetime | None = None
) -> tuple[QuerySet[WorkOrder], int]:
    """GET requests: ids override everything else; otherwise service codes, statuses and a
    requested window (default: the last 90 days; at most 90 days), newest first. The
    updated_after/updated_before extension filters on the latest public change and, when given
    alone, replaces the default requested window. Returns (page, total)."""
    now = now or timezone.now()
    qs = public_requests()
    if q.ids is not None:
        qs = qs.filter(pk__in=q.ids).order_by("-received_at", "-id")
        return with_media(qs)[:MAX_RESULTS], qs.count()
    if q.service_codes:
        known = set(
            published_services().filter(code__in=q.service_codes).values_list("code", flat=True)
        )
        unknown = [c for c in q.service_codes if c not in known]
        if unknown:
            raise NotFound(f"service_code“{'、'.join(unknown)[:100]}”不存在或未发布")
        qs = qs.filter(category__code__in=q.service_codes)
    if q.statuses:
        wanted = {s.lower() for s in q.statuses}
        bad = wanted - {"open", "closed"}
        if bad:
            raise ValidationFailed(
                f"status 只能是 open 或 closed：{'、'.join(sorted(bad))[:60]}",
                code="invalid_status",
            )
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=FINAL_STATUSES)
    updated = q.updated_after is not None or q.updated_before is not None
    start, end = _window(q.start, q.end, "start_date/end_date", now, default=not updated)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    after, before = _window(
        q.updated_after, q.updated_before, "updated_after/updated_before", now, default=False
    )
    if after is not None:
        qs = qs.filter(
            Exists(Event.objects.filter(order=OuterRef("pk"), public=True, at__gt=after))
        )
    if before is not None and q.updated_before is not None:
        qs = qs.filter(
            ~Exists(Event.objects.filter(order=OuterRef("pk"), public=True, at__gte=before))
        )
    total = qs.count()
    offset = (q.page - 1) * q.page_size
    page = with_media(qs.order_by("-received_at", "-id"))[offset : offset + q.page_size]
    return page, total


def token_request(token: str) -> SubmittedRequest:
    text = (token or "").strip()
    found = None
    if 0 < len(text) <= 32:
        found = SubmittedRequest.objects.filter(token=text).first()
    if found is None:
        raise NotFound(f"token“{text[:40]}”不存在")
    return found


# --- the public view of one request ---------------------------------------------------------------


def _updated(order: WorkOrder) -> datetime.datetime:
    if order.status in FINAL_STATUSES and order.closed_at:
        return order.closed_at
    return getattr(order, "public_at", None) or order.received_at


def public_media(order: WorkOrder) -> list[Attachment]:
    """The photos of a request anyone may see: those an Open311 client sent with it. Photos from
    other channels stay internal."""
    if order.channel != Channel.OPEN311:
        return []
    images = getattr(order, "intake_images", None)
    if images is None:
        images = list(
            order.attachments.filter(
                stage=Attachment.Stage.INTAKE, content_type__startswith="image/"
            ).order_by("id")
        )
    return list(images)


def media_link(attachment: Attachment) -> str:
    """A path that serves this photo until the link expires (uploads are never served from an
    open /media/ URL). Signed, so it cannot be changed to reach another file."""
    signed = TimestampSigner(salt=MEDIA_SALT).sign(f"{attachment.order_id}.{attachment.pk}")
    return reverse("open311:media", kwargs={"signed": signed})


def media_from_link(signed: str) -> Attachment:
    """The photo a link names, if the link is intact and fresh and the photo is still public
    (its request may have been made confidential since); NotFound otherwise."""
    try:
        value = TimestampSigner(salt=MEDIA_SALT).unsign(signed, max_age=media_max_age())
    except BadSignature as exc:  # also SignatureExpired
        raise NotFound("媒体链接无效或已过期") from exc
    order_id, _, attachment_id = value.partition(".")
    if not (is_digits(order_id) and is_digits(attachment_id)):  # pragma: no cover - we signed it
        raise NotFound("媒体链接无效或已过期")
    order = public_requests().filter(pk=int(order_id)).first()
    found = [a for a in public_media(order) if a.pk == int(attachment_id)] if order else []
    if not found:
        raise NotFound("媒体链接无效或已过期")
    return found[0]


def media_max_age() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=int(getattr(settings, "OPEN311_MEDIA_URL_MAX_AGE", MEDIA_MAX_AGE_SECONDS))
    )


def media_url(order: WorkOrder, absolute: Callable[[str], str]) -> str | None:
    """The first public photo as a signed link, else the link the client sent, else none."""
    images = public_media(order)
    if images:
        return absolute(media_link(images[0]))
    try:
        submitted = order.open311  # type: ignore[attr-defined]
    except SubmittedRequest.DoesNotExist:
        return None
    return submitted.media_url or None


def request_document(
    order: WorkOrder,
    *,
    absolute: Callable[[str], str],
    extensions: bool = False,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    scrub = public_text(order)
    doc: dict[str, Any] = {
        "service_request_id": str(order.pk),
        "status": "closed" if order.status in FINAL_STATUSES else "open",
        "status_notes": scrub(getattr(order, "public_note", None)) or None,
        "service_name": order.category.name,
        "service_code": order.category.code,
        "description": scrub(order.content),
        "agency_responsible": order.lead_unit.name if order.lead_unit else None,
        "service_notice": order.category.open311_notice or None,
        "requested_datetime": order.received_at,
        "updated_datetime": _updated(order),
        "expected_datetime": order.close_due,
        "address": scrub(order.address) or order.org_unit.name,
        "address_id": order.org_unit.code or None,
        "zipcode": None,
        "lat": float(order.latitude) if order.latitude is not None else None,
        "long": float(order.longitude) if order.longitude is not None else None,
        "media_url": media_url(order, absolute),
    }
    if extensions:
        doc["extended_attributes"] = _extended(order, scrub, now or timezone.now())
    return doc


def _scrubbed(scrub: Callable[[str | None], str | None], value: Any) -> Any:
    return scrub(value) if isinstance(value, str) else value


def _extended(
    order: WorkOrder, scrub: Callable[[str | None], str | None], now: datetime.datetime
) -> dict[str, Any]:
    links = getattr(order, "co_links", None)
    if links is None:
        links = list(order.co_unit_links.select_related("unit").order_by("id"))
    events = getattr(order, "public_events", None)
    if events is None:
        events = list(order.events.filter(public=True).order_by("at", "id"))
    light = light_of(order, now)
    answers = order.open311_attributes if isinstance(order.open311_attributes, dict) else {}
    return {
        "number": order.number,
        "state": order.status,
        "state_label": str(Status(order.status).label),
        "kind": order.kind,
        "urgency": order.urgency,
        "channel": order.channel,
        "sign_due": order.sign_due,
        "contact_due": order.contact_due,
        "close_due": order.close_due,
        "light": None if light == Colour.NONE else light,
        "light_label": None if light == Colour.NONE else str(LIGHT_LABELS[light]),
        "lead_unit": order.lead_unit.name if order.lead_unit else None,
        "co_units": Many("co_unit", [link.unit.name for link in links]),
        "attributes": Many(
            "attribute",
            [
                {
                    "code": code,
                    "value": (
                        Many("value", [_scrubbed(scrub, v) for v in value])
                        if isinstance(value, list)
                        else _scrubbed(scrub, value)
                    ),
                }
                for code, value in answers.items()
            ],
        ),
        "timeline": Many(
            "event",
            [{"datetime": e.at, "type": e.action, "description": scrub(e.note)} for e in events],
        ),
    }


# --- the request-updates feed ------------------------------------------------------------------


def updates_feed(
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    *,
    page: int = 1,
    page_size: int = MAX_RESULTS,
    now: datetime.datetime | None = None,
) -> tuple[list[Event], int]:
    """Public status changes of the published requests between start and end (default: the last
    90 days, at most 90 days), oldest first, so a client can poll with start_date = the last
    updated_datetime it saw."""
    now = now or timezone.now()
    start, end = _window(start, end, "start_date/end_date", now, default=True)
    qs = (
        Event.objects.filter(
            published("order__"),
            public=True,
            order__category__open311_published=True,
        )
        .filter(Q(at__gte=start) & Q(at__lte=end))
        .select_related("order")
        .order_by("at", "id")
    )
    total = qs.count()
    offset = (page - 1) * page_size
    return list(qs[offset : offset + page_size]), total


def update_document(event: Event, *, extensions: bool = False) -> dict[str, Any]:
    order = event.order
    state = event.to_status or order.status
    doc: dict[str, Any] = {
        "update_id": str(event.pk),
        "service_request_id": str(order.pk),
        "status": "closed" if state in FINAL_STATUSES else "open",
        "updated_datetime": event.at,
        "description": public_text(order)(event.note) or None,
        "media_url": None,
    }
    if extensions:
        doc["extended_attributes"] = {
            "state": state,
            "state_label": str(Status(state).label) if state in Status.values else None,
            "type": event.action,
        }
    return doc
