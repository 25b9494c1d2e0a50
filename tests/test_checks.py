"""``helseinfo check``: links, anchors, reading level and reviews due."""

from __future__ import annotations

import datetime as dt

from content_model.readability import lix
from site_builder.checks import anchors, run_checks
from tests.base import article, write_article


def test_lix_of_short_plain_sentences_is_low_and_long_words_raise_it():
    assert lix(["Hun har feber. Han er syk."]) == 3.0  # 6 words / 2 sentences, no long words
    assert lix(["Kardiovaskulære komplikasjoner forekommer hyppig."]) == 4 + 75.0  # 3 of 4 words long


def test_anchors_use_unicode_slugs_like_the_site():
    assert anchors("## Når bør du ringe?\n\n```\n## ikke en overskrift\n```\n") == {"når-bør-du-ringe"}


def test_broken_link_and_missing_anchor_name_file_and_line(tmp_path):
    body = "## Vanlige årsaker\n\nSe [feber](feber.md) og [avsnitt](#finnes-ikke) og [ok](#vanlige-årsaker).\n"
    write_article(tmp_path, "nb/hodepine.md", article(), body)
    report = run_checks(tmp_path, on=dt.date(2026, 11, 25))
    messages = [str(p) for p in report.errors]
    assert any(m.endswith("hodepine.md:52: lenke: fant ikke feber.md") for m in messages), messages
    assert any(m.endswith("hodepine.md:52: lenke: fant ikke overskriften #finnes-ikke i nb/hodepine.md") for m in messages)
    assert len(messages) == 2


def test_review_due_within_30_days_and_overdue_are_warnings(tmp_path):
    soon = article()
    soon["review"]["next_review"] = "2026-12-10"
    late = article()
    late["review"]["next_review"] = "2026-11-01"
    late["review"]["last_reviewed"] = "2025-11-01"
    write_article(tmp_path, "nb/snart.md", soon)
    write_article(tmp_path, "nb/sent.md", late)
    report = run_checks(tmp_path, on=dt.date(2026, 11, 25))
    warnings = sorted(str(p).split("/")[-1] for p in report.warnings)
    assert warnings == [
        "sent.md:47: review.next_review: revisjonen er forfalt (01.11.2026)",
        "snart.md:47: review.next_review: revisjon forfaller 10.12.2026",
    ]


def test_report_has_a_lix_table_and_warns_above_40(tmp_path):
    hard = "## Om\n\n" + "Kardiovaskulære komplikasjoner forekommer hyppigere blant pasienter med diabetes. " * 5
    write_article(tmp_path, "nb/vanskelig.md", article(), hard)
    report = run_checks(tmp_path, on=dt.date(2026, 11, 25))
    text = report.render()
    assert "Lesbarhet (LIX) for 1 artikler" in text
    assert "nb/vanskelig.md" in text and "⚠" in text
    assert any("er over 40" in str(w) for w in report.warnings)
