"""The Studio control plane's models, kept beside moto's own SageMaker backend."""

from __future__ import annotations

import datetime as dt

from moto.sagemaker.models import sagemaker_backends

from ..clock import clock
from .backend import StudioBackend


def studio_backend(account_id: str, region: str) -> StudioBackend:
    """The Studio backend of one account and Region (created on first use).

    It is an attribute of moto's SageMaker backend, so it is reset together with it.
    """
    moto_backend = sagemaker_backends[account_id][region]
    backend = moto_backend.__dict__.get("studio")
    if backend is None:
        backend = moto_backend.studio = StudioBackend(account_id, region)
    return backend


def all_studio_backends() -> list[StudioBackend]:
    found = []
    for regions in sagemaker_backends.values():
        for region in regions:
            backend = regions[region].__dict__.get("studio")
            if backend is not None:
                found.append(backend)
    return found


def _next_change(now: dt.datetime) -> dt.datetime | None:
    moments = [m for b in all_studio_backends() if (m := b.next_change(now)) is not None]
    return min(moments, default=None)


clock.on_schedule(_next_change)  # the clock stops wherever a Studio status changes

__all__ = ["StudioBackend", "all_studio_backends", "studio_backend"]
