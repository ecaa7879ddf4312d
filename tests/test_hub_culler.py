"""The idle culler stops an idle learner's server (a 10-second timeout for the test), as
SageMaker's idle shutdown stops an idle space's app: the files stay, the server goes."""

from __future__ import annotations

import os
import time

import pytest
from hub_support import api_session, make_hub, processes_of, remove_hub, start_server

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes system accounts: root")


def test_an_idle_server_is_stopped_and_its_files_stay():
    hub = make_hub(["ida,learner,"], idle_timeout=10, cull_every=3)
    try:
        api = api_session(hub, "ida")
        started = time.monotonic()
        start_server(hub, api, "ida")
        assert processes_of(["ida"]), "ida's server should be running"
        (hub.state.home("ida") / "labs").stat()  # the labs were pulled into her folder
        while time.monotonic() - started < 90:
            server = api.get(f"{hub.url}/hub/api/users/ida", timeout=10).json()["servers"]
            if not server:
                break
            time.sleep(1)
        waited = time.monotonic() - started
        assert not server, "the idle culler did not stop ida's server within 90 s"
        # never before the timeout; soon after it (one check every 3 s, and the stop)
        assert 10 <= waited <= 45, f"stopped {waited:.0f} s after the start (timeout 10 s)"
        time.sleep(1)
        assert processes_of(["ida"]) == [], "the culled server left processes behind"
        assert (hub.state.home("ida") / "labs" / "spaces" / "spaces.ipynb").exists()
        culler_log = (hub.state.hub / "hub.log").read_text()
        assert "Culling server ida" in culler_log or "Culling server" in culler_log
    finally:
        remove_hub(hub, ["ida"])
