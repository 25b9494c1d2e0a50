"""Helseinformasjon på ett sted: shared paths, errors and the command-line tool."""
