"""The GeoReport v2 endpoints. Each view reads the parameters, calls selectors or
``services.request_submit``, and renders XML or JSON by the URL's suffix. Every failure — ours,
the client's, the database's — leaves as the spec's error list with 400, 403, 404 or 429; never a
500."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import FileResponse, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from banshi.core.errors import (
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Throttled,
)
from banshi.core.errors import ValidationFailed as Invalid
from banshi.core.files import EXTENSIONS
from banshi.core.geo import parse_point
from banshi.core.http import client_ip
from banshi.core.validation import clean_text, is_digits
from banshi.open311 import selectors
from banshi.open311.formats import FORMATS, JSON, XML, Many, render, render_errors
from banshi.open311.models import SubmittedRequest
from banshi.open311.params import Params, clean_attributes, raw_attributes
from banshi.open311.services import RequestIn, authenticate_post, request_submit
from banshi.orgtree.choices import Level
from banshi.orgtree.geo import district_code_at
from banshi.orgtree.models import OrgUnit
from banshi.orgtree.selectors import unit_by_code
from banshi.workorders.location import resolve_unit
from banshi.workorders.models import Category
from banshi.workorders.uploads import MAX_BYTES, MAX_FILES, check_files

logger = logging.getLogger(__name__)

MAX_BODY = MAX_FILES * MAX_BYTES + 1024 * 1024
COORDINATE_SYSTEMS = {"wgs84", "gcj02", "bd09"}
ADDRESS_LEVELS = {Level.DISTRICT, Level.STREET, Level.COMMUNITY}

View = Callable[..., HttpResponse]


def _status_of(error: DomainError) -> int:
    if isinstance(error, Throttled):
        return 429
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, PermissionDenied | NotAuthenticated):
        return 403
    return 400


def _carries_nul(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    """A NUL byte in a path part or parameter: no valid value has one, and PostgreSQL refuses
    it in any text comparison, so it is turned away before it reaches a query."""
    values = [str(v) for v in kwargs.values()]
    for query in (request.GET, request.POST if request.method == "POST" else None):
        if query is not None:
            values.extend(query.keys())
            for key in query:
                values.extend(query.getlist(key))
    return any("\x00" in value for value in values)


def endpoint(*methods: str) -> Callable[[View], View]:
    """The boundary: format from the suffix, allowed methods, and every exception mapped to the
    spec's error list (DomainError by its kind; anything unexpected is logged and answered as the
    spec's "400 General service error")."""

    def wrap(func: View) -> View:
        @csrf_exempt
        def view(request: HttpRequest, fmt: str = XML, **kwargs: Any) -> HttpResponse:
            fmt = (fmt or XML).lower()
            if fmt not in FORMATS:
                return render_errors(XML, 400, [f"不支持的格式“{fmt[:10]}”，请使用 .xml 或 .json"])
            allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())
            if request.method not in allowed:
                response = render_errors(
                    fmt, 400, [f"该资源不支持 {request.method} 方法，只支持 {'、'.join(methods)}"]
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                if _carries_nul(request, kwargs):
                    return render_errors(fmt, 400, ["参数中含有不允许的控制字符（NUL）"])
                return func(request, fmt, **kwargs)
            except DomainError as exc:
                response = render_errors(fmt, _status_of(exc), [exc.detail])
                if exc.extra.get("retry_after"):
                    response["Retry-After"] = str(exc.extra["retry_after"])
                return response
            except (
                RequestDataTooBig,
                TooManyFieldsSent,
                TooManyFilesSent,
                MultiPartParserError,
                UnreadablePostError,
                SuspiciousOperation,
                BadRequest,
                UnicodeDecodeError,
            ) as exc:
                logger.info("open311 rejected a malformed request: %s", exc)
                return render_errors(fmt, 400, ["请求格式不正确，无法解析"])
            except Exception:
                logger.exception("open311 general service error")
                return render_errors(
                    fmt, 400, ["服务处理出错（General service error），请稍后重试"]
                )

        view.__name__ = func.__name__
        view.__doc__ = func.__doc__
        return view

    return wrap


def _absolute(request: HttpRequest) -> Callable[[str], str]:
    return request.build_absolute_uri


def _paging(response: HttpResponse, total: int, page: int, size: int) -> HttpResponse:
    response["X-Total-Count"] = str(total)
    response["X-Page"] = str(page)
    response["X-Page-Size"] = str(size)
    response["X-Total-Pages"] = str((total + size - 1) // size if size else 0)
    return response


# --- discovery ------------------------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service Discovery: where the v2 endpoint is, in which formats, and how to get a key."""
    changed = selectors.changeset()
    base = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    document = {
        "changeset": changed,
        "contact": getattr(
            settings, "OPEN311_CONTACT", "长沙市12345政务服务便民热线（电话 12345）"
        ),
        "key_service": getattr(
            settings,
            "OPEN311_KEY_SERVICE",
            "提交诉求需要 API 密钥：请联系长沙市12345热线管理办公室登记应用后领取",
        ),
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": selectors.SPECIFICATION,
                    "url": base,
                    "changeset": changed,
                    "type": "production",
                    "formats": Many("format", ["text/xml", "application/json"]),
                }
            ],
        ),
    }
    return render(fmt, "discovery", document)


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    """The bare endpoint URL shows the discovery document (the Service Discovery page suggests
    serving it there, since the spec defines nothing at the root)."""
    return discovery(request, XML)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = JSON if rest.strip().lower().endswith(".json") else XML
    return render_errors(fmt, 404, [f"没有这个资源：/{rest[:100]}"])


