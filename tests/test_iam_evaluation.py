"""The policy engine against the examples in AWS's IAM User Guide.

Each table row is a request (action, resource, context) and the decision the guide
gives for it. Pages: "Policy evaluation logic", "IAM JSON policy elements" (Action,
NotAction, Resource, NotResource, Condition, Condition operators), "Creating a condition
with multiple keys or values", "Single-valued/Multivalued context key policy examples",
"IAM policy elements: Variables and tags".
"""

from __future__ import annotations

from typing import Any

import pytest

from studio_mock.iam import Decision, evaluate, load_policy

ALLOW, DENY, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> Any:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version:
        document["Version"] = version
    return load_policy(document)


def allow(action: Any, resource: Any = "*", condition: Any = None, **extra: Any) -> dict:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource, **extra}
    if condition:
        statement["Condition"] = condition
    return statement


def deny(action: Any, resource: Any = "*", condition: Any = None, **extra: Any) -> dict:
    return {**allow(action, resource, condition, **extra), "Effect": "Deny"}


def decision(p: Any, action: str, resource: str = "*", context: Any = None) -> Decision:
    return evaluate(p, action, resource, context).decision


# ------------------------------------------------------------ evaluation logic
CARLOS = policy(
    {
        "Sid": "AllowS3ListRead",
        "Effect": "Allow",
        "Action": [
            "s3:GetBucketLocation",
            "s3:GetAccountPublicAccessBlock",
            "s3:ListAccessPoints",
            "s3:ListAllMyBuckets",
        ],
        "Resource": "arn:aws:s3:::*",
    },
    {
        "Sid": "AllowS3Self",
        "Effect": "Allow",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"],
    },
    {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"},
)


@pytest.mark.parametrize(
    "action, resource, expected, sid",
    [
        # "AWS first checks for a Deny statement ... Carlos is denied access."
        ("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/file.txt", DENY, "DenyS3Logs"),
        # "... tries to save the file to the carlossalazar bucket ... allows the request"
        ("s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt", ALLOW, "AllowS3Self"),
        ("s3:GetBucketLocation", "arn:aws:s3:::someone-else", ALLOW, "AllowS3ListRead"),
        # a deny wins over an allow for the same request: the list-read allow covers it
        ("s3:GetBucketLocation", "arn:aws:s3:::audit-logs", DENY, "DenyS3Logs"),
        ("s3:DeleteBucket", "arn:aws:s3:::someone-else", IMPLICIT, None),
    ],
)
def test_carlos_example(action, resource, expected, sid):
    result = evaluate(CARLOS, action, resource)
    assert (result.decision, result.sid) == (expected, sid)


GET_LIST_DENY_REPORTS = policy(
    {
        "Sid": "AllowGetList",
        "Effect": "Allow",
        "Action": ["iam:Get*", "iam:List*"],
        "Resource": "*",
    },
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"},
)


@pytest.mark.parametrize(
    "action, expected",
    [
        ("iam:GetUser", ALLOW),
        ("iam:ListRoles", ALLOW),
        ("iam:CreatePolicy", IMPLICIT),  # "implicitly denied"
        ("iam:GetOrganizationsAccessReport", DENY),  # allowed by Get*, denied by *Report
        ("iam:GenerateCredentialReport", DENY),
        # "The prefix and the action name are case insensitive"
        ("IAM:getuser", ALLOW),
        ("iam:getorganizationsaccessreport", DENY),
    ],
)
def test_explicit_and_implicit_denies(action, expected):
    assert decision(GET_LIST_DENY_REPORTS, action) == expected


def test_an_empty_request_context_and_no_statement_is_an_implicit_deny():
    result = evaluate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*")), "s3:PutObject", "*")
    assert result.decision is IMPLICIT and result.statement is None and not result.allowed
    assert "no statement allows it" in result.explain()


def test_several_policies_are_evaluated_together_and_a_deny_in_any_wins():
    allows = policy(allow("sagemaker:*"))
    denies = policy(deny("sagemaker:DeleteSpace"))
    assert decision([allows, denies], "sagemaker:DeleteSpace") is DENY
    assert decision([allows, denies], "sagemaker:DescribeSpace") is ALLOW
    assert decision([denies], "sagemaker:DescribeSpace") is IMPLICIT


# ------------------------------------------------------------ NotAction, NotResource
@pytest.mark.parametrize(
    "statement, action, resource, expected",
    [
        # "allows users to access every action in every AWS service except for IAM"
        (allow(None, "*", NotAction="iam:*"), "s3:GetObject", "arn:aws:s3:::b/k", ALLOW),
        (allow(None, "*", NotAction="iam:*"), "iam:CreateUser", "*", IMPLICIT),
        # all S3 actions on S3 resources except DeleteBucket; nothing in other services
        (
            allow(None, "arn:aws:s3:::*", NotAction="s3:DeleteBucket"),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            ALLOW,
        ),
        (
            allow(None, "arn:aws:s3:::*", NotAction="s3:DeleteBucket"),
            "s3:DeleteBucket",
            "arn:aws:s3:::b",
            IMPLICIT,
        ),
        (
            allow(None, "arn:aws:s3:::*", NotAction="s3:DeleteBucket"),
            "ec2:RunInstances",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            IMPLICIT,
        ),
    ],
)
def test_not_action(statement, action, resource, expected):
    if statement.get("Action") is None:
        del statement["Action"]
    assert decision(policy(statement), action, resource) == expected


MFA_OR_NOTHING = policy(
    allow("*"),
    {
        "Sid": "DenyAllUsersNotUsingMFA",
        "Effect": "Deny",
        "NotAction": "iam:*",
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
)


@pytest.mark.parametrize(
    "action, context, expected",
    [
        ("s3:GetObject", {}, DENY),  # no MFA key: BoolIfExists holds, the deny applies
        ("s3:GetObject", {"aws:MultiFactorAuthPresent": "false"}, DENY),
        ("s3:GetObject", {"aws:MultiFactorAuthPresent": "true"}, ALLOW),
        ("iam:ChangePassword", {}, ALLOW),  # IAM actions are outside NotAction's deny
    ],
)
def test_not_action_with_deny_and_mfa(action, context, expected):
    assert decision(MFA_OR_NOTHING, action, "*", context) == expected


HR_PAYROLL = policy(
    allow("s3:*"),
    {
        "Effect": "Deny",
        "Action": "s3:*",
        "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"],
    },
)


@pytest.mark.parametrize(
    "resource, expected",
    [
        ("arn:aws:s3:::HRBucket/Payroll", ALLOW),
        ("arn:aws:s3:::HRBucket/Payroll/june.csv", ALLOW),
        ("arn:aws:s3:::HRBucket/Holidays/june.csv", DENY),
        ("arn:aws:s3:::OtherBucket/x", DENY),
        ("arn:aws:s3:::hrbucket/Payroll/june.csv", DENY),  # ARNs are case-sensitive
    ],
)
def test_not_resource(resource, expected):
    assert decision(HR_PAYROLL, "s3:GetObject", resource) == expected


# ------------------------------------------------------------ wildcards in Resource
S3_WILDCARD = policy(allow("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*"))


@pytest.mark.parametrize(
    "key, expected",
    [
        # "The wildcards in the ARN apply to all of the following objects"
        ("1/test/object.jpg", ALLOW),
        ("1/2/test/object.jpg", ALLOW),
        ("1/2/test/3/object.jpg", ALLOW),
        ("1/2/3/test/4/object.jpg", ALLOW),
        ("1///test///object.jpg", ALLOW),
        ("1/test/.jpg", ALLOW),
        ("/test/object.jpg", ALLOW),
        ("1/test/", ALLOW),
        # "The ARN would not match the following objects"
        ("1-test/object.jpg", IMPLICIT),
        ("test/object.jpg", IMPLICIT),
        ("1/2/test.jpg", IMPLICIT),
    ],
)
def test_resource_wildcards_cross_slashes(key, expected):
    assert (
        decision(S3_WILDCARD, "s3:GetObject", f"arn:aws:s3:::DOC-EXAMPLE-BUCKET/{key}") == expected
    )


@pytest.mark.parametrize(
    "pattern, resource, expected",
    [
        (
            "arn:aws:iam::111122223333:user/accounting/*",
            "arn:aws:iam::111122223333:user/accounting/ana",
            ALLOW,
        ),
        ("arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", IMPLICIT),
        (
            "arn:aws:sagemaker:*:*:space/d-1/*",
            "arn:aws:sagemaker:eu-west-1:111122223333:space/d-1/lab",
            ALLOW,
        ),
        (
            "arn:aws:sagemaker:us-east-?:*:space/*",
            "arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab",
            ALLOW,
        ),
        (
            "arn:aws:sagemaker:us-east-?:*:space/*",
            "arn:aws:sagemaker:us-east-10:111122223333:space/d-1/lab",
            IMPLICIT,
        ),
        # a * inside a segment stays inside it; one ending a segment may run past colons
        (
            "arn:aws:sagemaker:us-*-1:111122223333:space/*",
            "arn:aws:sagemaker:us-east:x-1:111122223333:space/d",
            IMPLICIT,
        ),
        (
            "arn:aws:sagemaker:*:111122223333:space/*",
            "arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab",
            ALLOW,
        ),
        ("*", "arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab", ALLOW),
    ],
)
def test_resource_arn_segments(pattern, resource, expected):
    assert decision(policy(allow("sagemaker:*", pattern)), "sagemaker:X", resource) == expected


# ------------------------------------------------------------ condition operators
def condition_holds(condition: dict, context: dict, version: str = "2012-10-17") -> bool:
    p = policy(allow("s3:GetObject", "*", condition), version=version)
    return decision(p, "s3:GetObject", "*", context) is ALLOW


@pytest.mark.parametrize(
    "condition, context, expected",
    [
        # "only requests made by johndoe match. Users named JohnDoe are denied access."
        ({"StringEquals": {"aws:username": "johndoe"}}, {"aws:username": "johndoe"}, True),
        ({"StringEquals": {"aws:username": "johndoe"}}, {"aws:username": "JohnDoe"}, False),
        (
            {"StringEqualsIgnoreCase": {"aws:username": "johndoe"}},
            {"aws:username": "JohnDoe"},
            True,
        ),
        (
            {"StringNotEqualsIgnoreCase": {"aws:username": "johndoe"}},
            {"aws:username": "JOHNDOE"},
            False,
        ),
        # "Context key names are not case-sensitive"
        ({"StringEquals": {"AWS:SourceIp": "x"}}, {"aws:sourceip": "x"}, True),
        (
            {"StringEquals": {"aws:ResourceTag/TagKey1": "Value1"}},
            {"aws:resourcetag/tagkey1": "Value1"},
            True,
        ),
        # StringLike: wildcards anywhere, case-sensitive; StringEquals has none
        ({"StringLike": {"s3:prefix": ["janedoe/*"]}}, {"s3:prefix": "janedoe/notes/a"}, True),
        ({"StringLike": {"s3:prefix": ["janedoe/*"]}}, {"s3:prefix": "JaneDoe/notes"}, False),
        ({"StringLike": {"k:x": "a?c"}}, {"k:x": "abc"}, True),
        ({"StringLike": {"k:x": "a?c"}}, {"k:x": "abbc"}, False),
        ({"StringEquals": {"k:x": "a*"}}, {"k:x": "abc"}, False),
        ({"StringEquals": {"k:x": "a*"}}, {"k:x": "a*"}, True),
        ({"StringNotLike": {"k:x": ["a*", "b*"]}}, {"k:x": "cat"}, True),
        ({"StringNotLike": {"k:x": ["a*", "b*"]}}, {"k:x": "bat"}, False),
        # "When multiple values are listed ... for negated ... the effective permissions
        # work like a logical AND"
        (
            {"StringNotEquals": {"aws:PrincipalAccount": ["111", "222"]}},
            {"aws:PrincipalAccount": "222"},
            False,
        ),
        (
            {"StringNotEquals": {"aws:PrincipalAccount": ["111", "222"]}},
            {"aws:PrincipalAccount": "333"},
            True,
        ),
        # numbers: "list up to 10 objects"
        ({"NumericLessThanEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": "10"}, True),
        ({"NumericLessThanEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": "11"}, False),
        ({"NumericLessThanEquals": {"s3:max-keys": 10}}, {"s3:max-keys": "9.5"}, True),
        ({"NumericEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": "ten"}, False),
        # dates: "credentials ... were issued in 2020" (ISO 8601 or epoch)
        (
            {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
            {"aws:TokenIssueTime": "2020-06-01T00:00:00Z"},
            True,
        ),
        (
            {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
            {"aws:TokenIssueTime": "2019-12-31T23:59:59Z"},
            False,
        ),
        (
            {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
            {"aws:CurrentTime": "1546300800"},
            True,
        ),
        # Bool
        ({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "false"}, True),
        ({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": True}, False),
        ({"Bool": {"aws:SecureTransport": True}}, {"aws:SecureTransport": "TRUE"}, True),
        # IP addresses: CIDR, IPv6, /32 when no prefix
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.7"}, True),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.114.7"}, False),
        (
            {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}},
            {"aws:SourceIp": "2001:db8:1234:5678::9"},
            True,
        ),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.7"}}, {"aws:SourceIp": "203.0.113.8"}, False),
        (
            {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
            {"aws:SourceIp": "198.51.100.1"},
            True,
        ),
        # binary: byte for byte against base-64
        (
            {"BinaryEquals": {"k:b": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
            {"k:b": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
            True,
        ),
        ({"BinaryEquals": {"k:b": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}, {"k:b": "QmluYXJ5"}, False),
    ],
)
def test_condition_operators(condition, context, expected):
    assert condition_holds(condition, context) is expected


def test_arn_like_checks_each_of_the_six_components_but_string_like_does_not():
    # the guide's example: "With a StringLike condition, the match succeeds ... With an
    # ArnLike condition, which matches elements between colons, the match fails."
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert condition_holds({"StringLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    assert not condition_holds({"ArnLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    assert condition_holds({"ArnNotLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    good = "arn:aws:someservice:us-east-2:111122223333:finance/document.txt"
    for operator in ("ArnLike", "ArnEquals"):  # "behave identically"
        assert condition_holds({operator: {"aws:SourceArn": pattern}}, {"aws:SourceArn": good})
    assert not condition_holds(
        {"ArnLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": "finance"}
    )


# ------------------------------------------------------------ keys missing, IfExists, Null
@pytest.mark.parametrize(
    "condition, expected",
    [
        # "If the key ... is not present in the request context ... the condition is false"
        ({"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}}, False),
        ({"StringLike": {"k:x": "*"}}, False),
        ({"ArnLike": {"aws:SourceArn": "arn:*:*:*:*:*"}}, False),
        ({"NumericLessThan": {"s3:max-keys": "10"}}, False),
        ({"Bool": {"aws:SecureTransport": "false"}}, False),
        # "... requires that the key is not matched, such as StringNotLike ... the condition
        # is true"
        ({"StringNotLike": {"k:x": "a*"}}, True),
        ({"StringNotEquals": {"k:x": "a"}}, True),
        ({"ArnNotLike": {"aws:SourceArn": "arn:*:*:*:*:*"}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, True),
        # "If the key is not present, evaluate the condition element as true"
        ({"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}}, True),
        ({"StringNotEqualsIfExists": {"k:x": "a"}}, True),
        ({"NumericLessThanIfExists": {"s3:max-keys": "10"}}, True),
        # Null: "true (the key doesn't exist)" / "false (the key exists)"
        ({"Null": {"aws:TokenIssueTime": "true"}}, True),
        ({"Null": {"aws:TokenIssueTime": "false"}}, False),
    ],
)
def test_a_key_missing_from_the_request(condition, expected):
    assert condition_holds(condition, {}) is expected


@pytest.mark.parametrize(
    "condition, context, expected",
    [
        (
            {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*"]}},
            {"ec2:InstanceType": "t2.micro"},
            True,
        ),
        (
            {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*"]}},
            {"ec2:InstanceType": "m5.large"},
            False,
        ),
        (
            {"Null": {"aws:TokenIssueTime": "true"}},
            {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
            False,
        ),
        (
            {"Null": {"aws:TokenIssueTime": "false"}},
            {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
            True,
        ),
        ({"Null": {"aws:TagKeys": "true"}}, {"aws:TagKeys": []}, True),  # an empty set is null
    ],
)
def test_if_exists_and_null_with_the_key_present(condition, context, expected):
    assert condition_holds(condition, context) is expected


def test_a_deny_with_a_negated_if_exists_operator_still_denies_when_the_key_is_missing():
    # "If you are using an "Effect": "Deny" element with a negated condition operator like
    # StringNotEqualsIfExists, the request is still denied even if the tag is missing."
    p = policy(
        allow("s3:*"), deny("s3:*", "*", {"StringNotEqualsIfExists": {"aws:ResourceTag/team": "a"}})
    )
    assert decision(p, "s3:GetObject") is DENY
    assert decision(p, "s3:GetObject", "*", {"aws:ResourceTag/team": "a"}) is ALLOW
    assert decision(p, "s3:GetObject", "*", {"aws:ResourceTag/team": "b"}) is DENY


def test_several_keys_are_anded_and_several_values_ored():
    # the guide's example with PrincipalTag/department, PrincipalTag/role, PrincipalAccount
    condition = {
        "StringEqualsIgnoreCase": {
            "aws:PrincipalTag/department": ["finance", "hr", "legal"],
            "aws:PrincipalTag/role": ["audit", "security"],
        },
        "StringEquals": {"aws:PrincipalAccount": "123456789012"},
    }
    full = {
        "aws:PrincipalTag/department": "HR",
        "aws:PrincipalTag/role": "audit",
        "aws:PrincipalAccount": "123456789012",
    }
    assert condition_holds(condition, full)
    for key in full:
        assert not condition_holds(condition, {k: v for k, v in full.items() if k != key})
    assert not condition_holds(condition, {**full, "aws:PrincipalTag/role": "dev"})
    assert not condition_holds(condition, {**full, "aws:PrincipalAccount": "111122223333"})


ECS_CLUSTERS = {
    "StringEquals": {"aws:RequestTag/environment": ["production", "prod-backup"]},
    "ArnEquals": {
        "ecs:cluster": [
            "arn:aws:ecs:us-east-1:111122223333:cluster/default1",
            "arn:aws:ecs:us-east-1:111122223333:cluster/default2",
        ]
    },
}


@pytest.mark.parametrize(
    "context, expected",
    [  # the table under "One condition block with multiple single-valued context keys"
        (
            {
                "aws:RequestTag/environment": "production",
                "ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default1",
            },
            True,
        ),
        (
            {
                "aws:RequestTag/environment": "prod-backup",
                "ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default2",
            },
            True,
        ),
        (
            {
                "aws:RequestTag/webserver": "production",
                "ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default2",
            },
            False,
        ),
        ({"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default2"}, False),
    ],
)
def test_single_valued_keys_table(context, expected):
    assert condition_holds(ECS_CLUSTERS, context) is expected


def test_tag_on_create_example_with_single_valued_keys():
    # "lets users create EC2 volumes and apply tags ... during volume creation"
    p = policy(
        allow("ec2:CreateVolume"),
        allow(
            "ec2:CreateTags",
            "arn:aws:ec2:us-east-1:123456789012:volume/*",
            {"StringLike": {"aws:RequestTag/project": "*"}},
        ),
        allow(
            "ec2:CreateTags",
            "arn:aws:ec2:us-east-1:123456789012:*/*",
            {"StringNotEquals": {"aws:ResourceTag/environment": "production"}},
        ),
    )
    volume = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1"
    tags = {"aws:RequestTag/project": "Feature3", "aws:RequestTag/environment": "QA"}
    assert decision(p, "ec2:CreateTags", volume, tags) is ALLOW
    snapshot = "arn:aws:ec2:us-east-1:123456789012:snapshot/snap-1"
    production = {"aws:ResourceTag/environment": "production"}
    assert decision(p, "ec2:CreateTags", snapshot, production) is IMPLICIT
    assert decision(p, "ec2:CreateTags", snapshot, {}) is ALLOW  # a negated operator, key missing


# ------------------------------------------------------------ multivalued keys
THREAD = "arn:aws:dynamodb:us-east-1:111122223333:table/Thread"
GET_ONLY = policy(
    allow(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:*:*:table/Thread",
        {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["ID", "Message", "Tags"]}},
    )
)
NO_ID_UPDATES = policy(
    allow("dynamodb:PutItem"),
    deny(
        "dynamodb:PutItem",
        "arn:aws:dynamodb:*:*:table/Thread",
        {"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["ID", "PostDateTime"]}},
    ),
)


@pytest.mark.parametrize(
    "p, action, attributes, expected",
    [
        (GET_ONLY, "dynamodb:GetItem", ["ID", "Message", "Tags"], ALLOW),
        (GET_ONLY, "dynamodb:GetItem", ["Message", "Tags"], ALLOW),
        (GET_ONLY, "dynamodb:GetItem", ["ID", "UserName"], IMPLICIT),  # UserName is not listed
        (GET_ONLY, "dynamodb:GetItem", [], ALLOW),  # "returns true" for an empty set
        (GET_ONLY, "dynamodb:GetItem", None, ALLOW),  # ... and for a missing key
        (NO_ID_UPDATES, "dynamodb:PutItem", ["UserName", "Message", "PostDateTime"], DENY),
        (NO_ID_UPDATES, "dynamodb:PutItem", ["UserName"], ALLOW),
        (NO_ID_UPDATES, "dynamodb:PutItem", [], ALLOW),  # ForAnyValue: false when empty
        (NO_ID_UPDATES, "dynamodb:PutItem", None, ALLOW),  # ... and when missing
    ],
)
def test_dynamodb_attribute_examples(p, action, attributes, expected):
    assert decision(p, action, THREAD, {"dynamodb:Attributes": attributes}) == expected


DENY_TAG_KEYS = {
    "key1": {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}},
    "key1 or key2": {"ForAllValues:StringNotLike": {"aws:TagKeys": ["key1*", "key2*"]}},
    "webserver": {"ForAnyValue:StringEquals": {"aws:TagKeys": "webserver"}},
}


@pytest.mark.parametrize(
    "which, tag_keys, denied",
    [  # the tables of "Multivalued context key examples" (Match means denied)
        ("key1", ["key1"], False),
        ("key1", ["key1", "key1"], False),
        ("key1", ["key2"], True),
        ("key1", None, True),
        ("key1 or key2", ["key1"], False),
        ("key1 or key2", ["key1", "key1"], False),
        ("key1 or key2", ["key1", "key2"], False),
        ("key1 or key2", ["key3"], True),
        ("key1 or key2", None, True),
        ("webserver", ["webserver"], True),
        ("webserver", ["environment", "webserver", "test"], True),
        ("webserver", ["environment", "test"], False),
        ("webserver", None, False),
        # and the null data set: ForAllValues true, ForAnyValue false
        ("key1", [], True),
        ("key1", "", True),
        ("webserver", [], False),
    ],
)
def test_multivalued_tag_key_examples(which, tag_keys, denied):
    p = policy(allow("iam:*"), deny(["iam:Tag*", "iam:UnTag*"], ["*"], DENY_TAG_KEYS[which]))
    result = decision(p, "iam:TagRole", "*", {"aws:TagKeys": tag_keys})
    assert result == (DENY if denied else ALLOW)


def test_a_multivalued_key_without_a_set_operator_matches_when_any_value_matches():
    # AWS requires a set operator here (the validator warns); the mock's reading is
    # "any request value matches any policy value", negated for a negated operator.
    tags = {"aws:TagKeys": ["a", "b"]}
    assert condition_holds({"StringEquals": {"aws:TagKeys": "b"}}, tags)
    assert not condition_holds({"StringEquals": {"aws:TagKeys": "c"}}, tags)
    assert not condition_holds({"StringNotEquals": {"aws:TagKeys": "b"}}, tags)
    assert condition_holds({"StringNotEquals": {"aws:TagKeys": "c"}}, tags)


# ------------------------------------------------------------ policy variables
HOME = policy(
    allow(
        "s3:ListBucket",
        "arn:aws:s3:::mybucket",
        {"StringLike": {"s3:prefix": ["${aws:username}/*"]}},
    ),
    allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::mybucket/${aws:username}/*"),
)


@pytest.mark.parametrize(
    "action, resource, context, expected",
    [
        ("s3:GetObject", "arn:aws:s3:::mybucket/David/notes.txt", {"aws:username": "David"}, ALLOW),
        (
            "s3:GetObject",
            "arn:aws:s3:::mybucket/Adele/notes.txt",
            {"aws:username": "David"},
            IMPLICIT,
        ),
        (
            "s3:ListBucket",
            "arn:aws:s3:::mybucket",
            {"aws:username": "David", "s3:prefix": "David/x"},
            ALLOW,
        ),
        (
            "s3:ListBucket",
            "arn:aws:s3:::mybucket",
            {"aws:username": "David", "s3:prefix": "Adele/"},
            IMPLICIT,
        ),
        # "Key names are case-insensitive"
        ("s3:GetObject", "arn:aws:s3:::mybucket/David/n", {"AWS:UserName": "David"}, ALLOW),
        # a variable with no value: "the resource ... will not match any resource"
        ("s3:GetObject", "arn:aws:s3:::mybucket/${aws:username}/n", {}, IMPLICIT),
        ("s3:GetObject", "arn:aws:s3:::mybucket//n", {}, IMPLICIT),
    ],
)
def test_variables_in_resource_and_condition(action, resource, context, expected):
    assert decision(HOME, action, resource, context) == expected


def test_without_version_2012_variables_are_plain_text():
    for version in (None, "2008-10-17"):
        old = policy(
            allow("s3:GetObject", "arn:aws:s3:::mybucket/${aws:username}/*"), version=version
        )
        assert any(w.where == "Version" for w in old.warnings)
        david = {"aws:username": "David"}
        assert decision(old, "s3:GetObject", "arn:aws:s3:::mybucket/David/n", david) is IMPLICIT
        literal = "arn:aws:s3:::mybucket/${aws:username}/n"
        assert decision(old, "s3:GetObject", literal, david) is ALLOW


def test_variable_defaults_and_special_characters():
    team = policy(
        allow("s3:*", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}")
    )
    bucket = "arn:aws:s3:::DOC-EXAMPLE-BUCKET-"
    assert (
        decision(team, "s3:GetObject", bucket + "yellow", {"aws:PrincipalTag/team": "yellow"})
        is ALLOW
    )
    assert decision(team, "s3:GetObject", bucket + "company-wide", {}) is ALLOW
    assert decision(team, "s3:GetObject", bucket + "yellow", {}) is IMPLICIT
    # ${*}, ${?} and ${$} stand for the characters themselves, not wildcards
    star = policy(allow("s3:*", "arn:aws:s3:::b/price${*}${?}${$}"))
    assert decision(star, "s3:GetObject", "arn:aws:s3:::b/price*?$") is ALLOW
    assert decision(star, "s3:GetObject", "arn:aws:s3:::b/priceXY$") is IMPLICIT


def test_a_substituted_value_is_text_not_a_wildcard():
    # the mock's reading: wildcards come from the policy, values from the request are
    # literal (IAM offers ${*} precisely because * would otherwise be a wildcard)
    p = policy(allow("s3:*", "arn:aws:s3:::b/${aws:username}"))
    assert decision(p, "s3:GetObject", "arn:aws:s3:::b/*", {"aws:username": "*"}) is ALLOW
    assert decision(p, "s3:GetObject", "arn:aws:s3:::b/anyone", {"aws:username": "*"}) is IMPLICIT


def test_variables_with_no_value_in_conditions():
    # "StringEquals or StringLike do not match ... Inverted condition operators like
    # StringNotEquals ... do match against a null value"
    equal = {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}
    differ = {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}
    object_tag = {"s3:ExistingObjectTag/Team": "blue"}
    assert not condition_holds(equal, object_tag)
    assert condition_holds(differ, object_tag)
    both = {**object_tag, "aws:PrincipalTag/Team": "blue"}
    assert condition_holds(equal, both) and not condition_holds(differ, both)
    # a multivalued key cannot be a variable: it has no value as one
    assert not condition_holds(
        {"StringEquals": {"k:x": "${aws:TagKeys}"}}, {"k:x": "a", "aws:TagKeys": ["a"]}
    )


def test_arn_like_with_studio_variables():
    owner = {
        "ArnLike": {
            "sagemaker:OwnerUserProfileArn": "arn:aws:sagemaker:*:*:user-profile/"
            "${sagemaker:DomainId}/${sagemaker:UserProfileName}"
        }
    }
    me = {"sagemaker:DomainId": "d-1", "sagemaker:UserProfileName": "ana"}
    arn = "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-1/"
    assert condition_holds(owner, {**me, "sagemaker:OwnerUserProfileArn": arn + "ana"})
    assert not condition_holds(owner, {**me, "sagemaker:OwnerUserProfileArn": arn + "ben"})
    assert not condition_holds(owner, {"sagemaker:OwnerUserProfileArn": arn + "ana"})


# ------------------------------------------------------------ explanations
def test_an_evaluation_names_the_deciding_statement_and_explains_the_others():
    result = evaluate(CARLOS, "s3:PutObject", "arn:aws:s3:::carlossalazar-logs/f")
    assert result.decision is DENY and result.sid == "DenyS3Logs"
    text = result.explain()
    assert "explicitly denied by DenyS3Logs" in text
    assert "AllowS3ListRead: does not apply: Action" in text
    assert "AllowS3Self: does not apply: Resource" in text
    conditional = policy(allow("s3:*", "*", {"StringEquals": {"aws:PrincipalTag/team": "x"}}))
    text = evaluate(conditional, "s3:GetObject", "*", {"aws:PrincipalTag/team": "y"}).explain()
    assert "statement 1 (no Sid): does not apply: condition StringEquals" in text
    assert "'y'" in text


@pytest.mark.parametrize(
    "operator, says",
    [
        ("StringEquals", "aws:PrincipalTag/team is not in the request, so it cannot match"),
        ("StringNotEquals", "not in the request, (true for a negated operator)"),
        ("ForAnyValue:StringEquals", "not in the request, (ForAnyValue is then false)"),
        ("Null", "aws:PrincipalTag/team is absent in the request"),
    ],
)
def test_explanations_of_a_missing_key(operator, says):
    value = "false" if operator == "Null" else "x"
    p = policy(allow("s3:*", "*", {operator: {"aws:PrincipalTag/team": value}}))
    assert says in evaluate(p, "s3:GetObject", "*", {}).explain()
