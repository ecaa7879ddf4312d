"""The instructor's side of the course: releasing labs and grading them with nbgrader."""
