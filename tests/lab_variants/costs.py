"""Wrong answers for the costs lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else, for
every learner's variant.
"""

WRONG = {
    # assumes every space's app is a JupyterLab app called "default"
    "stop-space": """
def stop_space(sm, domain_id, space_name):
    apps = sm.list_apps(DomainIdEquals=domain_id, SpaceNameEquals=space_name)["Apps"]
    if any(app["Status"] in ("InService", "Pending") for app in apps):
        sm.delete_app(
            DomainId=domain_id, SpaceName=space_name, AppType="JupyterLab", AppName="default"
        )
""",
    # keeps what no longer bills: confuses "has cost" with "still costs"
    "still-billing": """
def still_billing(report):
    rows = [(item.kind, item.name, item.hourly) for item in report.items]
    return sorted(rows, key=lambda row: row[2], reverse=True)
""",
    # prices one instance per variant, ignoring InitialInstanceCount
    "monthly-cost": """
def monthly_cost(sm, endpoint_name):
    config_name = sm.describe_endpoint(EndpointName=endpoint_name)["EndpointConfigName"]
    variants = sm.describe_endpoint_config(EndpointConfigName=config_name)["ProductionVariants"]
    return sum(ENDPOINT_HOURLY[v["InstanceType"]] for v in variants) * HOURS_PER_MONTH
""",
    # cleans up each unneeded endpoint with its config and every model it served, so the
    # model the app's endpoint shares with the staging endpoint goes too
    "wrap-up": """
for endpoint in sm.list_endpoints(NameContains=PROJECT)["Endpoints"]:
    name = endpoint["EndpointName"]
    if name == APP_ENDPOINT:
        continue
    config_name = sm.describe_endpoint(EndpointName=name)["EndpointConfigName"]
    config = sm.describe_endpoint_config(EndpointConfigName=config_name)
    sm.delete_endpoint(EndpointName=name)
    sm.delete_endpoint_config(EndpointConfigName=config_name)
    for model_name in {pv["ModelName"] for pv in config["ProductionVariants"]}:
        sm.delete_model(ModelName=model_name)
emr.terminate_job_flows(JobFlowIds=[PROJECT_CLUSTER])
for obj in s3.list_objects_v2(Bucket=PROJECT_BUCKET).get("Contents", []):
    s3.delete_object(Bucket=PROJECT_BUCKET, Key=obj["Key"])
s3.delete_bucket(Bucket=PROJECT_BUCKET)
left = [i for i in cost_report().items if i.billing and PROJECT in i.name]
MONTH_AFTER = sum(i.hourly for i in left) * HOURS_PER_MONTH
""",
}
