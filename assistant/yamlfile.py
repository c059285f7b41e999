"""Read hand-edited YAML lists keeping the line of every item and field,
so a validation error can say exactly where the file is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import KnowledgeFileError


@dataclass
class Item:
    data: dict
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


def read_list(path: Path, required: bool = True) -> list[Item]:
    path = Path(path)
    if not path.exists():
        if required:
            raise KnowledgeFileError(path, "file not found")
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeFileError(path, f"is not UTF-8 text (byte {exc.start})") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml: 10x faster at start-up
    try:
        root = loader.get_single_node()
        if root is None:
            return []
        if not isinstance(root, yaml.SequenceNode):
            raise KnowledgeFileError(path, "must be a YAML list of records (each starting with '- ')", root.start_mark.line + 1)
        items = []
        for node in root.value:
            if not isinstance(node, yaml.MappingNode):
                raise KnowledgeFileError(path, "each record must be a mapping of field: value", node.start_mark.line + 1)
            data = loader.construct_object(node, deep=True)
            lines = {k.value: v.start_mark.line + 1 for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            items.append(Item(data, node.start_mark.line + 1, lines))
        return items
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeFileError(path, f"is not valid YAML ({getattr(exc, 'problem', None) or exc})",
                                 mark.line + 1 if mark else None) from exc
    finally:
        loader.dispose()
