"""Wrong answers for the storage lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every learner's variant.
"""

WRONG = {
    # raises the maximum for the whole domain, as the refusal's message suggests
    # (UpdateDomain), instead of in OWNER's user profile: COLLEAGUE may now ask for as much
    "size-space": """
data_volume_gb = DATA_GB + ROOM_GB
sm.update_domain(
    DomainId=course_id,
    DefaultUserSettings={
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": 5,
                "MaximumEbsVolumeSizeInGb": data_volume_gb,
            }
        }
    },
)
new_space(course_id, DATA_SPACE, owner=OWNER, size_gb=data_volume_gb)
""",
    # the two settings swapped: DefaultSpaceSettings is for shared spaces, not private ones
    "domain-limits": """
private_default, private_maximum = sum(PRIVATE_USUAL), sum(PRIVATE_LARGEST)
shared_default = SHARED_USUAL_MEMBERS * SHARED_MEMBER_GB
shared_maximum = SHARED_LARGEST_MEMBERS * SHARED_MEMBER_GB
sm.update_domain(
    DomainId=team_id,
    DefaultSpaceSettings={
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": private_default,
                "MaximumEbsVolumeSizeInGb": private_maximum,
            }
        }
    },
    DefaultUserSettings={
        "SpaceStorageSettings": {
            "DefaultEbsStorageSettings": {
                "DefaultEbsVolumeSizeInGb": shared_default,
                "MaximumEbsVolumeSizeInGb": shared_maximum,
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
    # one mount target, in the first subnet, as if one were enough for every zone
    "attach-efs": """
def attach_home_efs(sm, efs, domain_id, space_name):
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
operations = FILES * OPS_PER_FILE
ebs_seconds = operations * 0.5
efs_seconds = operations * 5
ratio = efs_seconds / ebs_seconds
""",
}
