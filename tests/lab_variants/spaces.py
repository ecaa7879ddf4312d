"""Wrong answers for the spaces lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # the instance type is given only when starting: the space's own default stays unset
    "create-space": """
sm.create_space(
    DomainId=course_id,
    SpaceName="ana-lab",
    OwnershipSettings={"OwnerUserProfileName": "ana"},
    SpaceSharingSettings={"SharingType": "Private"},
    SpaceSettings={"AppType": "JupyterLab"},
)
sm.create_app(
    DomainId=course_id,
    SpaceName="ana-lab",
    AppType="JupyterLab",
    AppName="default",
    ResourceSpec={"InstanceType": "ml.m5.large", "SageMakerImageArn": DIST_CPU},
)
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
    # deletes and recreates the space on the bigger instance: the volume (train.py) is lost
    "change-instance": """
sm.delete_app(**train_key)
wait_for_status(sm.describe_app, "Deleted", **train_key)
sm.delete_space(DomainId=course_id, SpaceName="ana-train")
wait_for_status(sm.describe_space, "ResourceNotFound", DomainId=course_id, SpaceName="ana-train")
sm.create_space(
    DomainId=course_id,
    SpaceName="ana-train",
    OwnershipSettings={"OwnerUserProfileName": "ana"},
    SpaceSharingSettings={"SharingType": "Private"},
    SpaceSettings={
        "AppType": "JupyterLab",
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.xlarge"}},
    },
)
sm.create_app(**train_key)
""",
    # always stops the app first: fails for a space that was never started
    "delete-space": """
def delete_space_safely(sm, domain_id, space_name):
    sm.delete_app(
        DomainId=domain_id, SpaceName=space_name, AppType="JupyterLab", AppName="default"
    )
    sm.delete_space(DomainId=domain_id, SpaceName=space_name)
""",
}
