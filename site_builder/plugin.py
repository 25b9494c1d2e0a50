"""The ``helseinfo`` mkdocs plugin: event handlers only.

Loading and validation live in ``content_model`` and ``services_catalog``; what templates
show is decided in ``site_builder.views``; the catalogue's pages in ``catalog_pages``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from content_model.icpc2 import default_path, load_codes
from content_model.loader import load_library
from content_model.loader import today as default_today
from content_model.review import approval_problems, git_dates, load_register
from helseinfo.kernel.errors import HelseinfoError
from site_builder import content_api, redirects, views
from site_builder.config import HelseinfoConfig

log = logging.getLogger("mkdocs.plugins.helseinfo")
OVERRIDES = Path(__file__).parent / "overrides"
WIDGET = Path(__file__).resolve().parent.parent / "assistant" / "widget" / "helseinfo-chat.js"
WIDGET_URI = "assets/helseinfo-chat.js"
_TEL_LINK = re.compile(r'(<a [^>]*href="tel:[^"]*"[^>]*>)([^<]*)(</a>)')


def _unbreakable_numbers(html: str) -> str:
    """Phone numbers in tel: links never wrap inside the number ("116 117" → "116&nbsp;117")."""
    return _TEL_LINK.sub(lambda m: m.group(1) + m.group(2).replace(" ", "&nbsp;") + m.group(3), html)


class HelseinfoPlugin(BasePlugin[HelseinfoConfig]):
    supports_multiple_instances = False

    def on_config(self, config):
        self.today = dt.date.fromisoformat(self.config.today) if self.config.today else default_today()
        try:
            self.codes = load_codes(Path(self.config.icpc2_list) if self.config.icpc2_list else default_path())
            self.library = load_library(Path(config.docs_dir), codes=self.codes)
            self.register = load_register(Path(config.docs_dir))
            self.catalog = self._load_catalog() if self.config.directory else None
        except HelseinfoError as exc:
            raise PluginError(str(exc)) from None
        self.git_dates = git_dates(Path(config.docs_dir))
        if self.config.production:
            problems = approval_problems(self.library, self.register, self.today)
            if problems:
                raise PluginError("Produksjonsbygget stopper:\n" + "\n".join(str(p) for p in problems))
        theme_dirs = config.theme.dirs
        if str(OVERRIDES) not in theme_dirs:
            material = next((i for i, d in enumerate(theme_dirs) if Path(d).parent.name == "material"), 0)
            theme_dirs.insert(material, str(OVERRIDES))
        self.rendered = 0
        return config

    def _load_catalog(self):
        from services_catalog import load_catalog

        return load_catalog(Path(self.config.catalog) if self.config.catalog else None, codes=self.codes)

    def on_files(self, files, config):
        if self.config.assistant_url:
            files.append(File.generated(config, WIDGET_URI, abs_src_path=str(WIDGET)))
        for language in ("nb", "nn"):
            src = views.area_index_src(language)
            if files.get_file_from_path(src) is None and self.library.library_articles(language):
                files.append(File.generated(config, src, content=views.area_index_markdown(self.library, language)))
        for src, html in redirects.article_redirects(self.library, config.site_url).items():  # renamed articles
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=html))
        if self.catalog is None:
            return files
        from site_builder import catalog_pages

        return catalog_pages.add_pages(files, config, self.catalog)

    def on_page_read_source(self, page, config):
        # The content model has already read and validated this file: hand mkdocs the body
        # with an empty front matter, so the front matter is parsed once, by one loader.
        article = self.library.get(page.file.src_uri)
        return None if article is None else "---\n{}\n---\n" + article.body

    def on_page_markdown(self, markdown, page, config, files):
        article = self.library.get(page.file.src_uri)
        if article is not None:
            page.meta = dict(article.document.data)
        return markdown

    def on_page_context(self, context, page, config, nav):
        article = self.library.get(page.file.src_uri)
        if article is not None and article.is_article:
            context["article_view"] = views.article_view(
                article,
                self.library,
                self.codes,
                today=self.today,
                site_url=config.site_url,
                site_name=config.site_name,
                register=self.register,
                git_dates=self.git_dates,
                catalog=self.catalog,
            )
        context["page_language"] = self.page_language(page)
        if self.catalog is not None:
            from site_builder import catalog_pages

            context = catalog_pages.page_context(context, page, self.catalog)
        self.rendered += 1
        if self.config.progress_every and self.rendered % self.config.progress_every == 0:
            log.info("helseinfo: %d sider ferdig", self.rendered)
        return context

    def page_language(self, page) -> str:
        article = self.library.get(page.file.src_uri)
        if article is not None:
            return article.meta.language
        return "nn" if page.file.src_uri.startswith("nn/") else "nb"

    def on_post_page(self, output, page, config):
        # <html lang> and Material's own texts follow page_language (overrides/partials/language.html).
        return _unbreakable_numbers(output)

    def on_env(self, env, config, files):
        env.globals["helseinfo_widget"] = {"src": WIDGET_URI, "server": self.config.assistant_url} if self.config.assistant_url else None
        env.globals["helseinfo_search"] = views.search_box(self.config.search_api, self.catalog)
        return env

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config):
        self._add_synonyms_to_search(config)
        content_api.write(Path(config.site_dir), self.library, self.catalog)  # site/api/v1/ (issue 18)
        from site_builder.security import site_headers, write_headers

        write_headers(Path(config.site_dir), site_headers(Path(config.site_dir), self.config.assistant_url, self.config.search_api))

    def _add_synonyms_to_search(self, config):
        index_path = Path(config.site_dir) / "search" / "search_index.json"
        if not index_path.is_file():
            return
        index = json.loads(index_path.read_text(encoding="utf-8"))
        synonyms = {a.url: " ".join(a.meta.synonyms) for a in self.library.articles.values() if a.meta.synonyms}
        for doc in index.get("docs", []):
            words = synonyms.get(doc.get("location"))
            if words:
                doc["text"] = f"{doc.get('text', '')} <p>{words}</p>"
        index_path.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
