"""CreatePresignedDomainUrl, and the record of who opened which space when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

from .. import rules
from ..access import Caller
from ..clock import clock
from ..exceptions import AccessDeniedException

if TYPE_CHECKING:
    from .backend import StudioBackend


@dataclass
class OpenedSession:
    """A presigned URL that was handed out: who opened which space, and until when."""

    domain_id: str
    user_profile_name: str
    space_name: str | None
    landing_uri: str | None
    opened_at: dt.datetime
    url_expires_at: dt.datetime
    expires_at: dt.datetime  # the session's end
    url: str


class PresignedUrlsMixin:
    sessions: list[OpenedSession]

    def create_presigned_domain_url(
        self: StudioBackend, params: dict[str, Any], caller: Caller | None
    ) -> OpenedSession:
        domain = self.get_domain(params["DomainId"])
        profile = self.get_user_profile(domain.id, params["UserProfileName"])
        self.check_access(caller, "CreatePresignedDomainUrl", profile.arn, profile)
        if domain.auth_mode != "IAM":
            raise rules.breach("presigned-url-iam-only", domain=domain.id)
        space_name = params.get("SpaceName")
        if space_name:
            space = self.get_space(domain.id, space_name)
            if space.private and (space.owner or "").lower() != profile.name.lower():
                # The URL signs in as this profile, whose policy cannot open another's
                # private space (course rule; see FACTS.md "UNCONFIRMED").
                raise AccessDeniedException(
                    f"User profile '{profile.name}' is not authorized to open space "
                    f"'{space.name}': it is a private space owned by '{space.owner}'. Only its "
                    "owner can open a private space; share work through a shared space instead."
                )
        now = clock.stamp()
        url_seconds = params.get("ExpiresInSeconds") or rules.default(
            "CreatePresignedDomainUrl", "ExpiresInSeconds"
        )
        session_seconds = params.get("SessionExpirationDurationInSeconds") or rules.default(
            "CreatePresignedDomainUrl", "SessionExpirationDurationInSeconds"
        )
        token = mock_random.get_random_string(length=40)
        session = OpenedSession(
            domain_id=domain.id,
            user_profile_name=profile.name,
            space_name=space_name,
            landing_uri=params.get("LandingUri"),
            opened_at=now,
            url_expires_at=now + dt.timedelta(seconds=url_seconds),
            expires_at=now + dt.timedelta(seconds=session_seconds),
            url=f"{domain.url}/auth?token={token}",
        )
        self.sessions.append(session)
        return session
