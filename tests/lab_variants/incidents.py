"""Wrong answers for the incidents lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
whatever variant its student id draws.
"""

WRONG = {
    # sees no notebooks and concludes the EFS is gone, without reading HomeEfsFileSystemId
    "diagnosis-1": """
diagnosis_1 = {"cause": "no-home-efs", "resource": ticket1["domain_id"]}
""",
    # turns auto-mount on but never restarts the running app (nor helps a shared space)
    "fix-1": """
sm.update_user_profile(
    DomainId=ticket1["domain_id"],
    UserProfileName=ticket1["user"],
    UserSettings={"AutoMountHomeEFS": "Enabled"},
)
sm.update_domain(
    DomainId=ticket1["domain_id"], DefaultUserSettings={"AutoMountHomeEFS": "Enabled"}
)
""",
    # counts the stopped spaces' volumes as a cause, beside what really bills
    "diagnosis-2": """
diagnosis_2 = {"space-volumes": ticket2["domain_id"]}
for endpoint in ro_sm.list_endpoints()["Endpoints"]:
    diagnosis_2["forgotten-endpoint"] = endpoint["EndpointName"]
""",
    # stops the bill by deleting the team's spaces along with the endpoint and apps
    "fix-2": """
d2 = ticket2["domain_id"]
for endpoint in sm.list_endpoints()["Endpoints"]:
    sm.delete_endpoint(EndpointName=endpoint["EndpointName"])
for app in sm.list_apps(DomainIdEquals=d2, MaxResults=100)["Apps"]:
    if app["Status"] in ("InService", "Pending"):
        sm.delete_app(
            DomainId=d2, SpaceName=app["SpaceName"], AppType=app["AppType"], AppName=app["AppName"]
        )
advance_clock(minutes=10)
for space in sm.list_spaces(DomainIdEquals=d2, MaxResults=100)["Spaces"]:
    sm.delete_space(DomainId=d2, SpaceName=space["SpaceName"])
live_domains = {d["DomainArn"] for d in sm.list_domains()["Domains"]}
for fs in efs.describe_file_systems()["FileSystems"]:
    owner = {t["Key"]: t["Value"] for t in fs.get("Tags", [])}.get(
        "ManagedByAmazonSageMakerResource"
    )
    if owner and owner not in live_domains:
        efs.delete_file_system(FileSystemId=fs["FileSystemId"])
advance_clock(minutes=10)
""",
    # guesses from the ticket's words ("custom image") instead of reading FailureReason
    "diagnosis-3": """
diagnosis_3 = {"cause": "wrong-uid-gid", "resource": f"{ticket3['space']}-config"}
""",
    # gets the app running by dropping the custom image for SageMaker Distribution
    "fix-3": """
d3, space3 = ticket3["domain_id"], ticket3["space"]
app3 = dict(DomainId=d3, SpaceName=space3, AppType="JupyterLab", AppName="default")
sm.delete_app(**app3)
wait_for_status(sm.describe_app, "Deleted", **app3)
sm.create_app(**app3, ResourceSpec={"InstanceType": "ml.t3.medium"})
wait_for_status(sm.describe_app, "InService", **app3)
""",
}
