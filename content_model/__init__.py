"""The content model: the typed schema of articles and care cards, and their loader.

Plain Python with no mkdocs import. The site plugin, the search index and the assistant's
triage engine all read articles through ``load_library``.
"""

from content_model.loader import Article, Library, load_library
from content_model.schema import LEVELS, CareCard, Criterion, FrontMatter

__all__ = ["LEVELS", "Article", "CareCard", "Criterion", "FrontMatter", "Library", "load_library"]
