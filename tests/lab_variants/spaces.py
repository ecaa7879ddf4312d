"""Wrong answers for the spaces lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every learner's variant.
"""

WRONG = {
    # takes the cheapest line of the price table without checking that the work fits
    "create-space": """
instance_type = min(PRICES, key=PRICES.get)
sm.create_space(
    DomainId=course_id,
    SpaceName=LAB_SPACE,
    OwnershipSettings={"OwnerUserProfileName": OWNER},
    SpaceSharingSettings={"SharingType": "Private"},
    SpaceSettings={
        "AppType": "JupyterLab",
        "JupyterLabAppSettings": {
            "DefaultResourceSpec": {"InstanceType": instance_type, "SageMakerImageArn": DIST_CPU}
        },
        "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": DATA_GB + ROOM_GB}},
    },
)
sm.create_app(DomainId=course_id, SpaceName=LAB_SPACE, AppType="JupyterLab", AppName="default")
""",
    # any listed app counts as running, even one that was stopped (status Deleted)
    "space-state": """
def space_state(sm, domain_id, space_name):
    apps = sm.list_apps(DomainIdEquals=domain_id, SpaceNameEquals=space_name)["Apps"]
    if not apps:
        return "Stopped"
    return {"Pending": "Starting", "InService": "Running", "Deleting": "Stopping"}.get(
        apps[0]["Status"], "Running"
    )
""",
    # the gaming route: deletes the space, recreates it on the bigger instance and copies
    # the script back, so that a file of that name exists on a new, different space
    "change-instance": """
saved = list_files(course_id, TRAIN_SPACE)[SCRIPT]
sm.delete_app(**train_key)
wait_for_status(sm.describe_app, "Deleted", **train_key)
sm.delete_space(DomainId=course_id, SpaceName=TRAIN_SPACE)
wait_for_status(sm.describe_space, "ResourceNotFound", DomainId=course_id, SpaceName=TRAIN_SPACE)
sm.create_space(
    DomainId=course_id,
    SpaceName=TRAIN_SPACE,
    OwnershipSettings={"OwnerUserProfileName": OWNER},
    SpaceSharingSettings={"SharingType": "Private"},
    SpaceSettings={
        "AppType": "JupyterLab",
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": BIG_TYPE}},
    },
)
sm.create_app(**train_key)
wait_for_status(sm.describe_app, "InService", **train_key)
write_file(course_id, TRAIN_SPACE, SCRIPT, saved)
""",
    # copies the code right but reads every refusal as a missing permission
    "explain-refusal": """
refusal = {"code": error.response["Error"]["Code"], "rule": "G"}
""",
}
