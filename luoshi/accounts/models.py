"""People, their unit and their role; API tokens for integrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.units.models import Unit


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor")
    LIAISON = "liaison", _("unit liaison")
    UNIT_HEAD = "unit_head", _("unit head")
    LEADER = "leader", _("leader")
    ADMIN = "admin", _("administrator")
    # Pre-review and filing review (前置审核、备案审查): luoshi/review/access.py says what each may do.
    REVIEWER = "reviewer", _("reviewer")
    REVIEW_HEAD = "review_head", _("review head")


class Profile(models.Model):
    """A user's unit and role. Liaisons and unit heads act for their unit only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    """A token for the JSON API; only its SHA-256 is stored.

    A revoked or expired token keeps its row (who had it, when it was last used)
    but no longer authenticates; a user's live tokens have distinct names. A
    read-scope token may only GET (and HEAD/OPTIONS).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True
    )  # None only for tokens issued before expiry existed
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.WRITE)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at=None),
                name="one_live_token_name_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user: object, name: str, scope: str = TokenScope.WRITE, expires_at: datetime | None = None
    ) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "ls_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=cls.hash(raw), scope=scope, expires_at=expires_at
        )
        return token, raw

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
