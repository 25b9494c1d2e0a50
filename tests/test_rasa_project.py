"""The Rasa project's data: validated by Rasa itself, and the test stories run against the model."""

from __future__ import annotations

import subprocess

import pytest

from assistant import cli as assistant_cli
from helseinfo.kernel.paths import PROJECT

ASSISTANT = PROJECT / "assistant"


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    # The endpoints file names the action server's token by reference; any value does here.
    env = {**assistant_cli.rasa_env(), "HELSEINFO_ACTION_TOKEN": "test"}
    return subprocess.run([str(assistant_cli.RASA), *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)


def test_rasa_data_validates_without_warnings():
    result = rasa(
        "data",
        "validate",
        "--data",
        str(ASSISTANT / "data"),
        "--domain",
        str(ASSISTANT / "domain"),
        "--config",
        str(ASSISTANT / "config.yml"),
        "--fail-on-warnings",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.e2e
@pytest.mark.slow
def test_gitt_naar_saa_stories_pass_with_the_trained_model(tmp_path):
    model = assistant_cli.MODEL  # trained by scripts/test.sh before pytest, never inside a test
    if not model.is_file():
        pytest.fail(f"{model} mangler: kjør 'helseinfo assistant train' (scripts/test.sh gjør det før pytest)")
    result = rasa(
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        str(ASSISTANT / "tests"),
        "--endpoints",
        str(ASSISTANT / "endpoints.yml"),
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
