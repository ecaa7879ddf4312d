"""A cost meter on the simulated clock.

Each time the clock advances, whatever exists at that moment accrues charges for the
elapsed time: running Studio apps, space EBS volumes, SageMaker endpoints, EMR clusters,
S3 storage and EFS file systems holding data, made in the mock. Nothing accrues while
the clock stands still.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

from . import prices
from .clock import clock
from .models import all_studio_backends

GB = 1024**3


@dataclass
class LineItem:
    kind: str  # "Studio app", "Space storage", "Endpoint", "EMR cluster", "S3 storage"...
    name: str
    detail: str
    hourly: float | None  # None: no price in the table, so not counted
    region: str = ""
    accrued: float = 0.0
    billing: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "detail": self.detail,
            "hourly": self.hourly,
            "accrued": self.accrued,
            "billing": self.billing,
            "region": self.region,
        }


@dataclass
class CostReport:
    """What the account has cost so far on the simulated clock, and what still bills."""

    elapsed_hours: float
    items: list[LineItem] = field(default_factory=list)

    @property
    def billing(self) -> list[LineItem]:
        return [item for item in self.items if item.billing]

    @property
    def total(self) -> float:
        return sum(item.accrued for item in self.items)

    @property
    def hourly(self) -> float:
        return sum(item.hourly or 0 for item in self.billing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "elapsed_hours": self.elapsed_hours,
            "total": self.total,
            "hourly": self.hourly,
            "items": [item.as_dict() for item in self.items],
            "prices_as_of": prices.PRICES_AS_OF,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CostReport:
        items = [
            LineItem(**{k: v for k, v in item.items() if k in LineItem.__dataclass_fields__})
            for item in data["items"]
        ]
        return cls(data["elapsed_hours"], items)

    def __str__(self) -> str:
        lines = [
            f"Simulated time: {self.elapsed_hours:g} h   accrued: ${self.total:,.2f}   "
            f"still billing: ${self.hourly:,.4f}/h",
            f"{'':2}{'kind':<14}{'name':<28}{'detail':<26}{'$/hour':>9}{'accrued':>10}",
        ]
        for item in self.items:
            mark = "*" if item.billing else " "
            rate = "unpriced" if item.hourly is None else f"{item.hourly:.4f}"
            lines.append(
                f"{mark:2}{item.kind:<14}{item.name[:27]:<28}{item.detail[:25]:<26}"
                f"{rate:>9}{item.accrued:>10.2f}"
            )
        lines.append(f"* still billing. Prices: {prices.PRICES_AS_OF}.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr style='{'' if i.billing else 'color:#888'}'><td>{'●' if i.billing else '○'}</td>"
            f"<td>{html.escape(i.kind)}</td><td>{html.escape(i.name)}</td>"
            f"<td>{html.escape(i.detail)}</td>"
            f"<td style='text-align:right'>{'—' if i.hourly is None else f'{i.hourly:.4f}'}</td>"
            f"<td style='text-align:right'>{i.accrued:.2f}</td></tr>"
            for i in self.items
        )
        return (
            "<div class='studio-cost'><p><b>Simulated time:</b> "
            f"{self.elapsed_hours:g} h &nbsp; <b>Accrued:</b> ${self.total:,.2f} &nbsp; "
            f"<b>Still billing:</b> ${self.hourly:,.4f}/h</p>"
            "<table><thead><tr><th></th><th>Kind</th><th>Name</th><th>Detail</th>"
            "<th>$/hour</th><th>Accrued $</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p><small>● still billing. Prices approximate: {prices.PRICES_AS_OF}.</small></p>"
            "</div>"
        )


class CostMeter:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], LineItem] = {}
        clock.on_advance(self.accrue)

    def reset(self) -> None:
        self.items.clear()

    def accrue(self, start: dt.datetime, end: dt.datetime) -> None:
        hours = (end - start).total_seconds() / 3600
        for item in self.items.values():
            item.billing = False
        for item in current_charges():
            key = (item.kind, item.region, item.name)
            known = self.items.setdefault(key, item)
            known.hourly, known.detail, known.billing = item.hourly, item.detail, True
            known.accrued += (item.hourly or 0) * hours

    def report(self) -> CostReport:
        for item in self.items.values():
            item.billing = False
        for item in current_charges():
            key = (item.kind, item.region, item.name)
            known = self.items.setdefault(key, item)
            known.hourly, known.detail, known.billing = item.hourly, item.detail, True
        ordered = sorted(self.items.values(), key=lambda i: (not i.billing, i.kind, i.name))
        return CostReport(clock.elapsed.total_seconds() / 3600, ordered)


def current_charges() -> list[LineItem]:
    """Everything in the mock that bills right now, with its hourly rate."""
    return _studio_charges() + _endpoint_charges() + _emr_charges() + _s3_charges() + _efs_charges()


def _studio_charges() -> list[LineItem]:
    found = []
    for backend in all_studio_backends():
        for app in backend.apps.values():
            if not app.running:
                continue
            instance = app.resource_spec.get("InstanceType", "")
            rate = (
                prices.CANVAS_SESSION_HOURLY
                if app.app_type == "Canvas"
                else prices.STUDIO_INSTANCE_HOURLY.get(instance)
            )
            owner = app.space_name or app.user_profile_name
            detail = (
                "Canvas workspace session"
                if app.app_type == "Canvas"
                else f"{app.app_type} on {instance or 'no instance type'}"
            )
            found.append(
                LineItem(
                    "Studio app",
                    f"{app.domain_id}/{owner}/{app.app_type}/{app.name}",
                    detail,
                    rate,
                    backend.region,
                )
            )
        for space in backend.spaces.values():
            size = space.volume.size_gb
            found.append(
                LineItem(
                    "Space storage",
                    f"{space.domain_id}/{space.name}",
                    f"EBS {size} GB",
                    size * prices.SPACE_EBS_GB_MONTH / prices.HOURS_PER_MONTH,
                    backend.region,
                )
            )
    return found


def _endpoint_charges() -> list[LineItem]:
    from moto.sagemaker.models import sagemaker_backends

    found = []
    for regions in sagemaker_backends.values():
        for region, backend in regions.items():
            for endpoint in backend.endpoints.values():
                config = backend.endpoint_configs.get(endpoint.endpoint_config_name)
                variants = config.production_variants if config else []
                rate, details = 0.0, []
                for variant in variants:
                    count = variant.get("InitialInstanceCount", 1)
                    instance = variant.get("InstanceType", "serverless")
                    price = prices.ENDPOINT_INSTANCE_HOURLY.get(instance)
                    rate = None if price is None or rate is None else rate + price * count
                    details.append(f"{count} x {instance}")
                found.append(
                    LineItem("Endpoint", endpoint.endpoint_name, ", ".join(details), rate, region)
                )
    return found


def _emr_charges() -> list[LineItem]:
    from moto.emr.models import emr_backends

    found = []
    for regions in emr_backends.values():
        for region, backend in regions.items():
            for cluster in backend.clusters.values():
                if cluster.state in ("TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"):
                    continue
                rate, details = 0.0, []
                for group in cluster.instance_groups:
                    price = prices.EMR_INSTANCE_HOURLY.get(group.instance_type)
                    rate = (
                        None
                        if price is None or rate is None
                        else rate + price * group.num_instances
                    )
                    details.append(f"{group.num_instances} x {group.instance_type}")
                found.append(
                    LineItem(
                        "EMR cluster",
                        f"{cluster.id} ({cluster.name})",
                        ", ".join(details),
                        rate,
                        region,
                    )
                )
    return found


def _s3_charges() -> list[LineItem]:
    from moto.s3.models import s3_backends

    found = []
    for regions in s3_backends.values():
        for partition, backend in regions.items():
            if partition != "aws":
                continue
            for bucket in backend.buckets.values():
                size = sum(key.size for key in bucket.keys.values() if hasattr(key, "size"))
                found.append(
                    LineItem(
                        "S3 storage",
                        bucket.name,
                        f"{size:,} bytes",
                        size / GB * prices.S3_STANDARD_GB_MONTH / prices.HOURS_PER_MONTH,
                        bucket.region_name,
                    )
                )
    return found


def _efs_charges() -> list[LineItem]:
    """EFS file systems bill for what they store; an empty one is left out (it costs
    nothing worth a line), so every domain's fresh home EFS does not crowd the report."""
    from moto.efs.models import efs_backends

    from .models import aws_services

    found = []
    for account_id, regions in efs_backends.items():
        for region in regions:
            for fs_id, size in aws_services.efs_sizes(account_id, region).items():
                if size <= 0:
                    continue
                found.append(
                    LineItem(
                        "EFS storage",
                        fs_id,
                        f"{size / GB:,.1f} GB Standard"
                        if size >= GB / 10
                        else f"{size:,} bytes Standard",
                        size / GB * prices.EFS_STANDARD_GB_MONTH / prices.HOURS_PER_MONTH,
                        region,
                    )
                )
    return found


meter = CostMeter()
