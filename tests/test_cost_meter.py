"""The cost meter accrues on the simulated clock and shows what still bills."""

from __future__ import annotations

import pytest

from studio_mock import advance_clock, cost_report, prices


def _item(report, kind):
    return next(i for i in report.items if i.kind == kind)


def test_nothing_accrues_while_the_clock_stands_still(studio, sm, domain_id, make_space):
    make_space("lab", "ana")
    sm.create_app(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    report = cost_report(endpoint_url=studio.endpoint_url)
    assert report.total == 0
    assert report.hourly == pytest.approx(
        prices.STUDIO_INSTANCE_HOURLY["ml.t3.medium"]
        + 5 * prices.SPACE_EBS_GB_MONTH / prices.HOURS_PER_MONTH
    )


def test_stopping_a_space_stops_compute_but_not_its_volume(studio, sm, domain_id, make_space):
    make_space("lab", "ana")
    key = dict(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    sm.create_app(**key)
    advance_clock(hours=10, endpoint_url=studio.endpoint_url)
    sm.delete_app(**key)
    advance_clock(hours=10, endpoint_url=studio.endpoint_url)
    report = cost_report(endpoint_url=studio.endpoint_url)
    app, volume = _item(report, "Studio app"), _item(report, "Space storage")
    assert app.accrued == pytest.approx(10 * prices.STUDIO_INSTANCE_HOURLY["ml.t3.medium"])
    assert not app.billing
    assert volume.billing
    assert volume.accrued == pytest.approx(20 * 5 * prices.SPACE_EBS_GB_MONTH / 730)
    assert report.elapsed_hours == 20


def test_endpoint_emr_and_s3_keep_billing_after_the_space_stops(studio, sm, domain_id,
                                                                make_space):  # fmt: skip
    make_space("lab", "ana")
    s3, emr = studio.client("s3"), studio.client("emr")
    s3.create_bucket(Bucket="course-data")
    s3.put_object(Bucket="course-data", Key="big.csv", Body=b"x" * 2_000_000)
    sm.create_model(
        ModelName="m",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/R",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"},
    )
    sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[
        {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.m5.large",
         "InitialInstanceCount": 2}])  # fmt: skip
    sm.create_endpoint(EndpointName="churn", EndpointConfigName="c")
    emr.run_job_flow(
        Name="spark", ReleaseLabel="emr-7.0.0", JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Instances={"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge",
                   "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": True},
    )  # fmt: skip
    advance_clock(hours=24, endpoint_url=studio.endpoint_url)
    report = cost_report(endpoint_url=studio.endpoint_url)
    kinds = {i.kind for i in report.billing}
    assert {"Endpoint", "EMR cluster", "S3 storage", "Space storage"} <= kinds
    assert _item(report, "Endpoint").hourly == pytest.approx(2 * 0.115)
    assert _item(report, "EMR cluster").hourly == pytest.approx(
        3 * prices.EMR_INSTANCE_HOURLY["m5.xlarge"]
    )
    assert _item(report, "Endpoint").accrued == pytest.approx(24 * 2 * 0.115)
    sm.delete_endpoint(EndpointName="churn")
    report = cost_report(endpoint_url=studio.endpoint_url)
    assert not _item(report, "Endpoint").billing
    assert "still billing" in str(report)
    assert "Accrued" in report._repr_html_()


def test_the_clock_only_moves_forward(studio):
    with pytest.raises((ValueError, RuntimeError), match="only moves forward"):
        advance_clock(hours=-1, endpoint_url=studio.endpoint_url)
