"""Units (单位): departments, leagues/cities, counties, in a hierarchy."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    LEVELS = [
        ("central", _("central")),
        ("region", _("region")),
        ("league_city", _("league/city")),
        ("county", _("county")),
    ]

    code = models.SlugField(max_length=80)  # unique within its catalog
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    level = models.CharField(max_length=20, choices=LEVELS)
    kind = models.CharField(max_length=30, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    functions = models.TextField(_("functions"), blank=True)
    # The official short name (规范简称) task lists use, and names the unit had ([{name, until}], until
    # "2018-03"): both are found in texts (catalogs/catalog.py).
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    former_names = models.JSONField(default=list, blank=True)
    # GB/T 2260 division code of a league/city or county, from the division data (catalogs/divisions.py).
    division_code = models.CharField(_("division code"), max_length=12, blank=True, db_index=True)
    catalog = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    # 单位负责人审核: the liaison's reports wait for the unit head before the office counts them as
    # approved (docs/chain.md). Set on for units with a head (data migration, people page, demo).
    requires_head_approval = models.BooleanField(_("reports need the unit head's approval"), default=False)

    class Meta:
        ordering = ["catalog", "id"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "code"], name="unique_unit_code_per_catalog")
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def label(self) -> str:
        """The official short name, else the name."""
        return self.short_name or self.name
