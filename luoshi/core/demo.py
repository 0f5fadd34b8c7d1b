"""Demo data: the seed decision and demo accounts. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model

from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document

SEED = Path(__file__).with_name("demo_data") / "seed_decision.txt"
DEMO_PASSWORD = "luoshi-demo"


@dataclass
class DemoSummary:
    document: Document
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"document #{self.document.pk}: {self.document.title}"]
        for username, password, role in self.accounts:
            out.append(f"login: {username} / {password}  ({role})")
        return out


def load_demo() -> DemoSummary:
    outcome = ingest_document(data=SEED.read_bytes(), filename=SEED.name)
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return DemoSummary(outcome.document, [("admin", DEMO_PASSWORD, "管理员 administrator")])
