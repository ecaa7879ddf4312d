"""``python -m studio_mock serve``: one Studio on 127.0.0.1 that several clients share."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import boto3


def test_serve_prints_the_endpoint_and_environment_and_stops_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "studio_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        endpoint = match[1]
        lines = [process.stdout.readline() for _ in range(5)]
        env = dict(re.findall(r"export (\w+)=(\S+)", "".join(lines)))
        assert env["AWS_ENDPOINT_URL"] == endpoint
        assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"} <= set(env)
        # two separate clients (two notebooks) see the same Studio
        make = lambda: boto3.client(  # noqa: E731
            "sagemaker", endpoint_url=endpoint, region_name=env["AWS_DEFAULT_REGION"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )  # fmt: skip
        created = make().create_domain(
            DomainName="shared", AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/R"},
        )  # fmt: skip
        listed = make().list_domains()["Domains"]
        assert [d["DomainId"] for d in listed] == [created["DomainId"]]
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Stopping." in out


def test_serve_refuses_a_port_in_use_with_a_clear_message():
    from studio_mock import StudioServer

    with StudioServer(port=0) as running:
        port = running.endpoint_url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "studio_mock", "serve", "--port", port],
            capture_output=True, text=True, timeout=60, env={**os.environ},
        )  # fmt: skip
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stdout
    assert "--port 0" in result.stdout
