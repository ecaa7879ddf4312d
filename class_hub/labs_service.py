"""A JupyterHub service that serves the labs repository, read-only, over git's dumb HTTP.

The hub starts it (``python -m class_hub.labs_service REPO``) on 127.0.0.1 and its proxy
routes ``/services/course/`` to it; ``/services/course/labs/...`` maps onto the bare
repository's files. Nothing else is served; no request can leave the repository folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class LabsHandler(SimpleHTTPRequestHandler):
    prefix = "/services/course/labs/"

    def send_head(self):  # type: ignore[override]
        if not urlsplit(self.path).path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix) :])

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(404)  # files only, as git asks for them

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        return None


def main(argv: list[str]) -> None:
    repo = argv[0]
    url = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:0"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/course/")
    handler = type("Handler", (LabsHandler,), {"prefix": prefix.rstrip("/") + "/labs/"})
    server = ThreadingHTTPServer(("127.0.0.1", url.port or 0), partial(handler, directory=repo))
    with contextlib.suppress(KeyboardInterrupt):  # the hub stops its services with SIGINT
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
