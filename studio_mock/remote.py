"""The HTTP client for a ``python -m studio_mock serve`` server's mock-only routes
(``/_studio/...``). It only moves JSON; ``studio_mock.control`` decides what to send."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any


def server_url(endpoint_url: str | None) -> str | None:
    """The server to talk to: the one named, else the one ``AWS_ENDPOINT_URL`` points at."""
    return endpoint_url or os.environ.get("AWS_ENDPOINT_URL")


def call(endpoint_url: str, route: str, payload: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{endpoint_url.rstrip('/')}/_studio/{route}",
        data=json.dumps(payload or {}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as err:
        detail = json.loads(err.read() or b"{}").get("error", err.reason)
        raise RuntimeError(f"studio_mock server at {endpoint_url}: {detail}") from err
