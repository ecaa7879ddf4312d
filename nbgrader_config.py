"""nbgrader's configuration for the course: labs, JupyterLab's Validate button, grading.

solutions/ is nbgrader's source and labs/ its release; grading steps live under
_grading/ (git-ignored). The autograder loads this same file.
"""

import os

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "sagemaker-studio-offline"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.submitted_directory = os.path.join("_grading", "submitted")
c.CourseDirectory.autograded_directory = os.path.join("_grading", "autograded")
c.CourseDirectory.feedback_directory = os.path.join("_grading", "feedback")
c.CourseDirectory.solution_directory = os.path.join("_grading", "solution")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "_grading", "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# What learners see in place of a solution, and in place of a hidden test. The release
# writes a stub per exercise that says which one is unanswered, and tags exercises and
# checks so that Run All goes past them (autograder/exercise_stubs.py); this stub is for a
# solution cell with no heading above it.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nfrom labkit import NotAnswered\nraise NotAnswered('This exercise')"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.GenerateAssignment.preprocessors = [
    "autograder.exercise_stubs.ClearSolutionsPerExercise" if step is ClearSolutions else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
]

# A cell that runs longer than this is stopped (an infinite loop must not stall grading).
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
