"""What an unanswered exercise says, in plain words instead of a traceback.

The release (autograder/exercise_stubs.py) leaves in each exercise's cell a stub that
raises ``NotAnswered("Exercise N", ...)``. Run as it is released, a lab then says, at each
exercise, "Exercise N is not answered yet: write your answer in this cell, then run it.",
and a check that calls a function still left as a stub says "Exercise N is not answered
yet" too. The stub names what the answer defines and later cells use; a check that meets
one of those names undefined says the same instead of a ``NameError`` traceback. Any
other error (a wrong answer's) is shown as IPython always shows it.

These are still errors: the kernel replies ``error``, so a check scores 0 as before.
"""

from __future__ import annotations

import sys

RED, BOLD, RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"

# name an exercise's answer defines -> that exercise's label, from the stubs that ran
_DEFINED_BY: dict[str, str] = {}


class NotAnswered(NotImplementedError):
    """Raised by the stub the release leaves where an exercise's answer goes."""

    def __init__(self, exercise: str, *defines: str) -> None:
        self.exercise = exercise
        for name in defines:
            _DEFINED_BY[name] = exercise
        # raised by the cell itself, or by a function left as a stub (called from a check)
        caller = sys._getframe(1).f_code.co_name
        if caller == "<module>":
            message = (
                f"{exercise} is not answered yet: write your answer in this cell, then run it."
            )
        else:
            message = (
                f"{exercise} is not answered yet: {caller}() is still the stub. Write its "
                "body in the exercise's cell, run that cell, then run this one again."
            )
        super().__init__(message)

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of the traceback (an error all the same)
        head, _, rest = str(self).partition(": ")
        return [f"{RED}{BOLD}{head}{RESET}: {rest}"]


def _plain_name_error(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for NameError: plain when an unanswered exercise defines it."""
    exercise = _DEFINED_BY.get(getattr(value, "name", None) or "")
    if exercise is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    else:
        line = (
            f"{RED}{BOLD}{exercise} is not answered yet{RESET}: this cell needs "
            f"`{value.name}`, which its answer defines. Answer {exercise}, run its cell, "
            "then run this one again."
        )
        shell._showtraceback(etype, value, [line])  # an error output, as a traceback is


def install() -> bool:
    """Show unanswered exercises plainly in this IPython kernel; False outside IPython."""
    if "IPython" not in sys.modules:  # a plain interpreter: nothing to install
        return False
    shell = sys.modules["IPython"].get_ipython()
    if shell is None:
        return False
    if NameError not in shell.custom_exceptions:
        shell.set_custom_exc((NameError,), _plain_name_error)
    return True
