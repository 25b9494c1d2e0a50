"""Helseinformasjon på ett sted: the command-line tool, and in `kernel/` the shared paths, errors and text."""
