"""IAM policy documents and their evaluation, as AWS documents them.

    from studio_mock.iam import load_policy, evaluate

    policy = load_policy({"Version": "2012-10-17", "Statement": [...]})
    result = evaluate(policy, "sagemaker:DeleteSpace", space_arn, {
        "sagemaker:OwnerUserProfileArn": owner_arn, "sagemaker:SpaceSharingType": "Private"})
    result.decision, result.sid, print(result.explain())

Identity-based policies only: no resource-based policies, permissions boundaries, SCPs
or session policies, none of which the Studio control plane needs.
"""

from .context import RequestContext
from .document import Policy, Statement
from .errors import PolicyError, PolicyWarning, Problem
from .evaluation import Decision, Evaluation, evaluate
from .shipped import POLICIES_DIR, STUDIO_USER_POLICY, load_policy, studio_user_policy

__all__ = [
    "POLICIES_DIR",
    "STUDIO_USER_POLICY",
    "Decision",
    "Evaluation",
    "Policy",
    "PolicyError",
    "PolicyWarning",
    "Problem",
    "RequestContext",
    "Statement",
    "evaluate",
    "load_policy",
    "studio_user_policy",
]
