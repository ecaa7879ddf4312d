"""Wrong answers for the images lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # the image is registered, but its version points at another tag than TEAM_URI
    "register-image": """
sm.create_image(ImageName=TEAM_IMAGE, RoleArn=ROLE)
team_version_arn = sm.create_image_version(
    ImageName=TEAM_IMAGE, BaseImage=push_image(TEAM_REPO, "latest"), ClientToken="v1"
)["ImageVersionArn"]
""",
    # the environment variables are passed as container arguments instead
    "app-image-config": """
sm.create_app_image_config(
    AppImageConfigName=TEAM_CONFIG,
    JupyterLabAppImageConfig={
        "ContainerConfig": {"ContainerArguments": [f"{k}={v}" for k, v in TEAM_ENV.items()]}
    },
)
""",
    # takes the refusal's words at face value: "not attached", so it attaches the image in
    # DefaultUserSettings (with the config it was given) and answers A, whatever the space
    "attach-and-launch": """
diagnosis = "A"
try:
    sm.update_domain(
        DomainId=course_id,
        DefaultUserSettings={
            "JupyterLabAppSettings": {
                "CustomImages": [
                    {"ImageName": COURSE_IMAGE, "AppImageConfigName": f"{COURSE_IMAGE}-config"}
                ]
            }
        },
    )
    sm.create_app(
        DomainId=course_id,
        SpaceName=COURSE_SPACE,
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"SageMakerImageArn": COURSE_IMAGE_ARN},
    )
except ClientError as error:
    print("Still refused:", error)
""",
    # assumes the app is named "default" and reports the image's latest version,
    # not the one the app runs
    "running-image": """
def running_image(sm, domain_id, space_name):
    try:
        app = sm.describe_app(
            DomainId=domain_id, SpaceName=space_name, AppType="JupyterLab", AppName="default"
        )
    except Exception:
        return None
    if app["Status"] != "InService":
        return None
    name = app["ResourceSpec"]["SageMakerImageArn"].split("/")[-1]
    if "distribution" in name:
        return {"image_name": name, "version": None, "base_image": None}
    latest = sm.describe_image_version(ImageName=name)
    return {"image_name": name, "version": latest["Version"], "base_image": latest["BaseImage"]}
""",
    # replaces the domain's custom images instead of adding to them
    "publish-chain": """
def publish_custom_image(sm, ecr, domain_id, repository_name, tag, role_arn):
    uri = ecr.describe_repositories(repositoryNames=[repository_name])["repositories"][0][
        "repositoryUri"
    ]
    image_arn = sm.create_image(ImageName=repository_name, RoleArn=role_arn)["ImageArn"]
    sm.create_image_version(ImageName=repository_name, BaseImage=f"{uri}:{tag}", ClientToken="1")
    config = f"{repository_name}-config"
    sm.create_app_image_config(
        AppImageConfigName=config,
        JupyterLabAppImageConfig={"ContainerConfig": {"ContainerEnvironmentVariables": TEAM_ENV}},
    )
    sm.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={
            "JupyterLabAppSettings": {
                "CustomImages": [{"ImageName": repository_name, "AppImageConfigName": config}]
            }
        },
    )
    return image_arn
""",
}
