"""The party grid (党建引领): the household register (each household a leaf node of the org tree,
level 住户, with its address, tags and members), the party members linked to households (联户,
中心户), visits and their findings (民情台账), and the 五个到户 register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from banshi.core.masking import mask_id_number, mask_phone
from banshi.core.models import TimeStampedModel
from banshi.core.scoping import Scope, ScopedQuerySet
from banshi.grid.choices import LedgerStatus


class HouseholdTag(models.TextChoices):
    """The tags the platform ships with (seeded into :class:`Tag` by migration); an admin adds
    others there."""

    DIBAO = "dibao", _("低保")
    WUBAO = "wubao", _("五保")
    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    DISABLED = "disabled", _("残疾")
    YOUFU = "youfu", _("优抚")


class Household(TimeStampedModel):
    """A household (住户) in a micro-grid: the register's row for one address."""

    scope = Scope("org_unit__path")

    org_unit = models.OneToOneField(
        "orgtree.OrgUnit",
        verbose_name=_("组织节点"),
        on_delete=models.PROTECT,
        related_name="household",
    )
    # The micro-grid (or community) the household sits under: ``org_unit.parent``, kept here so
    # the natural key (grid + address) is a database constraint and coverage groups by a column.
    grid = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("所属微网格"),
        on_delete=models.PROTECT,
        related_name="grid_households",
    )
    address = models.CharField(_("地址"), max_length=200)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    # Derived from the tags (any tag marked vulnerable): which visit rule applies. Written only by
    # the services that change tags or tag definitions.
    vulnerable = models.BooleanField(_("重点关爱户"), default=False)
    last_visited_at = models.DateTimeField(_("最近走访"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "address"],
                condition=Q(archived_at__isnull=True),
                name="household_unique_address_in_grid",
            ),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def tag_labels(self) -> list[str]:
        labels = {str(k): str(v) for k, v in HouseholdTag.choices}
        return [labels.get(t, t) for t in self.tags]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# The relations registers use, marked for the catalogue and shown in the page's language.
# ``Resident.relation`` stays free text (a register may say 外孙女); anything else shows as entered.
RELATIONS = frozenset(
    {
        gettext_noop("户主"),
        gettext_noop("配偶"),
        gettext_noop("子女"),
        gettext_noop("父母"),
        gettext_noop("孙子女"),
        gettext_noop("兄弟姐妹"),
        gettext_noop("儿媳"),
        gettext_noop("女婿"),
        gettext_noop("祖父母"),
        gettext_noop("其他"),
    }
)


class Resident(TimeStampedModel):
    """A member of a household. Phone and ID number are personal data: masked unless the viewer's
    role holds ``pii.view`` on the household, and each unmasked view is logged."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="residents"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, default="户主")
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    archived_at = models.DateTimeField(_("迁出/注销时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def relation_label(self) -> str:
        return gettext(self.relation) if self.relation in RELATIONS else self.relation

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Tag(models.Model):
    """A household tag an admin may add to (低保, 五保, 独居老人…); ``vulnerable`` tags put a
    household under the stricter visit rule. Seeded by migration with :class:`HouseholdTag`."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    vulnerable = models.BooleanField(_("重点关爱（按重点户走访）"), default=False)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("住户标签")
        verbose_name_plural = _("住户标签")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class HouseholdClass(models.TextChoices):
    ORDINARY = "ordinary", _("一般户")
    VULNERABLE = "vulnerable", _("重点关爱户")


class VisitRule(models.Model):
    """How often a class of household is to be visited (一般户每半年、重点户每月): the number of
    days after a visit by which the next one is due."""

    household_class = models.CharField(
        _("住户类别"), max_length=20, choices=HouseholdClass.choices, unique=True
    )
    interval_days = models.PositiveSmallIntegerField(_("走访间隔（天）"))

    class Meta:
        verbose_name = _("走访规则")
        verbose_name_plural = _("走访规则")

    def __str__(self) -> str:
        return f"{self.get_household_class_display()}：{self.interval_days}"


