"""Our own Norwegian spaCy pipelines (bokmål and nynorsk), trained from NorNE.

``convert`` turns the NDT/NorNE CoNLL files into spaCy training data with UD tags,
``splits`` says which files train, tune and test, ``train`` trains and packages,
``evaluate`` measures the packaged pipelines, ``cli`` is ``helseinfo nlp``.
See docs/nlp.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from helseinfo.kernel.paths import SHARED_DATA

HERE = Path(__file__).resolve().parent
#: NorNE in the shared data folder (never copied into the repository).
NORNE = SHARED_DATA / "norne"
#: The committed pipelines: ``spacy.load(PIPELINES / "nb_helse_sm")``.
PIPELINES = HERE / "pipelines"
CONFIGS = HERE / "configs"
#: Health vocabulary whose lemmas are fixed after the trainable lemmatizer.
HEALTH_LEMMAS = HERE / "health_lemmas.json"
#: Converted corpora and training runs (they contain the NorNE texts, so they live outside the repository).
WORK = Path(os.environ.get("HELSEINFO_NLP_WORK", Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "helseinfo-nlp"))

#: Our language codes, the NorNE folder for each, and the package name written to pipelines/.
LANGS = {"nb": "nob", "nn": "nno"}


def pipeline_name(lang: str) -> str:
    """``nb_helse_sm`` or ``nn_helse_sm``."""
    return f"{lang}_helse_sm"
