"""The three defects issue 10 found by reading the code, each pinned by a test that failed
before its fix."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

from studio_mock import StudioServer, StudioView


def test_a_server_whose_own_environment_points_at_itself_still_answers(monkeypatch):
    """``serve`` prints ``export AWS_ENDPOINT_URL=...``; with that in the server's own
    environment its /_studio/ routes used to call themselves and never return."""
    with StudioServer(port=0, timing_mode="instant") as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint_url)
        for route, payload in (("clock/advance", {"hours": 1}), ("cost", {}), ("reset", {})):
            request = urllib.request.Request(
                f"{server.endpoint_url}/_studio/{route}",
                data=json.dumps(payload).encode(),
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200, route


def test_a_profile_cannot_be_deleted_under_an_app_created_with_its_name_in_other_case(
    sm, domain_id
):
    """Profiles are case-insensitive; apps were keyed by the name as typed, so deleting
    "ana" went through while an app of "ANA" was InService."""
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    key = {"DomainId": domain_id, "AppType": "Canvas", "AppName": "default"}
    sm.create_app(**key, UserProfileName="ANA")
    described = sm.describe_app(**key, UserProfileName="Ana")
    assert described["UserProfileName"] == "ana" and described["Status"] == "InService"
    listed = sm.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="ANA")["Apps"]
    assert [a["UserProfileName"] for a in listed] == ["ana"]
    with pytest.raises(ClientError) as refused:
        sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    code, message = error_of(refused)
    assert code == "ResourceInUse" and "Canvas/default" in message
    with pytest.raises(ClientError) as taken:
        sm.create_app(**key, UserProfileName="ana")
    assert error_of(taken)[0] == "ResourceInUse"


def test_drawing_the_studio_view_does_not_move_statuses(realistic, sm, domain_id, make_space):
    """The view calls DescribeSpace; under stepped progression each Describe moved a status,
    so merely looking at Studio changed what it showed."""
    make_space("lab", owner="ana")
    make_space("idle", owner="ana")
    sm.update_space(DomainId=domain_id, SpaceName="idle", SpaceDisplayName="Idle one")
    key = {"DomainId": domain_id, "SpaceName": "lab", "AppType": "JupyterLab", "AppName": "default"}
    sm.create_app(**key)
    view = StudioView(domain_id, "ana", client=sm, endpoint_url=realistic.endpoint_url)
    for _ in range(3):
        drawn = {card.name: card.status for card in view.spaces()}
        str(view)
    assert drawn == {"lab": "Starting", "idle": "Stopped"}
    assert sm.describe_app(**key)["Status"] == "Pending"
    assert sm.describe_space(DomainId=domain_id, SpaceName="idle")["Status"] == "Updating"


def test_a_server_stopped_in_a_test_session_gives_the_session_its_timing_back(server):
    """A second in-process server (`serve`'s tests start one, realistic by default) set the
    process's timing and left it so: the session's instant server then reset to realistic,
    and tests that ran after it on the same worker saw apps Pending."""
    from studio_mock.timing import timing

    before = (timing.default, timing.mode)
    other = "realistic" if before[0] != "realistic" else "instant"
    with StudioServer(port=0, timing_mode=other):
        assert timing.default == other
    assert (timing.default, timing.mode) == before
    _reset = urllib.request.Request(
        f"{server.endpoint_url}/_studio/reset", data=b"{}", method="POST"
    )
    urllib.request.urlopen(_reset, timeout=10).close()
    assert timing.mode == before[0]  # a reset of the session's server returns to its own
