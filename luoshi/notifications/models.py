"""Notices (in-app inbox), unit group channels, and the deliveries that carry them out.

A notice is one person's message in the in-app inbox; creating it *is* its
in-app delivery. A unit message is one message to a unit's group channels
(a group robot posts it once, however many of the unit's people it concerns).
Each outgoing copy — a mail to a person, a post to a group robot, a mail to a
unit mailbox — is a ``Delivery`` that ``luoshi tick`` claims, sends and
retries (see delivery.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.units.models import Unit


class Notice(models.Model):
    """A message in one user's inbox. ``dedupe_key`` makes it exist once, whoever creates it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40)  # reminder, urging, escalation, warning, extension…
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)  # absolute URL
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_inbox"),
            models.Index(fields=["recipient", "created_at", "id"], name="notice_inbox_page_key"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"


class UnitMessage(models.Model):
    """A message to one unit's group channels (robots, unit mailbox)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("unit message")
        verbose_name_plural = _("unit messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.title}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("email")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class UnitChannel(models.Model):
    """Where a unit's group messages go: its mailbox, or a WeCom / DingTalk group robot."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    name = models.CharField(max_length=100, blank=True)
    address = models.CharField(_("mail address or webhook URL"), max_length=500)
    secret = models.CharField(_("DingTalk signing secret"), max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("unit channel")
        verbose_name_plural = _("unit channels")
        ordering = ["unit", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} {self.name}".strip()


class Delivery(models.Model):
    """One outgoing copy of a notice (mail to its recipient) or of a unit message (to one channel).

    status: pending → sending (claimed by one process) → sent, or back to
    pending with a later ``next_attempt_at`` after a failure, or failed once
    the attempts are used up.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    unit_message = models.ForeignKey(
        UnitMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        UnitChannel, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.CharField(max_length=500, blank=True)  # address or robot host, for the record
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__isnull=False, unit_message__isnull=True)
                | Q(notice__isnull=True, unit_message__isnull=False),
                name="delivery_of_notice_or_unit_message",
            ),
            models.UniqueConstraint(
                fields=["notice", "kind"],
                condition=Q(notice__isnull=False),
                name="one_delivery_per_notice_and_kind",
            ),
            models.UniqueConstraint(
                fields=["unit_message", "channel"],
                condition=Q(unit_message__isnull=False),
                name="one_delivery_per_message_and_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
