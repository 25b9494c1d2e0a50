"""Clinical approval in Git (content_model.review, helseinfo review): the register, the fingerprint
of what was approved, the state the site and the strict build read, and dates from Git history."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from content_model.loader import collect_library
from content_model.review import approval, approval_problems, approve, git_dates, last_changed, load_register, set_review_fields
from helseinfo.cli import main
from helseinfo.kernel.errors import ContentError, HelseinfoError
from tests.base import TEST_REVIEWER, article, write_article, write_register

SIGNS = """\
concepts:
  hode:
    nb: [hode, hodet]
    nn: [hovud]
    en: [head]
  vondt:
    nb: [vondt, verk]
    nn: [vondt]
    en: [pain]
signs:
  - id: hodepine
    label: {nb: Hodepine, nn: Hovudverk, en: Headache}
    expressions: [[hode, vondt]]
"""


def git(root: Path, *args: str, date: str = "2026-11-20T12:00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def content(tmp_path) -> Path:
    """A tiny library in its own Git repository: one symptom built on a shared sign, a register."""
    content = tmp_path / "content"
    meta = article()
    meta["care_card"]["gp"][0].pop("terms")
    meta["care_card"]["gp"][0]["signs"] = ["hodepine"]
    write_article(content, "nb/hodepine.md", meta, "## Årsaker\n\nOfte stress.\n")
    (content / "signs").mkdir()
    (content / "signs" / "hode.yml").write_text(SIGNS, encoding="utf-8")
    write_register(content, TEST_REVIEWER)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first", date="2026-11-20T12:00:00")
    return content


def state_of(content: Path, src_path: str = "nb/hodepine.md") -> str:
    library, problems = collect_library(content, codes=False)
    assert problems == []
    return approval(library.get(src_path), library, load_register(content)).state


def approve_hodepine(content: Path) -> None:
    approve(content / "nb/hodepine.md", "kari-testlege", content, today=dt.date(2026, 11, 25))


def test_approve_sets_status_reviewer_fingerprint_and_dates_and_changes_no_other_line(content):
    before = (content / "nb/hodepine.md").read_text(encoding="utf-8").splitlines()
    approve_hodepine(content)
    after = (content / "nb/hodepine.md").read_text(encoding="utf-8").splitlines()
    changed = [line.strip() for line in after if line not in before]
    assert changed[0] == "status: approved"
    assert changed[1] == "reviewer: kari-testlege"
    assert changed[2].startswith("approved_hash: sha256:")
    assert changed[3:] == ["last_reviewed: 2026-11-25", "next_review: 2027-11-25"]
    assert [line for line in before if line not in after] == [
        "  status: draft",
        "  last_reviewed: '2026-11-01'",
        "  next_review: '2027-11-01'",
    ]
    assert state_of(content) == "approved"


def test_approve_keeps_the_indent_when_a_blank_line_opens_the_review_block():
    text = "---\ntitle: X\nreview:\n\n    status: draft\n    editor_role: Fagredaktør\n---\nBrødtekst\n"
    lines = set_review_fields(text, {"status": "approved", "reviewer": "kari-testlege"}, "nb/x.md").split("\n")
    assert lines[3:7] == ["", "    status: approved", "    reviewer: kari-testlege", "    editor_role: Fagredaktør"]


def test_a_change_to_the_reader_text_puts_the_article_back_to_awaiting_review(content):
    approve_hodepine(content)
    path = content / "nb/hodepine.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Ofte stress.", "Ofte stress og lite søvn."), encoding="utf-8")
    assert state_of(content) == "changed"


def test_a_change_to_a_criterions_condition_puts_the_article_back_to_awaiting_review(content):
    approve_hodepine(content)
    path = content / "nb/hodepine.md"
    path.write_text(path.read_text(encoding="utf-8").replace("over_days: 7", "over_days: 14"), encoding="utf-8")
    assert state_of(content) == "changed"


def test_a_change_to_a_shared_sign_puts_every_article_using_it_back_to_awaiting_review(content):
    approve_hodepine(content)
    signs = content / "signs" / "hode.yml"
    signs.write_text(signs.read_text(encoding="utf-8").replace("nb: [vondt, verk]", "nb: [vondt, verk, murring]"), encoding="utf-8")
    assert state_of(content) == "changed"


def test_a_change_to_the_sources_keeps_the_approval(content):
    approve_hodepine(content)
    path = content / "nb/hodepine.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Hodepine\n  publisher", "title: Hodepine hos voksne\n  publisher"),
        encoding="utf-8",
    )
    assert state_of(content) == "approved"


def test_approval_by_someone_not_in_the_register_is_refused_and_nothing_is_written(content):
    before = (content / "nb/hodepine.md").read_text(encoding="utf-8")
    with pytest.raises(HelseinfoError, match="fant ikke fagpersonen 'ola-nordmann' \\(kari-testlege\\)"):
        approve(content / "nb/hodepine.md", "ola-nordmann", content)
    assert (content / "nb/hodepine.md").read_text(encoding="utf-8") == before


def test_approval_outside_the_reviewers_areas_is_refused(content):
    write_register(content, {**TEST_REVIEWER, "areas": ["barn"]})
    with pytest.raises(HelseinfoError, match="er ikke registrert for temaet 'hode-og-nerver' \\(registrert for: barn\\)"):
        approve_hodepine(content)


def test_strict_build_refuses_an_approval_whose_reviewer_left_the_register_or_the_area(content):
    approve_hodepine(content)
    library, _ = collect_library(content, codes=False)
    on = dt.date(2026, 12, 1)
    assert approval_problems(library, load_register(content), on) == []
    write_register(content, {**TEST_REVIEWER, "areas": ["barn"]})
    [problem] = approval_problems(library, load_register(content), on)
    assert str(problem).endswith("review.reviewer: 'kari-testlege' er ikke registrert for temaet 'hode-og-nerver' i om/fagpersoner.yml")
    write_register(content)
    [problem] = approval_problems(library, load_register(content), on)
    assert str(problem).endswith("review.reviewer: godkjent av 'kari-testlege', som ikke står i om/fagpersoner.yml")


def test_strict_build_refuses_a_changed_article_and_names_the_line_of_the_fingerprint(content):
    approve_hodepine(content)
    path = content / "nb/hodepine.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Ofte stress.", "Ofte stress, sjelden farlig."), encoding="utf-8")
    library, _ = collect_library(content, codes=False)
    [problem] = approval_problems(library, load_register(content), dt.date(2026, 12, 1))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "approved_hash" in text)
    assert str(problem).startswith(f"{problem.file}:{line}: review.approved_hash: er endret etter at den ble godkjent")


def test_a_malformed_register_is_a_clean_error_naming_file_line_and_key(content):
    write_register(content, {**TEST_REVIEWER, "hpr": "ukjent"})
    with pytest.raises(ContentError) as info:
        load_register(content)
    assert "fagpersoner.yml:5: reviewers[0].hpr: forventet tekst på formen" in str(info.value)


def test_dates_come_from_git_history_and_fall_back_to_the_front_matter(content):
    path = content / "nb/hodepine.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMer tekst.\n", encoding="utf-8")
    git(content.parent, "commit", "-q", "-am", "second", date="2026-11-28T09:00:00")
    write_article(content, "nb/ny.md", article(title="Ny"))  # not committed yet
    dates = git_dates(content)
    assert (dates["nb/hodepine.md"].created, dates["nb/hodepine.md"].changed) == (dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    library, _ = collect_library(content, codes=False)
    assert last_changed(library.get("nb/ny.md"), dates) == dt.date(2026, 11, 1)
    assert git_dates(content.parent.parent / "not-a-repository") == {}


def test_review_status_lists_what_awaits_review_and_who_approved_what(content, monkeypatch):
    write_article(content, "nb/akutt.md", {**article(title="Akutt", area="akutt"), "kind": "akutt"})
    approve_hodepine(content)
    monkeypatch.setattr("helseinfo.review.today", lambda: dt.date(2026, 12, 1))
    result = CliRunner().invoke(main, ["review", "status", "--content", str(content)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Venter på faglig godkjenning (1):"
    assert lines[1].startswith("  nb/akutt.md: venter på faglig godkjenning (status: draft); sist endret 01.11.2026")
    assert lines[2:4] == ["Forfalt revisjon (0):", "  ingen"]
    assert lines[4] == "Godkjent (1):"
    assert lines[5] == (
        "  nb/hodepine.md: Kari Testlege (Fastlege, HPR 9999999), godkjent 25.11.2026, neste revisjon 25.11.2027; sist endret 20.11.2026"
    )


def test_review_approve_with_an_unknown_reviewer_is_one_norwegian_line_without_traceback(content):
    result = CliRunner().invoke(
        main, ["review", "approve", str(content / "nb/hodepine.md"), "--reviewer", "ukjent", "--content", str(content)]
    )
    assert result.exit_code == 1
    assert result.output.strip() == f"Feil: {content}/om/fagpersoner.yml: fant ikke fagpersonen 'ukjent' (kari-testlege)"


def test_helseinfo_check_warns_when_an_approved_article_has_changed_since(content):
    from site_builder.checks import run_checks

    approve_hodepine(content)
    path = content / "nb/hodepine.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Ofte stress.", "Ofte stress og lite søvn."), encoding="utf-8")
    report = run_checks(content, on=dt.date(2026, 12, 1))
    assert [str(w).split(": ", 1)[1] for w in report.warnings if "review.status" in str(w)] == [
        "review.status: er endret etter at den ble godkjent (kriteriene, et tegn eller teksten): venter på ny faglig godkjenning"
    ]
