"""The instructor's side of the course: releasing labs and grading them with nbgrader."""

import sys

# jsonschema (which nbformat loads) imports rfc3987_syntax, when installed (an extra of
# jupyter-events), to check the "iri" string format, and that compiles 38 grammars as it
# loads: about 1.4 s of CPU in every process that reads a notebook, three or more a
# grading run. No schema the grader validates uses the format, so its processes go
# without it (jsonschema then leaves "iri" unchecked, as it does when the package is
# absent).
sys.modules.setdefault("rfc3987_syntax", None)
