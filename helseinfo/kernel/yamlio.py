"""Reading YAML with the line of every key, so that errors can point at the line.

Both loaders (articles' front matter and the catalogue files) use this module, so an
editor sees the same kind of message, ``file:line: key: what was expected``, everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helseinfo.kernel.errors import Problem, ValidationError

Loc = tuple  # a path into the data: ("care_card", "emergency", 0, "terms")

#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """Parsed YAML data and the source line of every key and list item in it.

    The lines are worked out only when a message needs one (valid files never pay for it).
    """

    def __init__(self, data: Any, text: str, line_offset: int = 0):
        self.data = data
        self._text = text
        self._lines: dict[Loc, int] | None = None
        self._offset = line_offset

    def line(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest parent that has one (a missing key)."""
        if self._lines is None:
            self._lines = {}
            node = yaml.compose(self._text, Loader=_Loader)
            if node is not None:
                _walk(node, (), self._lines)
        loc = tuple(loc)
        while True:
            if loc in self._lines:
                return self._lines[loc] + self._offset
            if not loc:
                return None
            loc = loc[:-1]


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, loc + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            _walk(item, loc + (index,), lines)


def parse_yaml(text: str, file: str, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; a syntax error becomes a ``ValidationError`` naming the line."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValidationError([Problem(file, "", f"ugyldig YAML: {problem}", line)]) from None
    return YamlDocument(data, text, line_offset)


def read_front_matter(path: Path, display: str) -> tuple[YamlDocument, str, int]:
    """Split a Markdown file into front matter and body.

    Returns the parsed front matter, the body and the line the body starts on.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValidationError([Problem(display, "", "mangler front matter: filen må starte med en linje '---'", 1)])
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return parse_yaml(meta, display, line_offset=1), body, index + 2
    raise ValidationError([Problem(display, "", "front matter er ikke avsluttet med en linje '---'", 1)])
