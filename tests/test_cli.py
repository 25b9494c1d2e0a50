"""The command-line tool: every command documented, errors as clean lines, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from helseinfo.cli import main
from tests.base import article, make_project, write_article


def run(*args, cwd=None, env=None):
    return subprocess.run([str(Path(sys.executable).with_name("helseinfo")), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name


def test_check_with_bad_front_matter_prints_one_line_per_problem_and_exits_1(tmp_path):
    write_article(tmp_path, "nb/hodepine.md", article(language="se"))
    result = run("check", "--content", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "Feil: nb/hodepine.md:4: language: forventet en av: nb, nn" in result.stdout


def test_build_failure_is_a_clean_message_and_publishes_nothing(tmp_path):
    config = make_project(tmp_path, {"nb/hodepine.md": article(kind="sykdom")})
    result = run("build", "--config-file", str(config), "--out", str(tmp_path / "site"), "--quiet", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Feil:" in result.stderr
    assert "hodepine.md:5: kind: forventet en av: symptom, condition, akutt, page" in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_publishes_and_reports_the_release(tmp_path):
    config = make_project(tmp_path)
    result = run("build", "--config-file", str(config), "--out", str(tmp_path / "site"), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "nb" / "hodepine" / "index.html").is_file()


def test_production_build_without_the_assistant_url_is_one_clear_norwegian_line(tmp_path):
    """helseinfo build --strict without HELSEINFO_ASSISTANT_URL: exit 1, one 'Feil:' line naming
    the variable, no traceback, nothing published."""
    config = make_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "HELSEINFO_ASSISTANT_URL"}
    result = run("build", "--strict", "--config-file", str(config), "--out", str(tmp_path / "site"), "--quiet", cwd=tmp_path, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Feil: HELSEINFO_ASSISTANT_URL er ikke satt")
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "site").exists()


def test_missing_content_folder_is_a_clean_error(tmp_path):
    result = run("check", "--content", str(tmp_path / "finnes-ikke"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("finnes-ikke: fant ikke innholdsmappen")
    assert "Traceback" not in result.stderr


def test_triage_of_a_text_over_the_limit_is_one_line_with_the_national_numbers():
    # Gitt en tekst over 2000 tegn, så svarer triage med én linje som sier hva som er galt og
    # gir nødnumrene, uten sporingsutskrift, og avslutter med 1.
    result = CliRunner().invoke(main, ["triage", "x" * 2001])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Feil: teksten er ikke tekst eller er lengre enn 2000 tegn")
    assert "113" in lines[0] and "116 117" in lines[0] and "Traceback" not in result.output
