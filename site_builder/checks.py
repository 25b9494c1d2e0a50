"""``helseinfo check``: what an editor needs to know before publishing.

Errors (the build would fail): front matter, broken internal links and anchors; a section an
article of its kind must have (``content_model.sections``) missing without a written exception;
a word neither Hunspell's nb_NO/nn_NO nor the project's word list knows (``content_model.spelling``);
a source whose URL is a site's front page (``content_model.sources``).
Warnings: LIX above 40, reviews overdue or due within the next days, an approval that no longer
holds (changed since, or the reviewer not registered for the area).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.slugs import slugify

from content_model.card_checks import level_conflicts, parity_problems, topic_alone_problems
from content_model.loader import Library, collect_library, today
from content_model.readability import LIX_WARNING, article_lix
from content_model.review import Register, approval, load_register
from content_model.sections import section_problems
from content_model.sources import front_page_problems
from content_model.spelling import spelling_problems
from helseinfo.kernel.errors import Problem, ValidationError

#: The slug function for heading anchors; mkdocs.yml configures the same one for ``toc``.
heading_slug = slugify(case="lower")

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def anchors(body: str) -> set[str]:
    """The heading anchors of a Markdown body, as the site generates them."""
    found: set[str] = set()
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if match:
            found.add(match.group(3) or heading_slug(match.group(2), "-"))
    return found


def generated_pages() -> set[str]:
    """Pages the plugin generates at build time (links to them are valid)."""
    from site_builder.catalog_pages import src_of
    from site_builder.views import area_index_src

    return {area_index_src("nb"), area_index_src("nn"), src_of()}


def link_problems(library: Library) -> list[Problem]:
    """Internal links to Markdown files that do not exist, and anchors that do not exist."""
    problems: list[Problem] = []
    generated = generated_pages()
    anchor_cache: dict[str, set[str]] = {}
    for article in library.articles.values():
        for number, line in enumerate(article.body.splitlines(), start=article.body_line):
            for target in _LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                    continue  # https:, tel:, mailto:
                path, _, anchor = target.partition("#")
                if path and not path.endswith(".md"):
                    continue  # generated pages and assets are checked by the build
                if path:
                    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(article.src_path), path))
                    other = library.get(resolved)
                    if other is None and resolved in generated:
                        continue
                    if other is None:
                        problems.append(Problem(article.file, "lenke", f"fant ikke {target}", number))
                        continue
                else:
                    other = article
                if anchor:
                    known = anchor_cache.setdefault(other.src_path, anchors(other.body))
                    if anchor not in known:
                        problems.append(Problem(article.file, "lenke", f"fant ikke overskriften #{anchor} i {other.src_path}", number))
    return problems


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lix: list[tuple[str, float]] = field(default_factory=list)

    def render(self) -> str:
        out = []
        if self.lix:
            values = sorted(v for _, v in self.lix)
            out.append(
                f"Lesbarhet (LIX) for {len(values)} artikler: "
                f"min {values[0]}, median {values[len(values) // 2]}, maks {values[-1]}; "
                f"{sum(v > LIX_WARNING for v in values)} over {LIX_WARNING}."
            )
            out.append(f"{'Artikkel':<50} LIX")
            out.extend(f"{name:<50} {value:>5.1f}{'  ⚠' if value > LIX_WARNING else ''}" for name, value in self.lix)
        for warning in self.warnings:
            out.append(f"Advarsel: {warning}")
        for error in self.errors:
            out.append(f"Feil: {error}")
        out.append(f"{len(self.errors)} feil, {len(self.warnings)} advarsler.")
        return "\n".join(out)


def run_checks(content_dir: Path, *, days: int = 30, only: list[Path] | None = None, on: dt.date | None = None) -> Report:
    """Check the whole library; with ``only``, report just those files."""
    on = on or today()
    report = Report()
    library, report.errors = collect_library(content_dir)
    report.errors += link_problems(library)
    report.errors += parity_problems(library) + topic_alone_problems(library)
    report.warnings += level_conflicts(library)
    report.errors += spelling_problems(library)
    report.errors += front_page_problems(library)
    section_errors, section_warnings = section_problems(library)
    report.errors += section_errors
    report.warnings += section_warnings
    try:
        register = load_register(content_dir)
    except ValidationError as exc:
        report.errors += exc.problems
        register = Register()
    for article in library.library_articles():
        review = article.meta.review
        assert review is not None, "an article (not a plain page) always has a review (FrontMatter)"
        state = approval(article, library, register)
        if review.status == "approved" and not state.approved:
            report.warnings.append(Problem(article.file, "review.status", state.reason(), article.line(("review", "status"))))
        report.lix.append((article.src_path, article_lix(article)))
        value = report.lix[-1][1]
        if value > LIX_WARNING:
            report.warnings.append(Problem(article.file, "", f"LIX {value} er over {LIX_WARNING}: skriv kortere setninger og ord"))
        if review.overdue(on):
            report.warnings.append(
                Problem(
                    article.file,
                    "review.next_review",
                    f"revisjonen er forfalt ({review.next_review:%d.%m.%Y})",
                    article.line(("review", "next_review")),
                )
            )
        elif review.due_within(on, days):
            report.warnings.append(
                Problem(
                    article.file,
                    "review.next_review",
                    f"revisjon forfaller {review.next_review:%d.%m.%Y}",
                    article.line(("review", "next_review")),
                )
            )
    if only:
        names = {str(p) for p in only}

        def keep(problem: Problem) -> bool:
            return str((Path.cwd() / problem.file).resolve()) in names

        report.errors = [p for p in report.errors if keep(p)]
        report.warnings = [p for p in report.warnings if keep(p)]
        report.lix = [(n, v) for n, v in report.lix if str((content_dir / n).resolve()) in names]
    return report
