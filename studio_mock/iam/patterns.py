"""Strings in a policy: policy variables, wildcards and ARNs.

A policy string is parsed once into a ``Template``. At evaluation its variables are
replaced by request values, giving *chunks*: ``(text, wild)`` pairs where ``wild`` says
whether ``*`` and ``?`` in the text are wildcards (text written in the policy) or plain
characters (a substituted value, or the escapes ``${*}``, ``${?}``, ``${$}``).
Regular expressions are built from chunks and cached, so a policy is compiled once per
distinct value, not once per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .context import RequestContext

Chunks = tuple[tuple[str, bool], ...]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# ${key} or ${key, 'default'} (IAM's "Specifying default values")
_VARIABLE_BODY = re.compile(r"^\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?$")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True)
class Template:
    """A policy string, with or without policy variables."""

    source: str
    parts: tuple[tuple[str, ...], ...]  # ("text", s) | ("char", c) | ("var", key, default)
    has_variables: bool
    static: Chunks = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # without variables, every request gets the same chunks: work them out once
        chunks = tuple((p[1], p[0] == "text") for p in self.parts if p[0] != "var")
        object.__setattr__(self, "static", chunks)

    def resolve(self, context: RequestContext) -> Chunks | None:
        """The chunks for this request, or None when a variable has no value (and no
        default): then the string matches nothing (IAM: "Policy variables with no value")."""
        if not self.has_variables:
            return self.static
        out: list[tuple[str, bool]] = []
        for part in self.parts:
            if part[0] == "var":
                value = context.single(part[1])
                if value is None:
                    value = part[2] if len(part) > 2 else None
                if value is None:
                    return None
                out.append((value, False))
            else:
                out.append((part[1], part[0] == "text"))
        return tuple(out)

    def variable_names(self) -> list[str]:
        return [p[1] for p in self.parts if p[0] == "var"]


def parse_template(text: str, variables: bool = True) -> Template:
    """``variables=False`` for the 2008-10-17 language, where ``${...}`` is plain text."""
    if not variables or "${" not in text:
        return Template(text, (("text", text),), False)
    parts: list[tuple[str, ...]] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        if found.start() > position:
            parts.append(("text", text[position : found.start()]))
        body = found.group(1)
        if body in _ESCAPES:
            parts.append(("char", _ESCAPES[body]))
        elif (named := _VARIABLE_BODY.match(body)) is not None:
            key, default = named.group(1), named.group(2)
            parts.append(("var", key) if default is None else ("var", key, default))
        else:
            parts.append(("text", found.group(0)))  # not a variable: IAM reads it as text
        position = found.end()
    if position < len(text):
        parts.append(("text", text[position:]))
    return Template(text, tuple(parts), any(p[0] == "var" for p in parts))


def plain(chunks: Chunks) -> str:
    """The string itself, for operators without wildcards (StringEquals, Bool...)."""
    return "".join(text for text, _ in chunks)


def _characters(chunks: Chunks) -> list[tuple[str, bool]]:
    return [(c, wild) for text, wild in chunks for c in text]


def _glob(characters: list[tuple[str, bool]]) -> str:
    out = []
    for c, wild in characters:
        if wild and c == "*":
            out.append(".*")
        elif wild and c == "?":
            out.append(".")
        else:
            out.append(re.escape(c))
    return "".join(out)


@lru_cache(maxsize=4096)
def like_regex(chunks: Chunks) -> re.Pattern[str]:
    """StringLike: ``*`` and ``?`` anywhere, across ``:`` and ``/`` alike; case-sensitive."""
    return re.compile(_glob(_characters(chunks)), re.DOTALL)


def _segments(characters: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """Split at the first five colons: an ARN's six components."""
    segments: list[list[tuple[str, bool]]] = [[]]
    for c, wild in characters:
        if c == ":" and len(segments) < 6:
            segments.append([])
        else:
            segments[-1].append((c, wild))
    return segments


@lru_cache(maxsize=4096)
def arn_regexes(chunks: Chunks) -> tuple[re.Pattern[str], ...] | None:
    """ArnLike/ArnEquals: "each of the six colon-delimited components of the ARN is
    checked separately". None when the policy value is not a six-component ARN."""
    segments = _segments(_characters(chunks))
    if len(segments) != 6:
        return None
    return tuple(re.compile(_glob(s), re.DOTALL) for s in segments)


def arn_matches(chunks: Chunks, value: str) -> bool:
    regexes = arn_regexes(chunks)
    parts = value.split(":", 5)
    if regexes is None or len(parts) != 6:
        return False
    return all(r.fullmatch(p) for r, p in zip(regexes, parts, strict=True))


@lru_cache(maxsize=4096)
def resource_regex(chunks: Chunks) -> re.Pattern[str]:
    """The Resource element: wildcards stay within an ARN segment, except that a ``*``
    ending one of the first five segments may run past colons (IAM's "Using wildcards
    in resource ARNs"); in the resource segment ``*`` matches anything, ``/`` included."""
    characters = _characters(chunks)
    out = []
    segment = 0
    for i, (c, wild) in enumerate(characters):
        last_of_segment = i + 1 == len(characters) or characters[i + 1][0] == ":"
        if c == ":" and segment < 5:
            segment += 1
            out.append(":")
        elif wild and c == "*":
            out.append(".*" if segment == 5 or last_of_segment else "[^:]*")
        elif wild and c == "?":
            out.append("." if segment == 5 else "[^:]")
        else:
            out.append(re.escape(c))
    return re.compile("".join(out), re.DOTALL)


@lru_cache(maxsize=1024)
def actions_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """Action names: ``service:Name`` with wildcards, compared case-insensitively; one
    regular expression for a statement's whole list."""
    alternatives = "|".join(_glob([(c, True) for c in p]) for p in patterns)
    return re.compile(f"(?:{alternatives})", re.IGNORECASE | re.DOTALL)
