"""The assistant: the Rasa project (config, domain, data, actions) and its plain-Python triage engine."""
