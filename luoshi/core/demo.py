"""Demo data: the seed decision, its proposed task division and demo accounts. Idempotent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from luoshi.decomposition.models import Plan
from luoshi.decomposition.services import propose_plan
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document

SEED = Path(__file__).with_name("demo_data") / "seed_decision.txt"
DEMO_PASSWORD = "luoshi-demo"
DEMO_CATALOG = "inner-mongolia"


def accounts_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.json"


@dataclass
class DemoSummary:
    document: Document
    plan: Plan
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"document #{self.document.pk}: {self.document.title}",
               f"draft task division #{self.plan.pk}: {self.plan.tasks.filter(parent=None).count()} items"]
        for username, password, role in self.accounts:
            out.append(f"login: {username} / {password}  ({role})")
        return out


def load_demo() -> DemoSummary:
    document = ingest_document(data=SEED.read_bytes(), filename=SEED.name).document
    plan = document.plans.first() or propose_plan(document=document, catalog_name=DEMO_CATALOG).plan
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    accounts = [("admin", DEMO_PASSWORD, "管理员 administrator")]
    accounts_file().write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    return DemoSummary(document, plan, accounts)


def demo_accounts() -> list[list[str]]:
    """The demo logins to show on the login page (empty outside a demo database)."""
    try:
        data = json.loads(accounts_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [list(map(str, a)) for a in data if isinstance(a, list) and len(a) == 3]