class MemberKind(models.TextChoices):
    DIRECT = "direct", _("直管党员")
    IN_SERVICE = "in_service", _("在职党员")
    MOBILE = "mobile", _("流动党员")


class PartyMember(TimeStampedModel):
    """A party member on a branch's or micro-grid's roster, who may link households; optionally
    the platform account they sign in with. The phone is personal data, masked in lists."""

    scope = Scope("org_unit__path")

    org_unit = models.ForeignKey(
        "orgtree.OrgUnit",
        verbose_name=_("所在党组织或网格"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    kind = models.CharField(_("党员类别"), max_length=20, choices=MemberKind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )
    is_active = models.BooleanField(_("在册"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["org_unit__path", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


class LinkRole(models.TextChoices):
    LIANHU = "lianhu", _("联户党员")
    CENTER = "center", _("党员中心户")


class HouseholdLink(TimeStampedModel):
    """A party member linked to a household (联户 or 中心户) from ``start`` to ``end`` (open while
    ``end`` is empty or not yet passed). Coverage counts households with an active link."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="links"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="links"
    )
    role = models.CharField(_("联系方式"), max_length=20, choices=LinkRole.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联户关系")
        verbose_name_plural = _("联户关系")
        ordering = ["-start", "id"]
        indexes = [
            models.Index(fields=["household", "end"]),
            models.Index(fields=["member", "end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="householdlink_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.household}"


class Visit(TimeStampedModel):
    """One visit to a household (入户走访): when, by whom, what was found; optionally a photo and
    where it was taken. A finding may open a request (接诉即办) or 民情台账 items."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="visits"
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("走访党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_visits",
    )
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    findings = models.TextField(_("走访情况"), blank=True)
    photo = models.FileField(_("照片"), upload_to="grid/visits/%Y/%m/", blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    request = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("转办工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_visits",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class LedgerItem(TimeStampedModel):
    """A 民情台账 entry: one thing a household raised (often at a visit) that the grid follows up
    and closes item by item (销号), on the shared workflow engine."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="ledger_items"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_items",
    )
    content = models.CharField(_("民情事项"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=LedgerStatus.choices, default=LedgerStatus.OPEN
    )
    version = models.PositiveIntegerField(default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("民情台账")
        verbose_name_plural = _("民情台账")
        ordering = ["status", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "household"])]

    def __str__(self) -> str:
        return self.content[:50]


class LedgerEvent(models.Model):
    """The timeline of a 民情台账 item: one row per transition."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("民情台账记录")
        verbose_name_plural = _("民情台账记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class FiveKind(models.TextChoices):
    CONTACT = "contact", _("联系到户")
    VISIT = "visit", _("走访到户")
    POLICY = "policy", _("政策到户")
    JOBS = "jobs", _("就业到户")
    SERVICES = "services", _("服务到户")


class FiveEntry(TimeStampedModel):
    """One line of a household's 五个到户 register: contact, visit, policy, jobs or services
    delivered on a day. A visit writes its own ``visit`` line."""

    scope = Scope("household__org_unit__path")

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="five_entries"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=FiveKind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("内容"), max_length=300)
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="five_entry"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("五个到户")
        verbose_name_plural = _("五个到户")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class GridTally(models.Model):
    """The stored figures of one micro-grid (or community holding households directly): its
    households, those with an open link and those visited within their rule. Pages and the API
    roll these up the tree instead of counting households; every grid service recounts its grid
    in its own transaction, and the nightly ``grid.tally`` job recounts what time alone changes
    (links that start or end, visits falling out of their interval)."""

    scope = Scope("grid__path")

    grid = models.OneToOneField(
        "orgtree.OrgUnit", on_delete=models.CASCADE, related_name="grid_tally"
    )
    households = models.PositiveIntegerField(_("住户"), default=0)
    linked = models.PositiveIntegerField(_("已联系住户"), default=0)
    visited = models.PositiveIntegerField(_("按期走访住户"), default=0)
    refreshed_at = models.DateTimeField(_("统计时间"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格统计")
        verbose_name_plural = _("网格统计")

    def __str__(self) -> str:
        return f"{self.grid_id}: {self.linked}/{self.households}"
