"""Wrong answers for the costs lab, one per exercise: each replaces one solution cell.

Each must lose exactly the points of the exercise it belongs to, and nothing else.
"""

WRONG = {
    # assumes every space's app is called "default" and is running
    "stop-space": """
def stop_space(sm, domain_id, space_name):
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
    # deletes the endpoint but leaves its config and model behind
    "clean-up": """
def clean_up(sm, emr, s3, endpoint_name, cluster_id, bucket_name):
    sm.delete_endpoint(EndpointName=endpoint_name)
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    for obj in s3.list_objects_v2(Bucket=bucket_name).get("Contents", []):
        s3.delete_object(Bucket=bucket_name, Key=obj["Key"])
    s3.delete_bucket(Bucket=bucket_name)
""",
}
