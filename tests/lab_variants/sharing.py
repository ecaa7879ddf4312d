"""Wrong answers for the sharing lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # the administrator's listing: forgets that the Studio UI hides others' private spaces
    "visible-in-studio": """
def spaces_visible_in_studio(sm, domain_id, profile):
    return {item["SpaceName"] for item in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]}
""",
    # only the spaces the profile owns: forgets the shared spaces other people created
    "may-open": """
def spaces_profile_may_open(sm, domain_id, profile):
    return {
        item["SpaceName"]
        for item in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]
        if item["OwnershipSettingsSummary"]["OwnerUserProfileName"] == profile
    }
""",
    # takes the UI filter for an access control (describe) and the owner of a shared
    # space for the only one who may start it
    "denied-for-ben": """
denied_for_ben = {
    "describe-ana-notes",
    "open-ana-notes",
    "stop-ana-notes",
    "start-team-project",
    "rename-team-project",
    "create-private-for-ana",
    "open-studio-as-ana",
    "change-domain-role",
}
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
    # starts the space, but only ana opens it
    "pair-prog": """
ana_sm.create_app(
    DomainId=course_id, SpaceName="pair-prog", AppType="JupyterLab", AppName="default"
)
ana_sm.create_presigned_domain_url(
    DomainId=course_id, UserProfileName="ana", SpaceName="pair-prog"
)
""",
}
