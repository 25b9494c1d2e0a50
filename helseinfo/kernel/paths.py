"""Where things are. Everything is relative to the project folder unless configured."""

from __future__ import annotations

import os
from pathlib import Path

#: The project folder (the Git checkout).
PROJECT = Path(__file__).resolve().parents[2]
#: Reference data shared by the workplace, used at build time and in tests, never copied.
SHARED_DATA = Path(os.environ.get("HELSEINFO_SHARED_DATA", PROJECT.parent / "shared" / "data"))
CONTENT = PROJECT / "content"