@csrf_exempt
def media(request: HttpRequest, signed: str) -> HttpResponseBase:
    """A request's public photo behind the signed, expiring link that ``media_url`` gives: the
    type we sniffed when it arrived, shown inline, never sniffed again by the browser."""
    if request.method not in {"GET", "HEAD"}:
        response = render_errors(XML, 400, [f"该资源不支持 {request.method} 方法，只支持 GET"])
        response["Allow"] = "GET, HEAD"
        return response
    try:
        photo = selectors.media_from_link(signed)
    except NotFound as exc:
        return render_errors(XML, 404, [exc.detail])
    try:
        handle = photo.file.open("rb")
    except OSError:
        logger.warning("open311 media file missing: attachment %s", photo.pk)
        return render_errors(XML, 404, ["媒体文件已丢失"])
    served = FileResponse(handle, content_type=photo.content_type)
    extension = EXTENSIONS.get(photo.content_type, "bin")
    served["Content-Disposition"] = f'inline; filename="{photo.order_id}-{photo.pk}.{extension}"'
    served["X-Content-Type-Options"] = "nosniff"
    served["Content-Security-Policy"] = "default-src 'none'; sandbox"
    served["Cache-Control"] = "private, max-age=3600"
    return served


# --- services -------------------------------------------------------------------------------------


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    selectors.check_jurisdiction(Params(request.GET).get("jurisdiction_id", max_length=100))
    return render(fmt, "services", selectors.service_list())


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    selectors.check_jurisdiction(Params(request.GET).get("jurisdiction_id", max_length=100))
    service = selectors.get_service(code)
    return render(fmt, "service_definition", selectors.service_definition(service))


# --- requests -------------------------------------------------------------------------------------


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        if not is_digits(value) or len(value) > 18:
            raise Invalid(
                f"service_request_id“{value[:40]}”格式不正确，应为数字", code="invalid_id"
            )
        ids.append(int(value))
    if len(ids) > selectors.MAX_RESULTS:
        raise Invalid("一次最多查询1000个 service_request_id", code="too_many_ids")
    return ids


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    params = Params(request.GET)
    selectors.check_jurisdiction(params.get("jurisdiction_id", max_length=100))
    extensions = params.flag("extensions")
    ids = params.csv("service_request_id")
    if ids is not None:
        query = selectors.RequestQuery(ids=_ids(ids))
    else:
        query = selectors.RequestQuery(
            service_codes=params.csv("service_code"),
            statuses=params.csv("status"),
            start=params.datetime("start_date"),
            end=params.datetime("end_date"),
            updated_after=params.datetime("updated_after"),
            updated_before=params.datetime("updated_before"),
            page=params.integer("page", low=1, high=1_000_000) or 1,
            page_size=params.integer("page_size", low=1, high=selectors.MAX_RESULTS)
            or selectors.MAX_RESULTS,
        )
    if ids is not None:
        query.page, query.page_size = 1, selectors.MAX_RESULTS
    page, total = selectors.search_requests(query)
    if extensions:
        page = selectors.with_extensions(page)
    now = timezone.now()
    absolute = _absolute(request)
    items = [
        selectors.request_document(o, absolute=absolute, extensions=extensions, now=now)
        for o in page
    ]
    response = render(fmt, "service_requests", Many("request", items))
    return _paging(response, total, query.page, query.page_size)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, ref: str) -> HttpResponse:
    params = Params(request.GET)
    selectors.check_jurisdiction(params.get("jurisdiction_id", max_length=100))
    extensions = params.flag("extensions")
    order = selectors.get_public_request(ref)
    document = selectors.request_document(order, absolute=_absolute(request), extensions=extensions)
    return render(fmt, "service_requests", Many("request", [document]))


