"""Wrong answers for the domains lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every student id (the lab's names and needs depend on it).
"""

WRONG = {
    # the example's settings copied with the team's name and role, the brief unread: an
    # IAM domain with the default home EFS, which no team in this lab needs
    "create-domain": """
domain_id = sm.create_domain(
    DomainName=DOMAIN_NAME, AuthMode="IAM", DefaultUserSettings={"ExecutionRole": TEAM_ROLE}
)["DomainId"]
""",
    # the project's role given to both people, not only to the one whose data needs it
    "create-profiles": """
for name in PEOPLE:
    sm.create_user_profile(
        DomainId=course_id, UserProfileName=name, UserSettings={"ExecutionRole": PROJECT_ROLE}
    )
""",
    # always the domain's role, ignoring the profile's own
    "effective-role": """
def effective_execution_role(sm, domain_id, profile_name):
    return sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]["ExecutionRole"]
""",
    # crashes on a domain created without an EFS
    "home-efs": """
def domain_home_efs(sm, efs, domain_id):
    fs_id = sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
    fs = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    tags = {t["Key"]: t["Value"] for t in fs.get("Tags", [])}
    return {"file_system_id": fs_id, "managed_by": tags.get("ManagedByAmazonSageMakerResource")}
""",
}
