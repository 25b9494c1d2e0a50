"""The section structure per kind of article (content_model.sections), run by helseinfo check."""

from __future__ import annotations

from pathlib import Path

from content_model.loader import collect_library
from content_model.sections import EXCEPTIONS_FILE, section_problems
from helseinfo.kernel.paths import CONTENT
from tests.base import article, write_article


def problems(content: Path) -> tuple[list[str], list[str]]:
    library, _ = collect_library(content, codes=False)
    errors, warnings = section_problems(library)
    return [str(p) for p in errors], [str(p) for p in warnings]


def write_exceptions(content: Path, text: str) -> None:
    path = content / EXCEPTIONS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_symptom_without_causes_is_an_error_naming_the_file_and_the_section(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(), "## Om\n\nTekst.\n")
    errors, _ = problems(tmp_path)
    assert errors == [
        f"{tmp_path}/nb/hodepine.md: avsnitt: mangler årsaker (for eksempel «## Vanlige årsaker»); "
        f"skriv avsnittet, eller skriv ned hvorfor det mangler i content/{EXCEPTIONS_FILE}"
    ]


def test_a_symptom_with_causes_a_card_self_care_and_a_duration_criterion_is_complete(tmp_path):
    """The base article's card says what to do when the headache lasts over a week (a duration)."""
    write_article(tmp_path, "nb/hodepine.md", article(), "## Vanlige årsaker\n\nStress.\n")
    write_article(tmp_path, "nn/hodepine.md", article(language="nn"), "## Vanlege årsaker\n\nStress.\n")
    assert problems(tmp_path) == ([], [])


def test_a_condition_needs_treatment_and_prevention_too(tmp_path):
    write_article(tmp_path, "nb/astma.md", article(kind="condition"), "## Hva kan utløse astma?\n\nKald luft.\n")
    errors, _ = problems(tmp_path)
    assert [e.split(": avsnitt: mangler ")[1].split(" (")[0] for e in errors] == ["behandling", "forebygging"]


def test_a_written_exception_covers_both_written_standards_and_a_stale_one_is_warned_about(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(), "## Om\n\nTekst.\n")
    write_article(tmp_path, "nn/hodepine.md", article(language="nn"), "## Om\n\nTekst.\n")
    write_exceptions(
        tmp_path,
        "exceptions:\n"
        "  - {article: hodepine, section: causes, reason: Ikke skrevet ennå.}\n"
        "  - {article: hodepine, section: treatment, reason: Gjelder ikke et symptom.}\n",
    )
    errors, warnings = problems(tmp_path)
    assert errors == []
    assert warnings == [f"{tmp_path}/{EXCEPTIONS_FILE}: exceptions: 'hodepine' har nå treatment: unntaket kan slettes"]


def test_a_bad_exception_names_the_line_of_the_exceptions_file(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(), "## Vanlige årsaker\n\nStress.\n")
    write_exceptions(
        tmp_path,
        "exceptions:\n"
        "  - {article: hodepine, section: aarsaker, reason: Skrivefeil.}\n"
        "  - {article: finnes-ikke, section: causes, reason: Feil navn.}\n",
    )
    errors, _ = problems(tmp_path)
    assert errors == [
        f"{tmp_path}/{EXCEPTIONS_FILE}:2: exceptions[0].section: forventet en av: causes, care_card, self_care, not_better, treatment, prevention",
        f"{tmp_path}/{EXCEPTIONS_FILE}:3: exceptions[1].article: fant ingen artikkel 'finnes-ikke' i nb/ eller nn/",
    ]


def test_every_article_of_the_library_has_its_sections_or_a_written_exception():
    library, _ = collect_library(CONTENT, codes=False)
    errors, warnings = section_problems(library)
    assert [str(p) for p in errors] == []
    assert [str(p) for p in warnings] == []
