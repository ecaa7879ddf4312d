"""The red-team class: submissions that attack the grader (see build.py)."""
