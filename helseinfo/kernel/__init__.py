"""The shared kernel: errors, paths, YAML reading, text normalising and releases.

Plain Python that every room may import and that imports no room (content_model,
services_catalog, search_index, site_builder, assistant, nor the command line around it).
"""
