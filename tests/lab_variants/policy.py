"""Wrong answers for the policy lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every learner's variant.
"""

WRONG = {
    # "any shared space" read as any shared space at all: Resource "*" forgets that the
    # role serves another domain too
    "start-policy": """
MY_PROFILE = ARN + ":user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}"
start_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sagemaker:ListSpaces", "sagemaker:DescribeSpace"],
            "Resource": "*",
        },
        {"Effect": "Allow", "Action": "sagemaker:CreatePresignedDomainUrl", "Resource": MY_PROFILE},
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
            "Resource": "*",
            "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        },
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateApp", "sagemaker:DeleteApp"],
            "Resource": ARN + ":app/${sagemaker:DomainId}/*",
            "Condition": {
                "StringEquals": {"sagemaker:SpaceSharingType": "Private"},
                "ArnLike": {"sagemaker:OwnerUserProfileArn": MY_PROFILE},
            },
        },
    ],
}
""",
    # treats shared spaces like their apps: every member may update and delete them
    "manage-policy": """
MY_PROFILE = ARN + ":user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}"
manage_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateSpace", "sagemaker:UpdateSpace", "sagemaker:DeleteSpace"],
            "Resource": ARN + ":space/${sagemaker:DomainId}/*",
            "Condition": {"ArnLike": {"sagemaker:OwnerUserProfileArn": MY_PROFILE}},
        },
        {
            "Effect": "Allow",
            "Action": ["sagemaker:UpdateSpace", "sagemaker:DeleteSpace"],
            "Resource": ARN + ":space/${sagemaker:DomainId}/*",
            "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        },
    ],
}
""",
    # denies everything owned by someone else: forgets to say "private", so shared
    # spaces close too
    "guardrail": """
guardrail = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Action": [
                "sagemaker:CreateSpace",
                "sagemaker:UpdateSpace",
                "sagemaker:DeleteSpace",
                "sagemaker:CreateApp",
                "sagemaker:DeleteApp",
            ],
            "Resource": "*",
            "Condition": {
                "ArnNotLike": {
                    "sagemaker:OwnerUserProfileArn": ARN
                    + ":user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}"
                }
            },
        }
    ],
}
""",
    # reads every AccessDenied as an explicit deny and blames the shared-space statement
    "diagnosis": """
diagnosis = {"denial": "explicit", "statement": "SharedSpaceApps", "element": "Condition"}
""",
}
