"""Wrong answers for the domains lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # the right call, but the domain is named after the example
    "create-domain": """
domain_id = sm.create_domain(
    DomainName="course-lab", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE}
)["DomainId"]
""",
    # ben gets no role of his own
    "create-profiles": """
sm.create_user_profile(DomainId=course_id, UserProfileName="ana")
sm.create_user_profile(DomainId=course_id, UserProfileName="ben")
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
