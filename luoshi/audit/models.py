"""The audit trail (操作日志): who did what to which object, when, from where.

Append-only for the application: saving an existing entry or deleting one
raises ``AuditImmutable``, and so do ``update()`` and ``delete()`` on a
queryset of entries. Only a database administrator, working on the database
itself, can remove rows (see docs/evaluation.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """An attempt to change or remove an audit entry."""

    code = "audit_immutable"
    message_zh = "操作日志只能追加，不能修改或删除。"
    message_en = "The audit trail is append-only: entries cannot be changed or removed."

    def __init__(self) -> None:
        super().__init__(f"{self.message_zh} / {self.message_en}")


class Action(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    TRANSITION = "transition", _("status change")
    OVERRIDE = "override", _("override")
    APPROVE = "approve", _("approval")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutable

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutable


class AuditEntry(models.Model):
    """One recorded operation; ``changes`` maps a field to [before, after] (JSON values)."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # the username at the time, "cli", or "anonymous"
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100)  # app_label.model, e.g. "tasks.task"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutable
