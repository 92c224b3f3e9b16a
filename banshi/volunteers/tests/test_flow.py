"""The activity's lifecycle and the hours that come out of it: confirmation, the daily cap
across activities, disputes and corrections with history, stars and certificates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from banshi.audit.models import ChangeRecord
from banshi.core.errors import DomainError
from banshi.volunteers import services
from banshi.volunteers.choices import TRANSITIONS, HoursStatus, Status
from banshi.volunteers.models import ActivityEvent, SignUp, Volunteer
from banshi.volunteers.services.lifecycle import LIFECYCLE
from banshi.volunteers.tests.conftest import NEAR, Scene, local, make_activity, run


def _serve(scene: Scene, start: datetime.datetime, end: datetime.datetime) -> SignUp:
    token_in = services.qr_token(
        actor=scene.organiser, activity=scene.activity, purpose="in", now=start
    )
    services.scan(actor=scene.person, token=token_in, lat=NEAR[0], lon=NEAR[1], now=start)
    token_out = services.qr_token(
        actor=scene.organiser, activity=scene.activity, purpose="out", now=end
    )
    return services.scan(actor=scene.person, token=token_out, lat=NEAR[0], lon=NEAR[1], now=end)


def _end(scene: Scene, **data: Any) -> None:
    scene.activity = services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="end", data=data
    )


def test_the_lifecycle_table_is_whole() -> None:
    assert set(TRANSITIONS) == {
        "submit",
        "approve",
        "return",
        "start",
        "end",
        "confirm_hours",
        "archive",
        "cancel",
    }
    assert LIFECYCLE.reachable() == set(Status.values)
    order = [
        ("submit", "review"),
        ("approve", "recruiting"),
        ("start", "running"),
        ("end", "ended"),
        ("confirm_hours", "confirmed"),
        ("archive", "archived"),
    ]
    state = "draft"
    for action, target in order:
        assert state in TRANSITIONS[action].sources and TRANSITIONS[action].target == target
        state = target
    assert "ended" not in TRANSITIONS["cancel"].sources


def test_a_full_activity_from_draft_to_archive(scene: Scene) -> None:
    now = timezone.now()
    signup = _serve(scene, now - datetime.timedelta(hours=2, minutes=50), now)
    _end(scene, beneficiaries="46")
    assert scene.activity.beneficiaries == 46
    with pytest.raises(DomainError) as caught:
        services.activity_transition(
            actor=scene.organiser, activity=scene.activity, action="confirm_hours"
        )
    assert caught.value.code == "hours_open"
    signup = services.hours_confirm(actor=scene.organiser, signup=signup)
    assert signup.hours_status == HoursStatus.CONFIRMED and signup.credited_minutes == 150
    scene.activity = services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="confirm_hours"
    )
    scene.activity = services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="archive"
    )
    assert scene.activity.status == Status.ARCHIVED
    assert list(
        ActivityEvent.objects.filter(activity=scene.activity).values_list("action", flat=True)
    ) == [
        "submit",
        "approve",
        "start",
        "end",
        "confirm_hours",
        "archive",
    ]
    assert Volunteer.objects.unscoped().get(pk=scene.volunteer.pk).total_minutes == 150


def test_the_author_cannot_review_their_own_activity(scene: Scene, tree: Any, cast: Any) -> None:
    from banshi.accounts.roles import Role

    admin = cast.make(Role.ORG_ADMIN, tree.datang)
    activity = make_activity(admin, tree.datang, title="义诊")
    activity = services.activity_transition(actor=admin, activity=activity, action="submit")
    with pytest.raises(DomainError) as caught:
        services.activity_transition(actor=admin, activity=activity, action="approve")
    assert caught.value.code == "self_review"


def test_a_returned_activity_needs_a_reason_and_goes_back_to_draft(scene: Scene, tree: Any) -> None:
    activity = make_activity(scene.organiser, tree.datang, title="垃圾分类宣传")
    activity = services.activity_transition(
        actor=scene.organiser, activity=activity, action="submit"
    )
    with pytest.raises(DomainError):
        services.activity_transition(actor=scene.reviewer, activity=activity, action="return")
    activity = services.activity_transition(
        actor=scene.reviewer, activity=activity, action="return", data={"note": "请补充岗位说明"}
    )
    assert activity.status == Status.DRAFT


def test_a_stale_version_is_a_conflict(scene: Scene) -> None:
    with pytest.raises(DomainError) as caught:
        services.activity_transition(
            actor=scene.organiser, activity=scene.activity, action="end", expected_version=0
        )
    assert caught.value.code == "stale_version"


def test_two_overlapping_activities_on_one_day_count_once_and_at_most_eight_hours(
    scene: Scene, tree: Any
) -> None:
    day = timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    day -= datetime.timedelta(days=1)
    first = _serve(scene, day.replace(hour=7), day.replace(hour=13))
    _end(scene)
    services.hours_confirm(actor=scene.organiser, signup=first)
    second = run(
        make_activity(scene.organiser, tree.datang, title="义诊"), scene.organiser, scene.reviewer
    )
    join = services.signup_create(actor=scene.person, activity=second, post="理发")
    services.signup_decide(actor=scene.organiser, signup=join, approve=True)
    scene.activity = second
    other = _serve(scene, day.replace(hour=12), day.replace(hour=17))
    _end(scene)
    other = services.hours_confirm(actor=scene.organiser, signup=other)
    # 07:00–17:00 is 10 h of union; the day credits 8 h: 6 h to the first, 2 h to the second.
    assert SignUp.objects.unscoped().get(pk=first.pk).credited_minutes == 360
    assert other.credited_minutes == 120
    assert Volunteer.objects.unscoped().get(pk=scene.volunteer.pk).total_minutes == 480


def test_a_dispute_and_a_correction_keep_their_history(scene: Scene) -> None:
    now = timezone.now()
    signup = _serve(scene, now - datetime.timedelta(hours=1), now)
    _end(scene)
    signup = services.hours_confirm(actor=scene.organiser, signup=signup)
    assert signup.credited_minutes == 60
    signup = services.hours_dispute(
        actor=scene.person, signup=signup, reason="扫码签到前已开始服务半小时"
    )
    assert signup.hours_status == HoursStatus.DISPUTED and signup.credited_minutes == 0
    with pytest.raises(DomainError) as caught:
        services.activity_transition(
            actor=scene.organiser, activity=scene.activity, action="confirm_hours"
        )
    assert caught.value.code == "hours_open"
    signup = services.hours_correct(
        actor=scene.organiser,
        signup=signup,
        checked_in_at=signup.checked_in_at - datetime.timedelta(minutes=30),  # type: ignore[operator]
        checked_out_at=signup.checked_out_at,  # type: ignore[arg-type]
        reason="核实签到表，提前到岗",
    )
    assert signup.hours_status == HoursStatus.CONFIRMED and signup.credited_minutes == 90
    actions = list(
        ChangeRecord.objects.filter(object_id=str(signup.pk), action__startswith="signup.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "signup.credit",
        "signup.dispute_hours",
        "signup.correct_hours",
        "signup.credit",
    ] or ("signup.correct_hours" in actions and "signup.dispute_hours" in actions)
    correction = ChangeRecord.objects.get(action="signup.correct_hours", object_id=str(signup.pk))
    assert (
        correction.after["reason"] == "核实签到表，提前到岗" and correction.before["checked_in_at"]
    )


def test_a_correction_over_the_daily_cap_is_refused_and_writes_nothing(
    scene: Scene, tree: Any
) -> None:
    tomorrow = timezone.localtime().date() + datetime.timedelta(days=1)
    at = lambda h: local(tomorrow.year, tomorrow.month, tomorrow.day, h)  # noqa: E731
    activity = make_activity(
        scene.organiser, tree.datang, title="义诊", starts_at=at(8), ends_at=at(20)
    )
    scene.activity = run(activity, scene.organiser, scene.reviewer, "approve")
    row = services.signup_create(actor=scene.person, activity=scene.activity, post="理发")
    services.signup_decide(actor=scene.organiser, signup=row, approve=True)
    with pytest.raises(DomainError) as early:
        services.activity_transition(actor=scene.organiser, activity=scene.activity, action="start")
    assert early.value.code == "too_early"
    scene.activity = services.activity_transition(
        actor=scene.organiser, activity=scene.activity, action="start", now=at(7)
    )
    signup = _serve(scene, at(9), at(10))
    _end(scene)
    before = ChangeRecord.objects.count()
    with pytest.raises(DomainError) as caught:
        services.hours_correct(
            actor=scene.organiser,
            signup=signup,
            checked_in_at=at(8),
            checked_out_at=at(17),
            reason="补录",
            now=at(21),
        )
    assert caught.value.code == "over_daily_cap" and "8小时" in caught.value.detail
    assert ChangeRecord.objects.count() == before
    assert SignUp.objects.unscoped().get(pk=signup.pk).hours_status == HoursStatus.PENDING
    # Eight hours exactly is accepted.
    services.hours_correct(
        actor=scene.organiser,
        signup=signup,
        checked_in_at=at(8),
        checked_out_at=at(16),
        reason="补录",
        now=at(21),
    )
    assert SignUp.objects.unscoped().get(pk=signup.pk).credited_minutes == 480


def test_quota_is_kept_when_approving(scene: Scene, cast: Any, tree: Any) -> None:
    second = cast.make(None, tree.datang, name="李四")
    services.volunteer_register(actor=second, user=second, org_unit=tree.datang)
    row = services.signup_create(actor=second, activity=scene.activity, post="引导")
    services.signup_decide(actor=scene.organiser, signup=row, approve=True)
    third = cast.make(None, tree.datang, name="赵五")
    services.volunteer_register(actor=third, user=third, org_unit=tree.datang)
    with pytest.raises(DomainError) as caught:
        services.signup_create(actor=third, activity=scene.activity, post="引导")
    assert caught.value.code == "post_full"


def test_volunteer_numbers_follow_the_city_year_sequence(
    scene: Scene, cast: Any, tree: Any
) -> None:
    year = timezone.localtime().year
    assert scene.volunteer.number == f"CS{year}000001"
    other = cast.make(None, tree.datang, name="周六")
    assert services.volunteer_register(actor=other, user=other, org_unit=tree.datang).number == (
        f"CS{year}000002"
    )
    with pytest.raises(DomainError) as caught:
        services.volunteer_register(actor=other, user=other, org_unit=tree.datang)
    assert caught.value.code == "already_volunteer"


def test_a_certificate_verifies_on_the_public_page_with_the_name_masked(
    scene: Scene, client: Client
) -> None:
    with pytest.raises(DomainError) as caught:
        services.certificate_issue(actor=scene.person, volunteer=scene.volunteer)
    assert caught.value.code == "no_hours"
    now = timezone.now()
    signup = _serve(scene, now - datetime.timedelta(hours=3), now)
    _end(scene)
    services.hours_confirm(actor=scene.organiser, signup=signup)
    scene.volunteer.refresh_from_db()
    certificate = services.certificate_issue(actor=scene.person, volunteer=scene.volunteer)
    assert (
        certificate.number == f"CSZS{timezone.localtime().year}000001"
        and certificate.minutes == 180
    )
    page = client.get(f"/public/volunteers/verify/{certificate.code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "王*明" in body and "王小明" not in body
    assert certificate.number in body and "3 小时" in body
    assert scene.volunteer.user.mobile not in body
    by_form = client.get("/public/volunteers/verify/", {"code": certificate.code.lower()})
    assert "王*明" in by_form.content.decode()
    missing = client.get("/public/volunteers/verify/NOTACODE12/")
    assert missing.status_code == 404 and "未找到该证书" in missing.content.decode()


def test_the_certificate_pdf_embeds_the_shipped_cjk_font(scene: Scene, client: Client) -> None:
    from banshi.projects.reports import has_cjk_font

    now = timezone.now()
    signup = _serve(scene, now - datetime.timedelta(hours=2), now)
    _end(scene)
    services.hours_confirm(actor=scene.organiser, signup=signup)
    scene.volunteer.refresh_from_db()
    certificate = services.certificate_issue(actor=scene.person, volunteer=scene.volunteer)
    client.force_login(scene.person)
    response = client.get(f"/volunteers/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert has_cjk_font(response.content)
    client.force_login(scene.organiser)  # someone else's certificate: not theirs to download
    assert client.get(f"/volunteers/certificates/{certificate.pk}/pdf/").status_code == 404
