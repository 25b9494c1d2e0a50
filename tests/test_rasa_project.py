"""The Rasa project's data: validated by Rasa itself, and the test stories run against the model."""
from __future__ import annotations

import subprocess

import pytest

from assistant import cli as assistant_cli
from helseinfo.paths import PROJECT

ASSISTANT = PROJECT / "assistant"


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(assistant_cli.RASA), *args], cwd=PROJECT, env=assistant_cli.rasa_env(),
                          capture_output=True, text=True, timeout=timeout)


def test_rasa_data_validates_without_warnings():
    result = rasa("data", "validate", "--data", str(ASSISTANT / "data"), "--domain", str(ASSISTANT / "domain"),
                  "--config", str(ASSISTANT / "config.yml"), "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.e2e
@pytest.mark.slow
def test_gitt_naar_saa_stories_pass_with_the_trained_model(tmp_path):
    model = assistant_cli.train_model()
    result = rasa("test", "core", "--model", str(model), "--stories", str(ASSISTANT / "tests"),
                  "--endpoints", str(ASSISTANT / "endpoints.yml"), "--out", str(tmp_path), "--fail-on-prediction-errors")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
