"""Wrong answers for the apps lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every learner's variant.
"""

WRONG = {
    # starts the app without enabling RStudio on the domain first
    "enable-rstudio": """
try:
    sm.create_app(
        DomainId=stats_id, UserProfileName=R_USER, AppType="RStudioServerPro", AppName="default"
    )
except ClientError as error:
    print(error)
""",
    # reads every refusal as a space's app type being fixed (rule C), whatever its message
    "judge-requests": """
def predict(request):
    in_a_space = ("JupyterLab", "CodeEditor")
    if request.app_type in ("JupyterServer", "KernelGateway"):
        return ("ValidationException", "C")
    if request.operation == "create_space":
        return "accepted" if request.app_type in in_a_space else ("ValidationException", "C")
    if request.runs_in == "user profile":
        if request.app_type in in_a_space:
            return ("ValidationException", "C")
        if request.app_type == "RStudioServerPro" and not request.rstudio_domain:
            return ("ValidationException", "C")
        return "accepted"
    if request.space_type != request.app_type:
        return ("ValidationException", "C")
    if request.space_running:
        return ("ResourceInUse", "C")
    return "accepted"


answers = {n: predict(request) for n, request in enumerate(REQUESTS, 1)}
""",
    # always creates the space, so an existing one makes it fail
    "start-application": """
def start_application(sm, domain_id, profile_name, application):
    kinds = {
        "JupyterLab": ("JupyterLab", "space"),
        "Code Editor": ("CodeEditor", "space"),
        "RStudio": ("RStudioServerPro", "user profile"),
        "Canvas": ("Canvas", "user profile"),
    }
    app_type, runs_in = kinds[application]
    if runs_in == "user profile":
        return sm.create_app(
            DomainId=domain_id, UserProfileName=profile_name, AppType=app_type, AppName="default"
        )["AppArn"]
    space_name = f"{profile_name}-{app_type.lower()}"
    sm.create_space(
        DomainId=domain_id,
        SpaceName=space_name,
        OwnershipSettings={"OwnerUserProfileName": profile_name},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": app_type},
    )
    return sm.create_app(
        DomainId=domain_id, SpaceName=space_name, AppType=app_type, AppName="default"
    )["AppArn"]
""",
    # keeps the last group's count per type instead of adding them up
    "hyperpod-capacity": """
def hyperpod_capacity(sm):
    capacity = {}
    for summary in sm.list_clusters()["ClusterSummaries"]:
        groups = sm.describe_cluster(ClusterName=summary["ClusterName"])["InstanceGroups"]
        capacity[summary["ClusterName"]] = {g["InstanceType"]: g["CurrentCount"] for g in groups}
    return capacity
""",
}
