"""What is wrong with a policy document, said so that a learner can fix it.

A ``PolicyError`` is something IAM itself would refuse (``MalformedPolicyDocument``).
A ``PolicyWarning`` is something IAM accepts but its documentation tells you not to do,
because the policy will not mean what it seems to (a missing ``Version``, a set
operator on a single-valued key, a placeholder copied from a documentation page).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding: where in the document (``Statement[2].Condition``) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class PolicyError(ValueError):
    """The document is not a valid identity-based policy; ``problems`` lists why."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        noun = "problem" if len(self.problems) == 1 else "problems"
        text = f"The policy is not valid ({len(self.problems)} {noun}):"
        text += "".join(f"\n  - {p}" for p in self.problems)
        if self.warnings:
            text += "\nAlso worth fixing:" + "".join(f"\n  - {w}" for w in self.warnings)
        super().__init__(text)


class PolicyWarning(UserWarning):
    """Valid for IAM, but probably not what the author meant."""
