"""Wrong answers for the storage lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # forgets the size: the space gets the 5 GB default
    "size-space": """
sm.create_space(
    DomainId=course_id,
    SpaceName="ana-data",
    OwnershipSettings={"OwnerUserProfileName": "ana"},
    SpaceSharingSettings={"SharingType": "Private"},
    SpaceSettings={"AppType": "JupyterLab"},
)
""",
    # the two settings swapped: DefaultSpaceSettings is for shared spaces, not private ones
    "domain-limits": """
sm.update_domain(
    DomainId=team_id,
    DefaultSpaceSettings={
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": 10,
                "MaximumEbsVolumeSizeInGb": 200,
            }
        }
    },
    DefaultUserSettings={
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": 50,
                "MaximumEbsVolumeSizeInGb": 500,
            }
        }
    },
)
""",
    # always asks for the new size, even a smaller one: shrinking is refused
    "grow": """
def grow_volume(sm, domain_id, space_name, size_gb):
    sm.update_space(
        DomainId=domain_id,
        SpaceName=space_name,
        SpaceSettings={
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": size_gb}}
        },
    )
    return size_gb
""",
    # always creates a mount target: the second call fails with MountTargetConflict
    "attach-efs": """
def attach_home_efs(sm, efs, domain_id, space_name):
    # one mount target, in the first subnet, as if one were enough for every zone
    domain = sm.describe_domain(DomainId=domain_id)
    fs_id = domain["HomeEfsFileSystemId"]
    existing = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    if existing:
        target = existing[0]["MountTargetId"]
    else:
        target = efs.create_mount_target(FileSystemId=fs_id, SubnetId=domain["SubnetIds"][0])[
            "MountTargetId"
        ]
    space = sm.describe_space(DomainId=domain_id, SpaceName=space_name)
    attached = list(space["SpaceSettings"].get("CustomFileSystems", []))
    attached.append({"EFSFileSystem": {"FileSystemId": fs_id}})
    sm.update_space(
        DomainId=domain_id, SpaceName=space_name, SpaceSettings={"CustomFileSystems": attached}
    )
    return {domain["SubnetIds"][0]: target}
""",
    # forgets to convert milliseconds to seconds
    "small-files": """
operations = 20_000 * 3
ebs_seconds = operations * 0.5
efs_seconds = operations * 5
ratio = efs_seconds / ebs_seconds
""",
}
