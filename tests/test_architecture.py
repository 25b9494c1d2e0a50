"""The rooms of the project import only downwards (../shared/ARCHITECTURE.md, docs/architecture.md).

sources → loaders → site / index / assistant → the command line: a lower room never imports a
higher one, not even inside a function, so there is no import circle to trip on.
"""

from __future__ import annotations

import ast

import pytest

from helseinfo.kernel.paths import PROJECT

#: Each room and the rooms it must never import.
FORBIDDEN = {
    "content_model": ("site_builder", "search_index", "assistant", "services_catalog", "helseinfo.cli", "helseinfo.build", "mkdocs"),
    "services_catalog": ("site_builder", "search_index", "assistant", "helseinfo.cli", "helseinfo.build", "mkdocs"),
    "search_index": ("site_builder", "assistant", "helseinfo.cli", "helseinfo.build", "mkdocs", "rasa"),
    "site_builder": ("assistant", "search_index", "helseinfo.cli"),
    "assistant/triage": ("rasa", "rasa_sdk", "site_builder", "search_index", "helseinfo.cli"),
    "helseinfo/kernel": (
        "content_model",
        "site_builder",
        "search_index",
        "assistant",
        "services_catalog",
        "mkdocs",
        "helseinfo.cli",
        "helseinfo.cliutils",
        "helseinfo.build",
        "helseinfo.serve",
        "helseinfo.prod",
        "helseinfo.review",
        "helseinfo.bench",
    ),
}


def imports_of(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_a_room_never_imports_a_room_above_it(room):
    target = PROJECT / room
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    wrong = []
    for path in files:
        for name in imports_of(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[room]):
                wrong.append(f"{path.relative_to(PROJECT)} imports {name}")
    assert not wrong, wrong
