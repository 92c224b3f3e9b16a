"""Check-in and check-out by the organiser's QR token: forged, expired, replayed, out of the
geofence and check-out before check-in are refused with a clear code and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from banshi.audit.models import ChangeRecord
from banshi.core.errors import DomainError
from banshi.volunteers import services, tokens
from banshi.volunteers.choices import HoursStatus
from banshi.volunteers.models import SignUp, TokenUse
from banshi.volunteers.tests.conftest import FAR, NEAR, Scene


def _refused(scene: Scene, token: str, point: tuple[str, str] = NEAR, **kw: Any) -> str:
    before = (TokenUse.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(DomainError) as caught:
        services.scan(actor=scene.person, token=token, lat=point[0], lon=point[1], **kw)
    assert (TokenUse.objects.count(), ChangeRecord.objects.count()) == before
    signup = SignUp.objects.unscoped().get(pk=scene.signup.pk)
    assert (signup.checked_in_at, signup.checked_out_at) == (
        scene.signup.checked_in_at,
        scene.signup.checked_out_at,
    )
    return caught.value.code


def _token(scene: Scene, purpose: str, now: datetime.datetime | None = None) -> str:
    return services.qr_token(
        actor=scene.organiser, activity=scene.activity, purpose=purpose, now=now
    )


def test_check_in_then_out_within_the_geofence(scene: Scene) -> None:
    now = timezone.now()
    signup = services.scan(
        actor=scene.person, token=_token(scene, "in", now), lat=NEAR[0], lon=NEAR[1], now=now
    )
    assert signup.checked_in_at == now and signup.hours_status == HoursStatus.NONE
    later = now + datetime.timedelta(hours=2)
    signup = services.scan(
        actor=scene.person, token=_token(scene, "out", later), lat=NEAR[0], lon=NEAR[1], now=later
    )
    assert signup.checked_out_at == later and signup.hours_status == HoursStatus.PENDING
    assert TokenUse.objects.filter(signup=signup).count() == 2
    assert 40 < TokenUse.objects.get(signup=signup, purpose="in").distance_m < 90
    assert ChangeRecord.objects.filter(action="signup.check_in", object_id=str(signup.pk)).exists()


def test_a_forged_token_is_refused(scene: Scene) -> None:
    real = _token(scene, "in")
    payload = signing.loads(real, salt=tokens.SALT)
    forged_key = signing.dumps(payload, salt=tokens.SALT, key="not-the-secret-key")
    tampered = real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB")
    assert _refused(scene, forged_key) == "token_invalid"
    assert _refused(scene, tampered) == "token_invalid"
    assert _refused(scene, "garbage") == "token_invalid"


def test_an_expired_token_is_refused(scene: Scene) -> None:
    issued = timezone.now() - datetime.timedelta(seconds=tokens.ttl_seconds() + 1)
    assert _refused(scene, _token(scene, "in", issued)) == "token_expired"
    # Within the window it works.
    fresh = timezone.now() - datetime.timedelta(seconds=tokens.ttl_seconds() - 5)
    services.scan(actor=scene.person, token=_token(scene, "in", fresh), lat=NEAR[0], lon=NEAR[1])


def test_a_token_used_again_by_the_same_volunteer_is_a_replay(scene: Scene) -> None:
    token = _token(scene, "in")
    scene.signup = services.scan(actor=scene.person, token=token, lat=NEAR[0], lon=NEAR[1])
    assert _refused(scene, token) == "token_replayed"
    # A fresh check-in token after checking in is "already checked in", not a replay.
    assert _refused(scene, _token(scene, "in")) == "already_checked_in"


def test_outside_the_geofence_is_refused(scene: Scene) -> None:
    assert _refused(scene, _token(scene, "in"), FAR) == "outside_geofence"
    assert _refused(scene, _token(scene, "in"), ("", "")) == "location_required"
    assert _refused(scene, _token(scene, "in"), ("abc", "1")) == "invalid_location"


def test_check_out_before_check_in_is_refused(scene: Scene) -> None:
    assert _refused(scene, _token(scene, "out")) == "not_checked_in"


def test_someone_not_taken_on_cannot_check_in(scene: Scene, cast: Any, tree: Any) -> None:
    stranger = cast.make(None, tree.datang, name="路人甲")
    with pytest.raises(DomainError) as caught:
        services.scan(actor=stranger, token=_token(scene, "in"), lat=NEAR[0], lon=NEAR[1])
    assert caught.value.code == "not_signed_up"


def test_the_organiser_shows_a_token_only_while_the_activity_runs(scene: Scene) -> None:
    services.activity_transition(actor=scene.organiser, activity=scene.activity, action="end")
    scene.activity.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        _token(scene, "in")
    assert caught.value.code == "activity_not_running"


def test_the_phone_page_and_the_api_refuse_with_a_chinese_4xx(scene: Scene, client: Client) -> None:
    client.force_login(scene.person)
    forged = _token(scene, "in")[:-2] + "zz"
    page = client.post("/volunteers/scan/", {"t": forged, "lat": NEAR[0], "lon": NEAR[1]})
    assert page.status_code == 400 and "二维码无效" in page.content.decode()
    api = client.post(
        "/api/v1/volunteers/scan",
        {"token": _token(scene, "out"), "lat": NEAR[0], "lon": NEAR[1]},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["code"] == "not_checked_in"
    ok = client.post(
        "/volunteers/scan/", {"t": _token(scene, "in"), "lat": NEAR[0], "lon": NEAR[1]}
    )
    assert ok.status_code == 200 and "签到成功" in ok.content.decode()


def test_the_qr_screen_shows_an_svg_code_of_the_scan_url(scene: Scene, client: Client) -> None:
    client.force_login(scene.organiser)
    page = client.get(f"/volunteers/manage/{scene.activity.pk}/qr/?purpose=in")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "/volunteers/scan/?t=" in body
    fragment = client.get(
        f"/volunteers/manage/{scene.activity.pk}/qr/?purpose=in", headers={"HX-Request": "true"}
    )
    assert "<svg" in fragment.content.decode() and "<html" not in fragment.content.decode()
