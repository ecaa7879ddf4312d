"""Wrong answers for the sharing lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else. The
names differ per learner, so the answers use the lab's variables (OWNER, PEER, NEWCOMER,
PAIR), as a learner's would.
"""

WRONG = {
    # the administrator's listing: forgets that the Studio UI hides others' private spaces
    "visible-in-studio": """
def spaces_visible_in_studio(sm, domain_id, profile):
    return {item["SpaceName"] for item in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]}
""",
    # takes what a profile may open and start (its own private spaces and every shared
    # one) for what it may delete: the creator of a shared space is its only manager
    "may-delete": """
def spaces_profile_may_delete(sm, domain_id, profile):
    return {
        item["SpaceName"]
        for item in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]
        if item["SpaceSharingSettingsSummary"]["SharingType"] == "Shared"
        or item["OwnershipSettingsSummary"]["OwnerUserProfileName"] == profile
    }
""",
    # the gaming route of the old Exercise 3: no prediction, the calls are tried and
    # their outcomes handed in (the calls are switched off while a prediction is made)
    "predict-denied": """
def predict_denied(attempt):
    return attempt.label in sharing_lab.denied()  # tries every attempt as PEER
""",
    # reads the listing's items as if they were DescribeSpace answers (they hold the
    # *Summary* shapes, so the keys differ)
    "peek": """
def peek_at_space(client, domain_id, space_name):
    for item in client.list_spaces(DomainIdEquals=domain_id)["Spaces"]:
        if item["SpaceName"] == space_name:
            return {
                "owner": item["OwnershipSettings"]["OwnerUserProfileName"],
                "sharing_type": item["SpaceSharingSettings"]["SharingType"],
                "ebs_gb": item["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"][
                    "EbsVolumeSizeInGb"
                ],
            }
    return None
""",
    # starts the space, but only OWNER opens it
    "pair-prog": """
owner_sm.create_app(DomainId=course_id, SpaceName=PAIR, AppType="JupyterLab", AppName="default")
owner_sm.create_presigned_domain_url(DomainId=course_id, UserProfileName=OWNER, SpaceName=PAIR)
""",
}
