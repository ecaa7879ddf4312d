"""A lab's checks remove the scratch resources they make (named check-...), so that a
learner's later listings show only their own: each solution runs in one kernel and an
extra last cell lists what the mock still holds."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.config import REPO

LABS = ["domains", "apps", "storage", "images", "costs"]

# Run just before the lab's teardown; prints every name the listings show, by kind.
LISTINGS = """
import json as _json

import boto3 as _boto3


def _names(client, operation, items, key, **kwargs):
    pages = _boto3.client(client).get_paginator(operation).paginate(**kwargs)
    return [item[key] for page in pages for item in page[items]]


print(_json.dumps({
    "domains": _names("sagemaker", "list_domains", "Domains", "DomainName"),
    "spaces": _names("sagemaker", "list_spaces", "Spaces", "SpaceName"),
    "clusters": _names("sagemaker", "list_clusters", "ClusterSummaries", "ClusterName"),
    "endpoints": _names("sagemaker", "list_endpoints", "Endpoints", "EndpointName"),
    "endpoint configs": _names(
        "sagemaker", "list_endpoint_configs", "EndpointConfigs", "EndpointConfigName"
    ),
    "models": _names("sagemaker", "list_models", "Models", "ModelName"),
    "images": _names("sagemaker", "list_images", "Images", "ImageName"),
    "app image configs": _names(
        "sagemaker", "list_app_image_configs", "AppImageConfigs", "AppImageConfigName"
    ),
    "ECR repositories": _names("ecr", "describe_repositories", "repositories", "repositoryName"),
    "EFS file systems": _names("efs", "describe_file_systems", "FileSystems", "CreationToken"),
}))
"""


@pytest.mark.parametrize("lab", LABS)
def test_checks_leave_no_scratch_resources(lab, tmp_path):
    nb = nbformat.read(REPO / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    teardown = next(
        i
        for i, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "teardown"
    )
    nb.cells.insert(teardown, nbformat.v4.new_code_cell(LISTINGS))
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()

    printed = [
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    ]
    notes = [line for text in printed for line in text.splitlines() if "could not remove" in line]
    assert not notes, f"{lab}: a check's clean-up failed: {notes}"
    listing = "".join(o.get("text", "") for o in nb.cells[teardown].outputs)
    listed = json.loads(listing.strip().splitlines()[-1])
    left = {kind: [n for n in names if n.startswith("check-")] for kind, names in listed.items()}
    left = {kind: names for kind, names in left.items() if names}
    assert not left, f"{lab}: the checks leave {left} in the learner's listings"


def test_a_failed_check_shows_its_own_message_when_its_clean_up_fails_too(tmp_path):
    """The learner sees why the answer is wrong, not why a removal failed after it."""
    nb = nbformat.read(REPO / "solutions" / "domains" / "domains.ipynb", as_version=4)
    ids = [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in nb.cells]
    check = ids.index("test-effective-role")
    nb.cells[
        ids.index("effective-role")
    ].source = "def effective_execution_role(sm, domain_id, profile_name):\n    return 'arn:wrong'"
    refuse_deletes = (
        "def _refuse(**kwargs):\n"
        "    error = {'Error': {'Code': 'ThrottlingException', 'Message': 'Rate exceeded'}}\n"
        "    raise ClientError(error, 'DeleteDomain')\n\n\n"
        "sm.delete_domain = _refuse"
    )
    nb.cells = [*nb.cells[:check], nbformat.v4.new_code_cell(refuse_deletes), nb.cells[check]]
    NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    outputs = nb.cells[-1].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["AssertionError"], errors
    assert "runs with the domain's ROLE; got 'arn:wrong'" in errors[0].evalue
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "could not remove domain" in printed and "Rate exceeded" in printed, printed