@endpoint("GET")
def token(request: HttpRequest, fmt: str, ref: str) -> HttpResponse:
    selectors.check_jurisdiction(Params(request.GET).get("jurisdiction_id", max_length=100))
    found = selectors.token_request(ref)
    item = {"service_request_id": str(found.order_id), "token": found.token}
    return render(fmt, "service_requests", Many("request", [item]))


@endpoint("GET")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """Extension (mySociety's servicerequestupdates): public status changes since a time."""
    params = Params(request.GET)
    selectors.check_jurisdiction(params.get("jurisdiction_id", max_length=100))
    extensions = params.flag("extensions")
    page = params.integer("page", low=1, high=1_000_000) or 1
    size = params.integer("page_size", low=1, high=selectors.MAX_RESULTS) or selectors.MAX_RESULTS
    events, total = selectors.updates_feed(
        params.datetime("start_date"), params.datetime("end_date"), page=page, page_size=size
    )
    items = [selectors.update_document(e, extensions=extensions) for e in events]
    response = render(fmt, "service_request_updates", Many("request_update", items))
    return _paging(response, total, page, size)


# --- POST a request -------------------------------------------------------------------------------


def _idempotency_key(request: HttpRequest, params: Params) -> str | None:
    key = request.headers.get("Idempotency-Key") or params.get("idempotency_key", max_length=300)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200 or any(ord(c) < 33 or ord(c) > 126 for c in key):
        raise Invalid("Idempotency-Key 须为1至200个可见 ASCII 字符", code="invalid_idempotency_key")
    return key


def _location(params: Params, city: OrgUnit | None) -> dict[str, Any]:
    lat, lon = params.get("lat", max_length=40), params.get("long", max_length=40)
    address = clean_text(
        params.get("address_string", max_length=200, label="address_string") or "",
        field="address_string",
        max_length=200,
        required=False,
    )
    address_id = params.get("address_id", max_length=32)
    system = (params.get("coordinate_system", max_length=10) or "wgs84").lower()
    if system not in COORDINATE_SYSTEMS:
        raise Invalid(
            "coordinate_system 只能是 wgs84、gcj02 或 bd09", code="invalid_coordinate_system"
        )
    if (lat is None) != (lon is None):
        raise Invalid("lat 和 long 须同时提供", code="invalid_location")
    if lat is None and not address and address_id is None:
        raise Invalid(
            "须提供位置：lat 与 long、address_string 或 address_id 之一", code="location_required"
        )
    point = parse_point(lat, lon, system=system)
    # The shipped outlines are Changsha's: a point in none of its districts is not ours.
    if (
        point is not None
        and city is not None
        and city.code == "4301"
        and district_code_at(float(point[1]), float(point[0])) is None
    ):
        raise Invalid("位置不在本辖区（长沙市）范围内", code="location_outside_jurisdiction")
    chosen = None
    if address_id is not None:
        chosen = unit_by_code(address_id, levels=ADDRESS_LEVELS)
        if chosen is None or (city is not None and not chosen.path.startswith(city.path)):
            raise Invalid(
                f"address_id“{address_id}”无效：应为本辖区街道、社区的区划代码",
                code="invalid_address_id",
            )
    return {"point": point, "address": address, "chosen": chosen, "address_id": address_id}


