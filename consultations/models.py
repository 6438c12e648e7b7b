from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.states import IssueAction, IssueState, MeetingState
from members.models import mobile_validator


class IssueCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("道路交通与基础设施")
    ENVIRONMENT = "environment", _("环境卫生")
    ECOLOGY = "ecology", _("生态保护")
    INDUSTRY = "industry", _("产业发展与增收")
    CULTURE = "culture", _("文化传承与文旅")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    GOVERNANCE = "governance", _("乡风文明与社会治理")
    OTHER = "other", _("其他")


class IssueChannel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    PAPER = "paper", _("纸质意见条（代录）")
    PHONE = "phone", _("电话反映（代录）")
    VISIT = "visit", _("走访收集（代录）")
    MEETING = "meeting", _("议事会现场（代录）")


class Issue(models.Model):
    """A matter a villager raises. Its state changes only through consultations.services."""

    # Unique by a constraint (Meta), not unique=True: that would add a second, pattern-ops index for LIKE that
    # nothing asks, and every insert pays for each index at a million rows.
    receipt_code = models.CharField(_("回执码"), max_length=12, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受理组织"), on_delete=models.PROTECT, related_name="issues"
    )
    # Copied from the organization at submission, so that "everything under X" needs no join.
    region = models.ForeignKey("orgs.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=60)
    description = models.TextField(_("具体情况"), max_length=2000)
    category = models.CharField(_("类别"), max_length=32, choices=IssueCategory.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True, default="")

    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_issues",
    )
    submitter_name = models.CharField(_("反映人"), max_length=50)
    submitter_phone = models.CharField(_("联系电话"), max_length=11, validators=[mobile_validator])
    phone_visible_to_department = models.BooleanField(_("同意职能部门查看我的电话"), default=False)
    channel = models.CharField(_("来源"), max_length=16, choices=IssueChannel.choices, default=IssueChannel.ONLINE)
    # Anonymous submissions are rate limited per address as well as per phone.
    submitter_ip = models.GenericIPAddressField(_("提交地址"), null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entered_issues",
    )

    state = models.CharField(_("状态"), max_length=16, choices=IssueState.choices, default=IssueState.SUBMITTED)
    state_changed_at = models.DateTimeField(_("状态变更时间"), db_index=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged_issues"
    )
    rejection_reason = models.TextField(_("不予受理理由"), blank=True, default="")
    consensus_text = models.TextField(_("共识内容"), blank=True, default="")
    resolution_text = models.TextField(_("办理结果"), blank=True, default="")
    resolved_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True, db_index=True)
    # Stamped by the service that writes the row, from the moment it is told (`now=`): a step written for a past
    # day (the demo's history) keeps that day. Not editable, as an auto_now_add stamp was.
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["receipt_code"], name="issue_receipt_code_unique")]
        # A few categories and channels divide a million rows into a few large parts: no index of their own,
        # the places' indexes come first. The state's is plain (Meta), without the LIKE index db_index adds.
        indexes = [
            models.Index(fields=["state"], name="issue_state"),
            models.Index(fields=["organization", "state", "state_changed_at"], name="issue_org_queue"),
            models.Index(fields=["region", "state"], name="issue_region_state"),
            models.Index(fields=["submitter_phone", "created_at"], name="issue_phone_time"),
            models.Index(fields=["submitter_ip", "created_at"], name="issue_ip_time"),
            # The sweeps' waiting issues, oldest first, among a province's million: those awaiting triage and
            # those whose result is on notice (a few thousand each).
            models.Index(fields=["state_changed_at"], condition=Q(state="submitted"), name="issue_awaiting_triage"),
            # With the id, the notice sweep reads the issues on notice from the index alone.
            models.Index(
                fields=["state_changed_at", "id"], condition=Q(state="publicized"), name="issue_on_notice_by_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} {self.title}"


class IssuePhoto(models.Model):
    """A photo of the issue, re-encoded on upload so that it carries no EXIF (no GPS)."""

    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="issues/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("议题照片")
        verbose_name_plural = _("议题照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class Meeting(models.Model):
    """议事会: the monthly deliberation meeting of an organization, with its agenda and attendance."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=100)
    scheduled_at = models.DateTimeField(_("召开时间"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    state = models.CharField(
        _("状态"), max_length=16, choices=MeetingState.choices, default=MeetingState.SCHEDULED, db_index=True
    )
    attendees = models.ManyToManyField(
        "members.Person", verbose_name=_("出席会员"), blank=True, related_name="meetings_attended"
    )
    villagers_count = models.PositiveIntegerField(_("列席村民人数"), default=0)
    department_reps_count = models.PositiveIntegerField(_("职能部门代表人数"), default=0)
    ufwd_reps_count = models.PositiveIntegerField(_("统战部门代表人数"), default=0)
    minutes = models.TextField(_("会议纪要"), blank=True, default="")
    # A cancelled meeting is kept, with why: its agenda went back to 待协商 and the submitters were told.
    cancel_reason = models.TextField(_("取消原因"), blank=True, default="")
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["organization", "scheduled_at"], name="meeting_org_time")]

    def __str__(self) -> str:
        return self.title

    def present_count(self) -> int:
        """Everyone recorded present: roster members by name, villagers and representatives by count."""
        return self.attendees.count() + self.villagers_count + self.department_reps_count + self.ufwd_reps_count


class MeetingCorrection(models.Model):
    """The audit row of a correction to a meeting's record after it was first entered: what it was, what it
    became, who changed it and why. Append-only, written in the transaction of the correction."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="corrections")
    what = models.CharField(_("更正项目"), max_length=50)
    before = models.TextField(_("更正前"))
    after = models.TextField(_("更正后"))
    reason = models.TextField(_("更正理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更正人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("更正时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("议事会记录更正")
        verbose_name_plural = _("议事会记录更正")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.what}"


class AgendaOutcome(models.TextChoices):
    PENDING = "pending", _("待协商")
    CONSENSUS = "consensus", _("达成共识")
    NO_CONSENSUS = "no_consensus", _("未达成共识")
    MEETING_CANCELLED = "cancelled", _("会议取消，未协商")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("议事会"), on_delete=models.CASCADE, related_name="agenda")
    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    outcome = models.CharField(
        _("协商结果"), max_length=16, choices=AgendaOutcome.choices, default=AgendaOutcome.PENDING, db_index=True
    )
    consensus_text = models.TextField(_("共识内容"), blank=True, default="")
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    note = models.TextField(_("说明"), blank=True, default="")
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "issue"], name="issue_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.issue}"

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


class AssignmentState(models.TextChoices):
    OPEN = "open", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("办理中")
    ANSWERED = "answered", _("已答复")
    RETURNED = "returned", _("已退回")


class Assignment(models.Model):
    """An agreed issue handed to a department, with a deadline in Chinese working days."""

    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="assignments")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="assignments"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=AssignmentState.choices, default=AssignmentState.OPEN, db_index=True
    )
    working_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    deadline = models.DateField(_("办理期限"), db_index=True)
    instructions = models.TextField(_("交办说明"), blank=True, default="")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("交办时间"), default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    # An interim reply (办理中) promises a date; the issue stays with the department until its final answer.
    interim_reply = models.TextField(_("阶段性答复"), blank=True, default="")
    promised_on = models.DateField(_("承诺办结日期"), null=True, blank=True)
    interim_replied_at = models.DateTimeField(_("阶段性答复时间"), null=True, blank=True)
    answer_text = models.TextField(_("答复内容"), blank=True, default="")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, default="")
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    # The village found the work not done and sent its final answer back: why, and when (the latest time).
    sent_back_reason = models.TextField(_("退回重办理由"), blank=True, default="")
    sent_back_at = models.DateTimeField(_("退回重办时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("部门交办")
        verbose_name_plural = _("部门交办")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["department", "state", "deadline"], name="assignment_department_queue"),
            # The department queue's 已答复 tab: newest answers first, read from the index instead of sorting them all.
            models.Index(fields=["department", "state", "-answered_at", "-id"], name="assignment_department_answered"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=Q(state__in=["open", "acknowledged"]),
                name="one_live_assignment_per_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.issue}"


class AssignmentAttachment(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("部门交办"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to="answers/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class PublicNotice(models.Model):
    """结果公示: what the public reads on /notices/. No personal data of the submitter."""

    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="notices")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="notices"
    )
    region = models.ForeignKey("orgs.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("公示标题"), max_length=100)
    body = models.TextField(_("公示内容"))
    period_days = models.PositiveSmallIntegerField(
        _("公示期（天）"), default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    ends_at = models.DateTimeField(_("公示截止"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    # On the board: the issue's latest notice while its result stands (consultations.counters keeps it, in the
    # transaction of the step), so the board reads a flag instead of finding each issue's latest notice.
    is_current = models.BooleanField(_("当前公示"), default=False, editable=False)

    class Meta:
        verbose_name = _("结果公示")
        verbose_name_plural = _("结果公示")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "published_at"], name="notice_org_time"),
            models.Index(fields=["region", "published_at"], name="notice_region_time"),
            # The board, whole or filtered, walks only the notices on it, newest first.
            models.Index(fields=["-published_at", "-id"], condition=Q(is_current=True), name="notice_board"),
            models.Index(
                fields=["organization", "-published_at", "-id"], condition=Q(is_current=True), name="notice_board_org"
            ),
            models.Index(
                fields=["region", "-published_at", "-id"], condition=Q(is_current=True), name="notice_board_region"
            ),
            # The notice sweep looks up the current notice of each issue on notice (13,000 at province scale) for
            # its end, from this index alone: read from the table, a run with nothing due took seconds.
            models.Index(
                fields=["issue"], include=["ends_at"], condition=Q(is_current=True), name="notice_current_end"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Transition(models.Model):
    """The append-only audit trail: one row per action on an issue, written in the same transaction."""

    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("操作"), max_length=32, choices=IssueAction.choices)
    from_state = models.CharField(_("原状态"), max_length=16, choices=IssueState.choices, blank=True, default="")
    to_state = models.CharField(_("新状态"), max_length=16, choices=IssueState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=100)
    comment = models.TextField(_("说明"), blank=True, default="")
    # Shown on the public timeline of /issues/track/<code>/; internal notes stay with staff.
    is_public = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    # For an action that ends a stage of the loop, when that stage began (consultations/stages.py): the
    # dashboard's average days per stage read it instead of each issue's trail.
    stage_started_at = models.DateTimeField(_("本环节开始时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["issue", "created_at"], name="transition_issue_time"),
            # The stage passages of an area's issues in a period (stats.figures.consultation.stage_days), read from
            # the index alone: a district's year is 20,000 issues, each looked up in 8.8M rows at province scale.
            models.Index(
                fields=["issue", "created_at"],
                include=["action", "stage_started_at"],
                condition=Q(stage_started_at__isnull=False),
                name="transition_stage_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.from_state}→{self.to_state}"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Feedback(models.Model):
    """The submitter's rating of a published result; one per notice."""

    issue = models.ForeignKey(Issue, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="feedback")
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("结果公示"), on_delete=models.PROTECT, related_name="feedback"
    )
    rating = models.CharField(_("评价"), max_length=24, choices=Rating.choices, db_index=True)
    comment = models.TextField(_("意见"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["notice"], name="one_feedback_per_notice")]

    def __str__(self) -> str:
        return f"{self.issue} {self.get_rating_display()}"


class OrganizationResolvedTally(models.Model):
    """已解决议题 of one organization, kept by consultations.counters in the transaction of each change."""

    organization = models.OneToOneField(
        "orgs.Organization", primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("组织")
    )
    count = models.IntegerField(_("已解决议题"), default=0)

    class Meta:
        verbose_name = _("组织已解决议题数")
        verbose_name_plural = _("组织已解决议题数")

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.count}"


class RegionResolvedTally(models.Model):
    """已解决议题 of the notices published for one place (a notice's own region, as its issue was filed); the
    figure of a district or town sums the rows of the places under it (consultations.counters)."""

    region = models.OneToOneField(
        "orgs.Region", primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("区域")
    )
    count = models.IntegerField(_("已解决议题"), default=0)

    class Meta:
        verbose_name = _("区域已解决议题数")
        verbose_name_plural = _("区域已解决议题数")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.count}"
