"""Sign-in for roster users only, with the passwords the set-up issued.

There is no sign-up page: a name that is not on the roster, or a wrong password, gets
the same "Invalid username or password" as JupyterHub's other authenticators.
"""

from __future__ import annotations

import json
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Unicode

from .state import check_password


class RosterAuthenticator(Authenticator):
    passwords_file = Unicode(config=True, help="JSON file: username -> scrypt hash")

    async def authenticate(self, handler, data):  # type: ignore[override]
        username = (data.get("username") or "").strip().lower()
        password = data.get("password") or ""
        try:
            stored = json.loads(Path(self.passwords_file).read_text()).get(username)
        except (OSError, ValueError):
            self.log.error("cannot read the password file %s", self.passwords_file)
            return None
        if stored and check_password(password, stored):
            return username
        self.log.warning("failed sign-in for %r", username)
        return None
