"""What Studio shows: a user profile's Spaces page, or the console's Space management tab.

The listing comes from the ordinary API (ListSpaces, ListApps): a user's Studio UI
filters it to their own private spaces plus every shared space, while the API and the
console show every space to whoever may call them. That filter is a view, not an
access control; IAM does the controlling (see ``studio_mock.access``).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from typing import Any

import boto3

from .control import recent_openers
from .models.common import DEFAULT_INSTANCE_TYPE

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
APP_STATE = {
    "InService": "Running",
    "Pending": "Starting",
    "Deleting": "Stopping",
    "Failed": "Failed",
}


def identity_colour(name: str) -> str:
    return PALETTE[int(hashlib.md5(name.encode()).hexdigest(), 16) % len(PALETTE)]


@dataclass
class SpaceCard:
    name: str
    display_name: str
    app_type: str
    status: str  # Running, Starting, Stopping, Stopped, Failed
    instance_type: str
    sharing: str  # Private or Shared
    owner: str
    openers: list[str] = field(default_factory=list)

    @property
    def rtc(self) -> bool:
        """Shared JupyterLab spaces run with real-time collaboration on."""
        return self.sharing == "Shared" and self.app_type == "JupyterLab"


class StudioView:
    """``StudioView(domain_id, "ana")`` is ana's Spaces page; ``StudioView(domain_id)`` is
    the administrator's Space management tab. Displays itself in a notebook."""

    def __init__(
        self,
        domain_id: str,
        user_profile_name: str | None = None,
        client: Any = None,
        endpoint_url: str | None = None,
    ):
        self.domain_id = domain_id
        self.user_profile_name = user_profile_name
        self.endpoint_url = endpoint_url
        self.client = client or boto3.client("sagemaker", endpoint_url=endpoint_url)

    @property
    def title(self) -> str:
        if self.user_profile_name:
            return f"Studio: Spaces of {self.user_profile_name}"
        return f"Console: Space management ({self.domain_id})"

    def _all(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.client.get_paginator(operation).paginate(**kwargs)
        return [item for page in pages for item in page[key]]

    def spaces(self) -> list[SpaceCard]:
        spaces = self._all("list_spaces", "Spaces", DomainIdEquals=self.domain_id)
        apps = self._all("list_apps", "Apps", DomainIdEquals=self.domain_id)
        current = {
            a["SpaceName"]: a for a in apps if a.get("SpaceName") and a["Status"] != "Deleted"
        }
        me = (self.user_profile_name or "").lower()
        cards = []
        for space in spaces:
            sharing = space.get("SpaceSharingSettingsSummary", {}).get("SharingType", "Shared")
            owner = space.get("OwnershipSettingsSummary", {}).get("OwnerUserProfileName", "")
            if me and sharing == "Private" and owner.lower() != me:
                continue  # the Studio UI never lists another profile's private space
            app = current.get(space["SpaceName"])
            app_type = space.get("SpaceSettingsSummary", {}).get("AppType", "-")
            instance = (app or {}).get("ResourceSpec", {}).get("InstanceType")
            cards.append(
                SpaceCard(
                    name=space["SpaceName"],
                    display_name=space.get("SpaceDisplayName") or space["SpaceName"],
                    app_type=app_type,
                    status=APP_STATE.get(app["Status"], app["Status"]) if app else "Stopped",
                    instance_type=instance or self._configured_instance(space, app_type),
                    sharing=sharing,
                    owner=owner,
                    openers=recent_openers(
                        self.domain_id, space["SpaceName"], endpoint_url=self.endpoint_url
                    ),
                )
            )
        return cards

    def _configured_instance(self, space: dict[str, Any], app_type: str) -> str:
        described = self.client.describe_space(
            DomainId=self.domain_id, SpaceName=space["SpaceName"]
        )
        settings = described.get("SpaceSettings", {}).get(f"{app_type}AppSettings", {})
        return settings.get("DefaultResourceSpec", {}).get("InstanceType", DEFAULT_INSTANCE_TYPE)

    # ------------------------------------------------------------------ rendering
    def __str__(self) -> str:
        cards = self.spaces()
        lines = [self.title, "=" * len(self.title)]
        if not cards:
            lines.append("(no spaces)")
        for c in cards:
            badges = f"[{c.sharing}]" + (" [RTC]" if c.rtc else "")
            who = " ".join(f"({n[:1].upper()})" for n in c.openers)
            owner = f" owner={c.owner}" if not self.user_profile_name else ""
            lines.append(
                f"- {c.display_name:<22} {c.app_type:<11} {c.status:<9} {c.instance_type:<15} "
                f"{badges}{owner} {who}".rstrip()
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return _panel(self.title, self.spaces(), admin=self.user_profile_name is None)


def _badge(text: str, colour: str) -> str:
    return (
        f"<span style='background:{colour};color:#fff;border-radius:4px;padding:1px 6px;"
        f"font-size:11px;margin-right:4px'>{html.escape(text)}</span>"
    )


def _circle(name: str) -> str:
    return (
        f"<span title='{html.escape(name)}' style='display:inline-block;width:22px;height:22px;"
        f"border-radius:50%;background:{identity_colour(name)};color:#fff;text-align:center;"
        f"line-height:22px;font-weight:bold;font-size:12px;margin-right:2px'>"
        f"{html.escape(name[:1].upper())}</span>"
    )


def _panel(title: str, cards: list[SpaceCard], admin: bool) -> str:
    state_colour = {
        "Running": "#2e7d32",
        "Starting": "#f9a825",
        "Stopping": "#f9a825",
        "Stopped": "#757575",
        "Failed": "#c62828",
    }
    rows = []
    for c in cards:
        badges = _badge(c.sharing, "#455a64" if c.sharing == "Private" else "#1565c0")
        if c.rtc:
            badges += _badge("RTC", "#6a1b9a")
        owner = f"<td>{html.escape(c.owner or '-')}</td>" if admin else ""
        rows.append(
            f"<tr><td><b>{html.escape(c.display_name)}</b></td><td>{html.escape(c.app_type)}</td>"
            f"<td style='color:{state_colour.get(c.status, '#000')}'>● {c.status}</td>"
            f"<td>{html.escape(c.instance_type)}</td><td>{badges}</td>{owner}"
            f"<td>{''.join(_circle(n) for n in c.openers)}</td></tr>"
        )
    owner_head = "<th>Owner</th>" if admin else ""
    body = "".join(rows) or f"<tr><td colspan='{7 if admin else 6}'><i>No spaces</i></td></tr>"
    return (
        "<div class='studio-view' style='font-family:sans-serif;border:1px solid #ccc;"
        "border-radius:6px;padding:8px;margin:4px;flex:1'>"
        f"<div style='font-weight:bold;margin-bottom:6px'>{html.escape(title)}</div>"
        "<table style='border-collapse:collapse;font-size:13px'><thead><tr>"
        "<th>Name</th><th>App</th><th>Status</th><th>Instance</th><th>Badges</th>"
        f"{owner_head}<th>Active users</th></tr></thead><tbody>{body}</tbody></table></div>"
    )


class SideBySide:
    """Views next to each other: ``SideBySide(StudioView(d, "ana"), StudioView(d, "ben"))``."""

    def __init__(self, *views: StudioView):
        self.views = views

    def __str__(self) -> str:
        return "\n\n".join(str(v) for v in self.views)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        panels = "".join(
            _panel(v.title, v.spaces(), admin=v.user_profile_name is None) for v in self.views
        )
        return f"<div style='display:flex;gap:8px;flex-wrap:wrap'>{panels}</div>"
