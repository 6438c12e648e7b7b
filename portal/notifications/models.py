from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import Channel, Kind


class InboxMessage(models.Model):
    """A message in a user's in-portal inbox (站内消息)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="inbox"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True, default="")
    url = models.CharField(_("链接"), max_length=300, blank=True, default="")
    # Stamped by the service that writes the row, from the moment it is told (`now=`): a step written for a past
    # day (the demo's history) keeps that day. Not editable, as an auto_now_add stamp was.
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # The outbox row it was delivered from: a redelivery after a crash finds it and adds no second copy.
    source = models.OneToOneField(
        "OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbox_copy"
    )

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="inbox_user_time"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="inbox_user_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    # Decided when sending: e.g. a login code asked for a number that belongs to no member goes nowhere.
    WITHHELD = "withheld", _("无需发送")


class OutboxPriority(models.IntegerChoices):
    """Workers claim higher priorities first; urgent rows are also sent without the broker when it is down."""

    NORMAL = 0, _("普通")
    # A member stands at the login page waiting for the code.
    URGENT = 10, _("紧急")


class OutboxMessage(models.Model):
    """One message to one recipient on one channel. Written in the transaction that caused it; sent by workers.

    The idempotency key makes a second sweep, or a second worker, find the row already there; workers claim
    rows with a conditional UPDATE so that each is sent once; a row left in `sending` by a killed worker is
    handed out again after its lease.
    """

    # Unique by a constraint and indexed plainly (Meta): unique=True and db_index would each add a pattern-ops
    # index for LIKE, which nothing asks (the key's was 365 MB at a province's five million rows).
    idempotency_key = models.CharField(_("幂等键"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("手机号"), max_length=11, blank=True, default="")
    email = models.EmailField(_("邮箱"), blank=True, default="")
    # The region path (as orgs.Region.path) of what the message is about, given by whoever queues it: a message
    # to a bare phone number has no account to scope it by, so the admin scopes it by this. Empty: superusers only.
    # db_index gives a pattern index on PostgreSQL, for "everything under a district".
    region_path = models.CharField(
        _("所属区域路径"), max_length=255, blank=True, default="", db_index=True, editable=False
    )
    subject = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    html_body = models.TextField(_("HTML 正文"), blank=True, default="")
    url = models.CharField(_("链接"), max_length=300, blank=True, default="")
    state = models.CharField(_("状态"), max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING)
    priority = models.PositiveSmallIntegerField(
        _("优先级"), choices=OutboxPriority.choices, default=OutboxPriority.NORMAL
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_id = models.CharField(_("服务商编号"), max_length=100, blank=True, default="")
    last_error = models.TextField(_("最近错误"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="outbox_idempotency_key_unique")]
        indexes = [
            models.Index(fields=["kind"], name="outbox_kind"),
            # The claim reads the due rows through this index and sorts those few by priority.
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="outbox_due"),
            models.Index(fields=["claimed_at"], condition=Q(state="sending"), name="outbox_leased"),
            models.Index(fields=["state", "created_at"], name="outbox_state_time"),
            # The admin filters by channel (state and kind have their own indexes).
            models.Index(fields=["channel", "created_at"], name="outbox_channel_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"


class ChannelPreference(models.Model):
    """A user's choice of channels for one kind of message; absent means the default of the kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="channel_preferences"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    channels = models.JSONField(_("渠道"), default=list)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"
