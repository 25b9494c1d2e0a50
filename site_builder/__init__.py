"""The mkdocs plugin that validates the content and renders care cards, reviews and directory pages."""
