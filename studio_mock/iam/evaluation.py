"""Deciding a request with identity-based policies, as IAM's "Policy evaluation logic".

Every statement of every policy is checked against the request: an applicable ``Deny``
decides (explicit deny); otherwise an applicable ``Allow`` decides; otherwise nothing
allows the request (implicit deny). The result says which statement decided, so a
learner can see *why*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .context import RequestContext
from .document import Policy, Statement


class Decision(StrEnum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class Evaluation:
    """The decision on one request, and the statement that made it (None for an
    implicit deny: no statement decided, which is the point)."""

    decision: Decision
    action: str
    resource: str
    statement: Statement | None
    policy: Policy | None
    policies: tuple[Policy, ...] = field(repr=False)
    context: RequestContext = field(repr=False)

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW

    @property
    def sid(self) -> str | None:
        return self.statement.sid if self.statement else None

    def explain(self) -> str:
        """The decision, then every statement and why it did or did not apply."""
        lines = [f"{self.action} on {self.resource}: {self.summary()}"]
        for policy in self.policies:
            for statement in policy.statements:
                applies, why = statement.trace(self.action, self.resource, self.context)
                mark = f"applies ({statement.effect})" if applies else "does not apply"
                lines.append(f"  - {statement.label}: {mark}: {why}")
        return "\n".join(lines)

    def summary(self) -> str:
        if self.decision is Decision.EXPLICIT_DENY:
            return f"explicitly denied by {self._where()}"
        if self.decision is Decision.ALLOW:
            return f"allowed by {self._where()}"
        return "implicitly denied: no statement allows it"

    def _where(self) -> str:
        assert self.statement is not None and self.policy is not None
        return f"{self.statement.label} of the {self.policy.name}"


def evaluate(
    policies: Policy | Iterable[Policy],
    action: str,
    resource: str,
    context: Mapping[str, Any] | RequestContext | None = None,
) -> Evaluation:
    """Decide ``action`` (``sagemaker:CreateSpace``) on ``resource`` (an ARN or "*")."""
    chosen = (policies,) if isinstance(policies, Policy) else tuple(policies)
    request = context if isinstance(context, RequestContext) else RequestContext(context)
    allow: tuple[Statement, Policy] | None = None
    for policy in chosen:
        for statement in policy.statements:
            if statement.effect == "Allow" and allow is not None:
                continue  # an allow is already found; only a deny can change the decision
            if not statement.applies(action, resource, request):
                continue
            if statement.effect == "Deny":
                return Evaluation(
                    Decision.EXPLICIT_DENY, action, resource, statement, policy, chosen, request
                )
            allow = (statement, policy)
    if allow is not None:
        return Evaluation(Decision.ALLOW, action, resource, *allow, chosen, request)
    return Evaluation(Decision.IMPLICIT_DENY, action, resource, None, None, chosen, request)
