"""Malformed and doubtful policies: what is wrong, said where and how to fix it.

Errors are what IAM refuses (its grammar and element pages); warnings are what IAM
accepts but its guide says does not do what it seems to.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from studio_mock.iam import PolicyError, load_policy

GOOD: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadSpaces",
            "Effect": "Allow",
            "Action": ["sagemaker:DescribeSpace", "sagemaker:ListSpaces"],
            "Resource": "*",
        }
    ],
}


def changed(*edits: tuple[str, Any]) -> dict[str, Any]:
    """GOOD with edits: ("Version", value) at the top, ("0.Effect", value) in a statement;
    a value of ... deletes the element."""
    document = copy.deepcopy(GOOD)
    for path, value in edits:
        target = document
        if path[0].isdigit():
            index, _, path = path.partition(".")
            target = document["Statement"][int(index)]
        if value is ...:
            target.pop(path, None)
        else:
            target[path] = value
    return document


def problems_of(document: Any) -> list[str]:
    with pytest.raises(PolicyError) as excinfo:
        load_policy(document)
    return [str(p) for p in excinfo.value.problems]


@pytest.mark.parametrize(
    "document, where, says",
    [
        (json.dumps([GOOD]), "", "a policy is a JSON object"),
        (changed(("Version", "2024-05-01")), "Version", "not today's date"),
        (changed(("Version", 2012)), "Version", "not a policy language version"),
        (changed(("Statement", ...)), "Statement", "at least one statement"),
        (changed(("Statement", [])), "Statement", "is empty"),
        (changed(("Statement", "Allow everything")), "Statement", "a statement object or a list"),
        (changed(("Statment", [])), "Statment", "Did you mean 'Statement'"),
        (changed(("Id", "x")), "Id", "leave it out"),
        (changed(("0.Effect", ...)), "Statement[1].Effect", 'says "Allow" or "Deny"'),
        (changed(("0.Effect", "allow")), "Statement[1].Effect", 'case-sensitive; write "Allow"'),
        (changed(("0.Effect", "Permit")), "Statement[1].Effect", 'must be "Allow" or "Deny"'),
        (
            changed(("0.NotAction", "sagemaker:DeleteSpace")),
            "Statement[1]",
            "both Action and NotAction",
        ),
        (changed(("0.Action", ...)), "Statement[1]", "needs Action (or NotAction)"),
        (
            changed(("0.Action", "DescribeSpace")),
            "Statement[1].Action",
            "Write it as sagemaker:DescribeSpace",
        ),
        (changed(("0.Action", [])), "Statement[1].Action", "or a list of them"),
        (changed(("0.Action", [{"sagemaker": "X"}])), "Statement[1].Action", "or a list of them"),
        (changed(("0.NotResource", "*")), "Statement[1]", "both Resource and NotResource"),
        (changed(("0.Resource", ...)), "Statement[1]", "needs Resource (or NotResource)"),
        (
            changed(("0.Resource", "space/d-1/lab")),
            "Statement[1].Resource",
            'must be "*" or an ARN',
        ),
        (
            changed(("0.Resource", "arn:aws:sagemaker:us-east-1:1")),
            "Statement[1].Resource",
            "an ARN",
        ),
        (
            changed(("0.Resource", "arn:aws:sage*:us-east-1:1:space/*")),
            "Statement[1].Resource",
            "service part",
        ),
        (changed(("0.Sid", "read spaces")), "Statement[1].Sid", "only the letters"),
        (changed(("0.Principal", {"AWS": "*"})), "Statement[1].Principal", "leave it out"),
        (changed(("0.Actions", "x")), "Statement[1].Actions", "Did you mean 'Action'"),
        (changed(("0.Condition", "x")), "Statement[1].Condition", "must be an object"),
        (
            changed(("0.Condition", {"StringEqual": {"aws:username": "a"}})),
            "Statement[1].Condition.StringEqual",
            "Did you mean 'StringEquals'",
        ),
        (
            changed(("0.Condition", {"stringequals": {"aws:username": "a"}})),
            "Statement[1].Condition.stringequals",
            "Did you mean 'StringEquals'",
        ),
        (
            changed(("0.Condition", {"ForEveryValue:StringEquals": {"aws:TagKeys": "a"}})),
            "Statement[1].Condition.ForEveryValue:StringEquals",
            "ForAnyValue: or ForAllValues:",
        ),
        (
            changed(("0.Condition", {"NullIfExists": {"aws:TagKeys": "true"}})),
            "Statement[1].Condition.NullIfExists",
            "takes no IfExists",
        ),
        (
            changed(("0.Condition", {"ForAllValues:Null": {"aws:TagKeys": "true"}})),
            "Statement[1].Condition.ForAllValues:Null",
            "no ForAnyValue/ForAllValues",
        ),
        (
            changed(("0.Condition", {"StringEquals": "a"})),
            "Statement[1].Condition.StringEquals",
            "must map context keys",
        ),
        (
            changed(("0.Condition", {"StringEquals": {"username": "a"}})),
            "StringEquals.username",
            "service:Name",
        ),
        (
            changed(("0.Condition", {"StringEquals": {"aws:username": []}})),
            "aws:username",
            "no values",
        ),
        (
            changed(("0.Condition", {"StringEquals": {"aws:username": {"a": 1}}})),
            "aws:username",
            "strings, numbers or booleans",
        ),
        (
            changed(("0.Condition", {"Null": {"aws:TagKeys": "yes"}})),
            "Null.aws:TagKeys",
            '"true" (key absent)',
        ),
        (
            changed(("0.Condition", {"Bool": {"aws:SecureTransport": "yes"}})),
            "Bool.aws:SecureTransport",
            '"true" or "false"',
        ),
        (
            changed(("0.Condition", {"NumericLessThan": {"s3:max-keys": "ten"}})),
            "s3:max-keys",
            "is not a number",
        ),
        (
            changed(("0.Condition", {"DateLessThan": {"aws:CurrentTime": "tomorrow"}})),
            "aws:CurrentTime",
            "is not a date",
        ),
        (
            changed(("0.Condition", {"IpAddress": {"aws:SourceIp": "300.1.1.1"}})),
            "aws:SourceIp",
            "IP address or CIDR",
        ),
        (changed(("0.Condition", {"BinaryEquals": {"k:b": "not base64!"}})), "k:b", "base-64"),
    ],
)
def test_malformed_policies_say_where_and_what(document, where, says):
    found = problems_of(document)
    assert any(where in p and says in p for p in found), found


def test_every_problem_is_reported_at_once():
    document = {
        "Version": "2012-10-17",
        "Id": "mine",
        "Statement": [
            {"Sid": "A", "Effect": "allow", "Action": "CreateSpace", "Resource": "*"},
            {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:*"},
        ],
    }
    found = problems_of(document)
    assert len(found) == 5, found  # Id, Effect, Action, duplicate Sid, missing Resource
    assert any("Statement[2].Sid" in p and "also the Sid of statement 1" in p for p in found)


def test_json_text_errors_give_line_and_column():
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
    text += '    {"Effect": "Allow" "Action": "s3:*"}\n  ]\n}'
    found = problems_of(text)
    assert found == ["not valid JSON: Expecting ',' delimiter at line 4, column 24"]


def test_an_element_twice_in_one_object_is_refused():
    text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Effect": "Deny", '
    text += '"Action": "s3:*", "Resource": "*"}}'
    assert problems_of(text) == ["the element 'Effect' appears twice in one object"]


def test_policies_come_from_dicts_json_text_and_files(tmp_path: Path):
    path = tmp_path / "read.json"
    path.write_text(json.dumps(GOOD))
    for source in (GOOD, json.dumps(GOOD), str(path), path):
        policy = load_policy(source)
        assert [s.sid for s in policy.statements] == ["ReadSpaces"]
        assert policy.warnings == ()
    with pytest.raises(FileNotFoundError, match="dict or as JSON text"):
        load_policy(str(tmp_path / "missing.json"))
    with pytest.raises(TypeError):
        load_policy(42)  # type: ignore[arg-type]


def test_loading_does_not_keep_a_reference_to_the_callers_dict():
    document = copy.deepcopy(GOOD)
    policy = load_policy(document)
    document["Statement"][0]["Effect"] = "Deny"
    assert policy.statements[0].effect == "Allow"
    assert policy.document["Statement"][0]["Effect"] == "Allow"
    copy_to_edit = policy.document  # a copy: shared (cached) policies stay as loaded
    copy_to_edit["Statement"][0]["Effect"] = "Deny"
    assert policy.document["Statement"][0]["Effect"] == "Allow"


def warnings_of(document: Any) -> list[str]:
    return [str(w) for w in load_policy(document).warnings]


@pytest.mark.parametrize(
    "document, where, says",
    [
        (
            changed(("Version", ...)),
            "Version",
            "policy variables such as ${aws:username} are plain text",
        ),
        (changed(("Version", "2008-10-17")), "Version", "old policy language"),
        (
            changed(("0.Action", "sagemaker:DescribeSpaces")),
            "Statement[1].Action",
            "Did you mean 'DescribeSpace'",
        ),
        (
            changed(("0.Resource", "arn:aws:sagemaker:{{Region}}:{{AccountId}}:space/*")),
            "Statement[1].Resource",
            "documentation placeholder {{Region}}",
        ),
        (
            changed(("0.Resource", "arn:aws:sagemaker:${aws:RequestedRegion}:1:space/*")),
            "Statement[1].Resource",
            "only in the resource part",
        ),
        (
            changed(
                (
                    "0.Condition",
                    {"ForAnyValue:StringEquals": {"sagemaker:SpaceSharingType": "Private"}},
                )
            ),
            "sagemaker:SpaceSharingType",
            "overly permissive",
        ),
        (
            changed(("0.Condition", {"StringLike": {"aws:TagKeys": "team*"}})),
            "aws:TagKeys",
            "ForAllValues:StringLike",
        ),
        (
            changed(("0.Condition", {"ArnLike": {"sagemaker:OwnerUserProfileArn": "*"}})),
            "ArnLike.sagemaker:OwnerUserProfileArn",
            "never matches",
        ),
        (
            changed(("0.Condition", {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}})),
            "sagemaker:SpaceSharingType",
            "always sees the key as missing",
        ),
    ],
)
def test_doubtful_policies_are_valid_with_a_warning(document, where, says):
    found = warnings_of(document)
    assert any(where in w and says in w for w in found), found


def test_keys_the_actions_do_carry_give_no_warning():
    fine = changed(
        ("0.Action", ["sagemaker:CreateSpace", "sagemaker:DeleteSpace"]),
        ("0.Condition", {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}}),
    )
    assert warnings_of(fine) == []
    wildcard = changed(
        ("0.Action", "sagemaker:Describe*"),
        ("0.Condition", {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}}),
    )
    assert warnings_of(wildcard) == []  # a wildcard may cover actions that carry it


def test_a_policy_error_also_lists_the_warnings():
    document = changed(("Version", ...), ("0.Effect", "Alow"))
    with pytest.raises(PolicyError) as excinfo:
        load_policy(document)
    text = str(excinfo.value)
    assert "Statement[1].Effect" in text and "Also worth fixing" in text and "Version" in text
