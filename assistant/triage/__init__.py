"""Deterministic, explainable triage over the library's care cards. No Rasa import.

``TriageEngine(library).assess(text)`` applies the global akutt card first, then the care
cards of every article the text is about, and answers with the most urgent level whose
criteria matched, and which criteria those were.
"""

from assistant.triage.engine import Assessment, Match, Question, TriageEngine

__all__ = ["Assessment", "Match", "Question", "TriageEngine"]
