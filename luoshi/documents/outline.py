"""The heading trees of documents as plain rows: a task's top-level part and its item, in one query.

The roll-ups (ratings, evaluation) group tasks by the part (一、) of the decision they stand under, and
the dashboard's tree by part and item (（一）). A task's part is its ``section`` climbed to the root, or,
for a task without a section, the root whose number and heading match the first label of its
``heading_path`` ("三、在民族地区…"). One query reads the nodes (no model instances: a region's
decisions have thousands of sections).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from luoshi.documents.models import Section

NO_SECTION_ZH = "未归入章节"


class Node(NamedTuple):
    """A section as the trees need it (a tuple: quick to make for a region's thousands of sections)."""

    pk: int
    document_id: int
    parent_id: int | None
    order: int
    number: str
    heading: str
    level: int

    @property
    def label(self) -> str:
        """ "一、总体要求": a part's number and heading, with 、 after a bare number."""
        separator = "、" if self.level == 1 and self.number and self.number[-1] not in "、.．)）" else ""
        return f"{self.number}{separator}{self.heading}"


@dataclass
class Outline:
    """The nodes of some documents by id, and each document's roots in document order."""

    by_id: dict[int, Node] = field(default_factory=dict)
    roots: dict[int, list[Node]] = field(default_factory=lambda: defaultdict(list))

    def top(
        self, *, document_id: int, section_id: int | None, heading_path: Sequence[object] = ()
    ) -> Node | None:
        """The top-level part a task stands under (None when neither its section nor its heading says)."""
        node = self.by_id.get(section_id) if section_id else None
        while node is not None and node.parent_id is not None:
            node = self.by_id.get(node.parent_id)
        if node is None and heading_path:
            label = str(heading_path[0]).strip()
            node = next(
                (
                    r
                    for r in self.roots.get(document_id, ())
                    if r.heading and label.startswith(r.number) and label.endswith(r.heading.strip())
                ),
                None,
            )
        return node

    def item(self, *, section_id: int | None, part_id: int | None) -> Node | None:
        """The second-level node under the part that the section belongs to (None: directly under the part)."""
        node = self.by_id.get(section_id or 0)
        while node is not None and node.parent_id is not None and node.parent_id != part_id:
            node = self.by_id.get(node.parent_id)
        return node if node is not None and node.parent_id is not None and node.parent_id == part_id else None

    def order(self, section_id: int | None) -> tuple[bool, int]:
        """A sort key: document order, the tasks in no section last."""
        return (section_id is None, self.by_id[section_id].order if section_id is not None else 0)


def outline(document_ids: Iterable[int]) -> Outline:
    """The heading trees of the documents (one query)."""
    found = Outline()
    rows = (
        Section.objects.filter(document_id__in=sorted(set(document_ids)))
        .order_by("document_id", "order")
        .values_list("pk", "document_id", "parent_id", "order", "number", "heading", "level")
    )
    for row in rows:
        node = found.by_id[row[0]] = Node(*row)
        if node.parent_id is None:
            found.roots[node.document_id].append(node)
    return found
