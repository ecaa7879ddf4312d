"""Named users for a local JupyterLab: each user has a token of their own.

jupyter_server's default identity gives every token holder an anonymous random name;
to show "ana" and "ben" (their identity circles, their cursors) each link carries a
token that names its user. The user is then remembered in the login cookie.
"""

from __future__ import annotations

from jupyter_server.auth.identity import IdentityProvider, User
from traitlets import Dict

# JupyterLab's own collaborator colours, one per user in turn
COLOURS = [f"var(--jp-collaborator-color{i})" for i in range(1, 8)]


class NamedTokenIdentityProvider(IdentityProvider):
    users = Dict(
        key_trait=None,
        value_trait=None,
        config=True,
        help="token -> user name; a request carrying one of these tokens is that user",
    )

    async def get_user_token(self, handler):  # type: ignore[override]
        token = self.get_token(handler)
        if token and token in self.users:
            return self.named_user(self.users[token])
        return await super().get_user_token(handler)

    def named_user(self, username: str) -> User:
        index = sorted(set(self.users.values())).index(username)
        return User(
            username=username,
            name=username.title(),
            display_name=username.title(),
            initials=username[:1].upper(),
            color=COLOURS[index % len(COLOURS)],
        )