def _place(location: dict[str, Any], app_unit: OrgUnit | None, city: OrgUnit | None) -> OrgUnit:
    point = location["point"]
    unit = resolve_unit(
        address=location["address"],
        lat=float(point[0]) if point else None,
        lon=float(point[1]) if point else None,
        chosen=location["chosen"],
    )
    if app_unit is not None:
        if unit.path.startswith(app_unit.path):
            return unit
        if app_unit.path.startswith(unit.path):
            # The place is known only roughly (the city, a district): the app's own area is the
            # best fit, since the app only reports from there.
            return app_unit
        raise PermissionDenied(
            f"该 api_key 只能提交{app_unit.name}辖区内的诉求，所报位置在{unit.name}",
            code="outside_application_area",
        )
    if city is not None and not unit.path.startswith(city.path):
        raise Invalid("位置不在本辖区范围内", code="location_outside_jurisdiction")
    return unit


def _contact(params: Params) -> dict[str, str]:
    email = params.get("email", max_length=254) or ""
    if email:
        try:
            EmailValidator()(email)
        except DjangoValidationError as exc:
            raise Invalid("email 格式不正确", code="invalid_email") from exc
    media_url = params.get("media_url", max_length=500, label="media_url") or ""
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except DjangoValidationError as exc:
            raise Invalid("media_url 须为 http 或 https 链接", code="invalid_media_url") from exc
    first = clean_text(
        params.get("first_name", max_length=25) or "",
        field="first_name",
        max_length=25,
        required=False,
    )
    last = clean_text(
        params.get("last_name", max_length=25) or "",
        field="last_name",
        max_length=25,
        required=False,
    )
    return {
        "email": email,
        "media_url": media_url,
        "device_id": clean_text(
            params.get("device_id", max_length=100) or "",
            field="device_id",
            max_length=100,
            required=False,
        ),
        "account_id": clean_text(
            params.get("account_id", max_length=100) or "",
            field="account_id",
            max_length=100,
            required=False,
        ),
        # Chinese order: family name first.
        "name": f"{last}{first}"
        if last and first and not last.isascii()
        else " ".join(p for p in (first, last) if p),
        "phone": params.get("phone", max_length=20, label="phone") or "",
    }


def _images(request: HttpRequest) -> list[Any]:
    files = request.FILES.getlist("media")
    unexpected = [name for name in request.FILES if name != "media"]
    if unexpected:
        raise Invalid(
            f"不支持的上传字段：{'、'.join(unexpected)[:60]}（照片请用 media）",
            code="invalid_upload",
        )
    for checked in check_files(files):
        if not checked.content_type.startswith("image/"):
            raise Invalid(
                f"media“{checked.name}”不是图片（只接受 JPEG、PNG、WebP）", code="bad_file_type"
            )
    return files


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if is_digits(length) and (len(length) > 18 or int(length) > MAX_BODY):
        raise Invalid(f"请求体过大（上限 {MAX_BODY // (1024 * 1024)}MB）", code="body_too_large")
    params = Params(request.POST, request.GET)
    city = selectors.check_jurisdiction(params.get("jurisdiction_id", max_length=100))
    app = authenticate_post(params.get("api_key", max_length=300), client=client_ip(request))
    code = params.get("service_code", max_length=40)
    if code is None:
        raise Invalid("缺少 service_code", code="service_code_required")
    service = selectors.get_service(code)
    extensions = params.flag("extensions")
    location = _location(params, city)
    description = clean_text(
        params.get("description", max_length=4000, label="description") or "",
        field="description",
        max_length=4000,
        required=False,
    )
    contact = _contact(params)
    given = raw_attributes(request.POST)
    for attr_code, values in raw_attributes(request.GET).items():
        given.setdefault(attr_code, values)
    answers = clean_attributes(selectors.definition_of(service), given)
    files = _images(request)
    unit = _place(location, app.org_unit, city)
    data = RequestIn(
        service=service,
        unit=unit,
        description=description,
        contact=contact,
        location=location,
        answers=answers,
        files=files,
        idempotency_key=_idempotency_key(request, params),
    )
    record = request_submit(application=app, data=data)
    return _submitted(fmt, record, service, contact, extensions)


def _submitted(
    fmt: str, record: SubmittedRequest, service: Category, contact: dict[str, str], extensions: bool
) -> HttpResponse:
    item: dict[str, Any] = {
        "service_request_id": str(record.order_id),
        "service_notice": service.open311_notice or None,
        "account_id": contact["account_id"] or None,
    }
    if extensions:
        item["token"] = record.token
    response = render(fmt, "service_requests", Many("request", [item]))
    response["X-Open311-Token"] = record.token
    return response
