"""Reading a policy document: IAM's grammar, checked, into statements ready to evaluate.

Rules from the IAM User Guide ("Grammar of the IAM JSON policy language" and the
"IAM JSON policy elements" pages): ``Version`` is 2012-10-17 or 2008-10-17 (without it,
or with the old one, policy variables are plain text); ``Effect`` is ``Allow`` or
``Deny``, case-sensitive; a statement has ``Action`` or ``NotAction`` and ``Resource``
or ``NotResource``, never both; ``Sid`` is letters and digits, unique in the policy;
``Principal`` and ``Id`` do not belong in an identity-based policy; an element may not
appear twice.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from . import sagemaker
from .conditions import OPERATORS, QUALIFIERS, Condition, parse_operator, prepare_value
from .context import RequestContext
from .errors import PolicyError, Problem
from .patterns import Template, actions_regex, parse_template, resource_regex

CURRENT_VERSION = "2012-10-17"
VERSIONS = (CURRENT_VERSION, "2008-10-17")
POLICY_ELEMENTS = ("Version", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
_SID = re.compile(r"^[A-Za-z0-9]*$")
_ACTION = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$")
_KEY = re.compile(r"^[A-Za-z0-9-]+:\S+$")
_PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")
_ANY = parse_template("*", variables=False)


@dataclass(frozen=True)
class Statement:
    """One statement, compiled. ``number`` counts from 1, as people read a policy."""

    number: int
    sid: str | None
    effect: str
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[Template, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]
    source: dict[str, Any] = field(compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.sid or f"statement {self.number} (no Sid)"

    def action_matches(self, action: str) -> bool:
        hit = actions_regex(self.actions).fullmatch(action) is not None
        return hit != self.not_action

    def resource_matches(self, resource: str, context: RequestContext) -> bool:
        hit = False
        for template in self.resources:
            chunks = template.resolve(context)
            if chunks is not None and resource_regex(chunks).fullmatch(resource):
                hit = True
                break
        return hit != self.not_resource

    def applies(self, action: str, resource: str, context: RequestContext) -> bool:
        return (
            self.action_matches(action)
            and self.resource_matches(resource, context)
            and all(c.holds(context) for c in self.conditions)
        )

    def trace(self, action: str, resource: str, context: RequestContext) -> tuple[bool, str]:
        """Whether the statement applies and, in words, the first reason it does not."""
        element = "NotAction" if self.not_action else "Action"
        if not self.action_matches(action):
            return False, f"{element} {list(self.actions)} does not cover {action}"
        element = "NotResource" if self.not_resource else "Resource"
        if not self.resource_matches(resource, context):
            return (
                False,
                f"{element} {[t.source for t in self.resources]} does not cover {resource}",
            )
        reasons = []
        for condition in self.conditions:
            holds, why = condition.check(context)
            if not holds:
                return False, f"condition {condition} is false: {why}"
            reasons.append(f"{condition} holds: {why}")
        return True, "; ".join([f"{element} covers the request", *reasons])


@dataclass(frozen=True)
class Policy:
    """A valid identity-based policy. ``warnings`` lists what IAM accepts but the author
    probably did not mean."""

    source: dict[str, Any] = field(compare=False, repr=False)
    version: str | None
    statements: tuple[Statement, ...]
    warnings: tuple[Problem, ...] = ()
    name: str = "inline policy"

    @property
    def document(self) -> dict[str, Any]:
        """The policy as written: a copy, to change and load again (policies are shared)."""
        return copy.deepcopy(self.source)

    def to_json(self) -> str:
        return json.dumps(self.source, indent=2)


# ---------------------------------------------------------------------------- parsing
def parse_policy(document: Any, name: str = "inline policy") -> Policy:
    """Check a policy (already decoded from JSON) and compile it; PolicyError if invalid."""
    checker = _Checker()
    policy = checker.policy(document, name)
    if checker.errors:
        raise PolicyError(checker.errors, checker.warnings)
    assert policy is not None
    return policy


def decode_json(text: str) -> Any:
    """JSON text to Python, refusing repeated keys (IAM: "Individual elements must not
    contain multiple instances of the same key")."""

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise PolicyError([Problem("", f"the element {key!r} appears twice in one object")])
            seen[key] = value
        return seen

    try:
        return json.loads(text, object_pairs_hook=no_repeats)
    except json.JSONDecodeError as err:
        raise PolicyError(
            [Problem("", f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}")]
        ) from None


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" Did you mean {close[0]!r}?" if close else ""


def _strings(value: Any) -> list[str] | None:
    """A string or a non-empty list of strings (IAM's ``[<x>, ...]`` or ``<x>``)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


class _Checker:
    """Walks a document once, collecting every problem rather than stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.variables = True

    def error(self, where: str, message: str) -> None:
        self.errors.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message))

    def policy(self, document: Any, name: str) -> Policy | None:
        if not isinstance(document, dict):
            self.error(
                "",
                'a policy is a JSON object: {"Version": "2012-10-17", "Statement": [...]}',
            )
            return None
        for key in document:
            if key == "Id":
                self.error("Id", "Id is for resource-based policies; leave it out here.")
            elif key not in POLICY_ELEMENTS:
                self.error(key, f"unknown element.{_suggest(key, POLICY_ELEMENTS)}")
        version = self.version(document)
        statements = self.statements(document.get("Statement"))
        return Policy(
            copy.deepcopy(document),
            version,
            tuple(statements),
            tuple(self.warnings),
            name,
        )

    def version(self, document: dict[str, Any]) -> str | None:
        version = document.get("Version")
        if version is None:
            self.variables = False
            self.warn(
                "Version",
                "missing: IAM then reads the policy as the 2008-10-17 language, where "
                'policy variables such as ${aws:username} are plain text. Add "Version": '
                '"2012-10-17".',
            )
        elif version == "2008-10-17":
            self.variables = False
            self.warn(
                "Version",
                '"2008-10-17" is the old policy language: policy variables are plain text '
                'in it. Use "2012-10-17".',
            )
        elif version not in VERSIONS:
            self.error(
                "Version",
                f'{version!r} is not a policy language version. Write "2012-10-17": it '
                "names the language, it is not today's date.",
            )
        return version if version in VERSIONS else None

    def statements(self, block: Any) -> list[Statement]:
        if block is None:
            self.error("Statement", "missing: a policy needs at least one statement.")
            return []
        items = [block] if isinstance(block, dict) else block
        if not isinstance(items, list):
            self.error("Statement", "must be a statement object or a list of them.")
            return []
        if not items:
            self.error("Statement", "is empty: add at least one statement.")
        out = []
        sids: dict[str, int] = {}
        for number, item in enumerate(items, 1):
            where = f"Statement[{number}]"
            statement = self.statement(item, number, where)
            sid = item.get("Sid") if isinstance(item, dict) else None
            if isinstance(sid, str) and sid:
                if sid in sids:
                    self.error(
                        f"{where}.Sid",
                        f"{sid!r} is also the Sid of statement {sids[sid]}; "
                        "Sids must be unique within a policy.",
                    )
                sids.setdefault(sid, number)
            if statement is not None:
                out.append(statement)
        return out

    def statement(self, item: Any, number: int, where: str) -> Statement | None:
        if not isinstance(item, dict):
            self.error(where, "a statement is a JSON object with Effect, Action and Resource.")
            return None
        for key in item:
            if key in ("Principal", "NotPrincipal"):
                self.error(
                    f"{where}.{key}",
                    f"{key} belongs in resource-based and trust policies. An identity-based "
                    "policy applies to whoever it is attached to: leave it out.",
                )
            elif key not in STATEMENT_ELEMENTS:
                self.error(f"{where}.{key}", f"unknown element.{_suggest(key, STATEMENT_ELEMENTS)}")
        errors_before = len(self.errors)
        sid = self.sid(item.get("Sid"), where)
        effect = self.effect(item.get("Effect"), where)
        actions, not_action = self.actions(item, where)
        resources, not_resource = self.resources(item, where)
        conditions = self.conditions(item.get("Condition"), where, actions, not_action)
        if len(self.errors) > errors_before:
            return None
        return Statement(
            number,
            sid,
            effect,
            tuple(actions),
            not_action,
            tuple(resources),
            not_resource,
            tuple(conditions),
            item,
        )

    def sid(self, sid: Any, where: str) -> str | None:
        if sid is None:
            return None
        if not isinstance(sid, str) or not _SID.match(sid):
            self.error(
                f"{where}.Sid",
                f"{sid!r}: a Sid may contain only the letters A-Z, a-z and the digits 0-9.",
            )
            return None
        return sid or None

    def effect(self, effect: Any, where: str) -> str:
        if effect in ("Allow", "Deny"):
            return effect
        if effect is None:
            self.error(f"{where}.Effect", 'missing: every statement says "Allow" or "Deny".')
        elif isinstance(effect, str) and effect.lower() in ("allow", "deny"):
            self.error(
                f"{where}.Effect",
                f'{effect!r}: the value is case-sensitive; write "{effect.capitalize()}".',
            )
        else:
            self.error(f"{where}.Effect", f'{effect!r}: must be "Allow" or "Deny".')
        return "Deny"

    def _pair(self, item: dict[str, Any], where: str, name: str) -> tuple[Any, bool]:
        has, has_not = name in item, f"Not{name}" in item
        if has and has_not:
            self.error(where, f"has both {name} and Not{name}: use one of them.")
        elif not has and not has_not:
            self.error(where, f"needs {name} (or Not{name}).")
        return (item.get(f"Not{name}"), True) if has_not and not has else (item.get(name), False)

    def actions(self, item: dict[str, Any], where: str) -> tuple[list[str], bool]:
        value, negated = self._pair(item, where, "Action")
        where = f"{where}.{'NotAction' if negated else 'Action'}"
        if value is None:
            return [], negated
        names = _strings(value)
        if names is None:
            self.error(where, 'must be an action ("sagemaker:CreateSpace") or a list of them.')
            return [], negated
        for name in names:
            if name == "*":
                continue
            if not _ACTION.match(name):
                hint = f" Write it as sagemaker:{name}." if ":" not in name else ""
                self.error(
                    where,
                    f"{name!r} is not an action: an action is service:Name, such as "
                    f"sagemaker:DescribeSpace, with * or ? as wildcards.{hint}",
                )
                continue
            service, _, action = name.partition(":")
            if service.lower() == "sagemaker" and "*" not in action and "?" not in action:
                known = list(sagemaker.ACTIONS)
                if action.lower() not in {a.lower() for a in known}:
                    guess = _suggest(action, known)
                    if guess:
                        self.warn(where, f"{name!r} is not a SageMaker action.{guess}")
        return names, negated

    def resources(self, item: dict[str, Any], where: str) -> tuple[list[Template], bool]:
        value, negated = self._pair(item, where, "Resource")
        where = f"{where}.{'NotResource' if negated else 'Resource'}"
        if value is None:
            return [], negated
        texts = _strings(value)
        if texts is None:
            self.error(where, 'must be an ARN or "*", or a list of them.')
            return [], negated
        out = []
        for text in texts:
            template = self.resource(text, where)
            if template is not None:
                out.append(template)
        return out, negated

    def resource(self, text: str, where: str) -> Template | None:
        if text == "*":
            return _ANY
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn":
            self.error(
                where,
                f'{text!r} must be "*" or an ARN: arn:aws:sagemaker:REGION:ACCOUNT:RESOURCE, '
                "for example arn:aws:sagemaker:us-east-1:111122223333:space/d-abc123/*.",
            )
            return None
        if "*" in parts[2] or "?" in parts[2]:
            self.error(where, f"{text!r}: the service part of an ARN cannot hold wildcards.")
            return None
        if placeholder := _PLACEHOLDER.search(text):
            self.warn(
                where,
                f"{text!r} still has the documentation placeholder {placeholder.group(0)}: "
                "replace it with your value (or * for any).",
            )
        prefix = ":".join(parts[:5]) + ":"
        if "${" in prefix and self.variables:
            self.warn(
                where,
                f"{text!r}: policy variables work only in the resource part of an ARN "
                "(after the fifth colon); here they are plain text.",
            )
        rest = parse_template(parts[5], self.variables)
        return Template(text, (("text", prefix), *rest.parts), rest.has_variables)

    def conditions(
        self, block: Any, where: str, actions: list[str], not_action: bool
    ) -> list[Condition]:
        if block is None:
            return []
        where = f"{where}.Condition"
        if not isinstance(block, dict) or not block:
            self.error(where, 'must be an object: {"StringEquals": {"key": "value"}}.')
            return []
        out = []
        for name, tests in block.items():
            here = f"{where}.{name}"
            operator = parse_operator(name)
            if operator is None:
                self.error(here, self._unknown_operator(name))
                continue
            if operator.base == "Null" and (operator.if_exists or operator.qualifier):
                self.error(
                    here,
                    "Null tests whether a key is present; it takes no IfExists "
                    "and no ForAnyValue/ForAllValues.",
                )
                continue
            if not isinstance(tests, dict) or not tests:
                self.error(
                    here, f'must map context keys to values: {{"{name}": {{"key": "value"}}}}.'
                )
                continue
            for key, raw in tests.items():
                condition = self.condition(operator, key, raw, f"{here}.{key}")
                if condition is not None:
                    out.append(condition)
                    self.key_warnings(condition, f"{here}.{key}", actions, not_action)
        return out

    def _unknown_operator(self, name: str) -> str:
        qualifier, _, base = name.rpartition(":")
        if qualifier and qualifier not in QUALIFIERS:
            return (
                f"{qualifier!r} is not a set operator: use ForAnyValue: or ForAllValues:."
                f"{_suggest(qualifier, QUALIFIERS)}"
            )
        choices = list(OPERATORS) + [f"{o}IfExists" for o in OPERATORS if o != "Null"]
        return f"unknown condition operator {base!r}.{_suggest(base, choices)}"

    def condition(self, operator: Any, key: Any, raw: Any, where: str) -> Condition | None:
        if not _KEY.match(key):
            self.error(where, f"{key!r} is not a context key: keys look like service:Name.")
            return None
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            self.error(where, "gives no values: the condition could never hold.")
            return None
        values, texts = [], []
        family = operator.family
        for item in items:
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, int | float):
                item = str(item)
            if not isinstance(item, str):
                self.error(where, f"{item!r}: condition values are strings, numbers or booleans.")
                return None
            try:
                value = prepare_value(family, item, self.variables)
            except (ValueError, TypeError):
                self.error(where, f"{item!r} is not {family.what}.")
                return None
            if (
                family.name == "Bool"
                and not value.has_variables
                and item.lower()
                not in (
                    "true",
                    "false",
                )
            ):
                self.error(where, f'{item!r}: Bool compares with "true" or "false".')
                return None
            values.append(value)
            texts.append(item)
        return Condition(operator, key, tuple(values), tuple(texts))

    def key_warnings(
        self, condition: Condition, where: str, actions: list[str], not_action: bool
    ) -> None:
        op, key = condition.operator, condition.key.lower()
        if op.qualifier and sagemaker.is_single_valued(key):
            self.warn(
                where,
                f"{op.qualifier} with {condition.key}, a single-valued key: AWS advises "
                "against set operators on single-valued keys, which can be overly "
                f"permissive. Use {op.base} without {op.qualifier}:.",
            )
        if not op.qualifier and op.base != "Null" and key in sagemaker.MULTIVALUED_KEYS:
            self.warn(
                where,
                f"{condition.key} can hold several values: AWS requires ForAnyValue: or "
                f"ForAllValues: with it (write ForAllValues:{op.name} or ForAnyValue:{op.name}).",
            )
        if op.family.name == "ARN":
            for text in condition.raw_values:
                if "${" not in text and len(text.split(":", 5)) != 6:
                    self.warn(
                        where,
                        f"{text!r} is not an ARN: {op.name} compares the six parts of an ARN "
                        "one by one, so it never matches. Use StringLike for other patterns.",
                    )
        named = [a.split(":", 1)[1] for a in actions if a.lower().startswith("sagemaker:")]
        if not_action or not named or len(named) != len(actions):
            return
        if any("*" in a or "?" in a for a in named):
            return
        support = [sagemaker.supports_key(a, key) for a in named]
        if support and all(s is False for s in support):
            self.warn(
                where,
                f"no request for {', '.join('sagemaker:' + a for a in named)} carries "
                f"{condition.key} (Service Authorization Reference), so this condition "
                "always sees the key as missing.",
            )
