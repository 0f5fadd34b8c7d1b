"""The one list of luoshi's commands as `luoshi --help` shows them: name → group and one-line summary.

A test checks it against the management commands of luoshi's apps, so a new command without an
entry here fails. Texts are English msgids (translated in django.po); this module imports nothing
that needs Django's settings, so `luoshi --help` works before anything is configured.
"""

from __future__ import annotations

from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    """Marks a msgid for makemessages (Django's own needs the settings)."""
    return text


@dataclass(frozen=True)
class Entry:
    name: str
    group: str
    summary: str
    django: bool = False  # one of Django's own commands, listed because operators need it


# In the order `luoshi --help` shows them: the stages of the work, then running the system.
GROUPS: dict[str, str] = {
    "documents": gettext_noop("Documents"),
    "division": gettext_noop("Task division"),
    "review": gettext_noop("Pre-review & filing review"),
    "tasks": gettext_noop("Tasks & reports"),
    "supervision": gettext_noop("Supervision"),
    "bulletins": gettext_noop("Bulletins & ledger"),
    "people": gettext_noop("Units & people"),
    "operations": gettext_noop("Operations"),
}

COMMANDS: list[Entry] = [
    Entry(
        "ingest",
        "documents",
        gettext_noop(
            "Read a decision document (.txt, .docx, .doc, .wps, .pdf, .ofd, or a scan or photo) into luoshi and show its structure"
        ),
    ),
    Entry(
        "decompose",
        "division",
        gettext_noop("Propose the task division of a document; --save stores a draft"),
    ),
    Entry(
        "review_plan",
        "division",
        gettext_noop("Review a task division: accept, reject or merge items, accept the rest, confirm"),
    ),
    Entry(
        "review",
        "review",
        gettext_noop("Check a draft against the decisions it implements (review check PATH); stores nothing"),
    ),
    Entry(
        "create_tasks",
        "tasks",
        gettext_noop("Turn a confirmed task division into tasks with lead and co-units"),
    ),
    Entry("refresh_states", "tasks", gettext_noop("Record which reports are due, late or missing")),
    Entry(
        "approve_report",
        "tasks",
        gettext_noop("A unit head approves or returns a report of their unit (or lists those waiting)"),
    ),
    Entry(
        "tick",
        "supervision",
        gettext_noop("Periodic supervision pass: reminders, urging, escalation, warnings, deliveries"),
    ),
    Entry(
        "instruction",
        "supervision",
        gettext_noop("Leaders' instructions: issue, list, answer, approve an answer, cite in bulletins"),
    ),
    Entry(
        "watch",
        "supervision",
        gettext_noop("A leader's watch list: add or remove a task or unit, mark seen, print the changes"),
    ),
    Entry(
        "close_task",
        "supervision",
        gettext_noop("Close a completed, evaluated task (销号) with its evidence"),
    ),
    Entry(
        "urging",
        "supervision",
        gettext_noop("Write an urging notice (DOCX) for a unit's or an assignment's overdue work"),
    ),
    Entry("audit_log", "supervision", gettext_noop("Search the audit trail (supervisors)")),
    Entry(
        "bulletin",
        "bulletins",
        gettext_noop("Write a period's inspection bulletin (DOCX, HTML, XLSX or PDF)"),
    ),
    Entry("ledger", "bulletins", gettext_noop("Write the ledger as an Excel workbook")),
    Entry("load_units", "people", gettext_noop("Load a unit catalog into the unit table")),
    Entry(
        "head_approval",
        "people",
        gettext_noop("Switch the unit head's approval of reports on or off for a unit"),
    ),
    Entry(
        "create_user",
        "people",
        gettext_noop("Create a user with a role (and a unit for liaisons and unit heads)"),
    ),
    Entry(
        "issue_token",
        "people",
        gettext_noop("Issue an API token for a user (printed once): --scope read|write, --days N"),
    ),
    Entry("revoke_token", "people", gettext_noop("Revoke a user's API token by its name")),
    Entry(
        "access_table",
        "people",
        gettext_noop("Print who may do what (every access predicate); --write/--check a document's table"),
    ),
    Entry("unlock", "people", gettext_noop("Lift an account's lockout after too many failed logins")),
    Entry(
        "init",
        "operations",
        gettext_noop("Prepare a server: secret key, settings file, database, first administrator"),
    ),
    Entry("serve", "operations", gettext_noop("Run the web server (waitress), static files included")),
    Entry(
        "migrate",
        "operations",
        gettext_noop("Create or upgrade the database tables (after every upgrade)"),
        django=True,
    ),
    Entry(
        "backup", "operations", gettext_noop("Back up the database and stored files into one checked archive")
    ),
    Entry(
        "restore",
        "operations",
        gettext_noop("Restore a backup archive after checking every hash (--check only checks)"),
    ),
    Entry(
        "check",
        "operations",
        gettext_noop("Check the configuration; --deploy also checks the production (HTTPS) settings"),
        django=True,
    ),
    Entry(
        "show_settings",
        "operations",
        gettext_noop("List every setting with its value in force, default and help"),
    ),
    Entry(
        "demo",
        "operations",
        gettext_noop("Load the demo data (seed decision, demo accounts); --serve serves it"),
    ),
]

BY_NAME: dict[str, Entry] = {e.name: e for e in COMMANDS}
