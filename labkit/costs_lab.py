"""The costs lab's variant: one learner's names, endpoint configs, clusters, hours and the
project they wrap up.

Everything the checks compare against is regenerated here from the learner's student id
(``labkit.rng("costs")``), with prices from the mock's own tables
(:mod:`studio_mock.prices`), never read from notebook variables a learner could have
changed. The one thing that cannot be regenerated, the identity of what exercise 4 must
keep, is recorded by :func:`make_project` and kept across reloads of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from studio_mock import prices
from studio_mock.cost import CostReport, LineItem

from . import PEOPLE, PROJECTS, rng

LAB = "costs"
ROLE = "arn:aws:iam::123456789012:role/StudioExecutionRole"
MODEL_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{topic}-model:1"
HOURS_PER_MONTH = prices.HOURS_PER_MONTH

_PHASES = ("pilot", "poc", "trial", "spike", "beta", "study")
_APP_WORDS = ("live", "prod", "app", "serving")
_STAGING_WORDS = ("staging", "preview", "test", "canary")
_OLD_WORDS = ("old", "previous", "experiment", "bench")
_FILES = ("draft.py", "notes.md", "eda.ipynb", "plots.py", "query.sql", "todo.txt")
# Endpoint instance types (ml.t3 cannot host endpoints), and GPU or large ones for the
# endpoint that a project forgot.
_ENDPOINT_TYPES = ("ml.t2.large", "ml.m5.large", "ml.m5.xlarge", "ml.c5.large", "ml.c5.xlarge")
_BIG_TYPES = ("ml.g4dn.xlarge", "ml.m5.xlarge", "ml.c5.xlarge")
_EMR_TYPES = tuple(sorted(prices.EMR_INSTANCE_HOURLY))

Variants = tuple[tuple[str, str, int], ...]  # (VariantName, InstanceType, InitialInstanceCount)


def hourly(variants: Variants) -> float:
    """What an endpoint with these production variants bills an hour."""
    return sum(prices.ENDPOINT_INSTANCE_HOURLY[t] * n for _, t, n in variants)


def monthly(variants: Variants) -> float:
    """Exercise 3's answer for an endpoint with these production variants."""
    return hourly(variants) * HOURS_PER_MONTH


def production_variants(model: str, variants: Variants) -> list[dict[str, Any]]:
    return [
        {"VariantName": name, "ModelName": model, "InstanceType": t, "InitialInstanceCount": n}
        for name, t, n in variants
    ]


@dataclass(frozen=True)
class Project:
    """Exercise 4: what a finished project left behind, and what the team still needs."""

    name: str
    space: str
    volume_gb: int
    app_endpoint: str  # the team's app calls it: it stays, as it is
    app_model: str
    app_variants: Variants
    staging_endpoint: str  # a copy of the app on the same model: no longer used
    staging_variants: Variants
    old_endpoint: str  # an earlier model on a big instance: no longer used
    old_model: str
    old_variants: Variants
    cluster: str  # an EMR cluster kept alive: the ETL is done
    core_type: str
    core_count: int
    bucket: str  # scratch data: no longer needed
    hours: int  # how long it has all been running when the lab shows it

    def config(self, endpoint: str) -> str:
        return f"{endpoint}-config"

    @property
    def endpoints(self) -> dict[str, tuple[str, Variants]]:
        """Each endpoint's model and production variants."""
        return {
            self.app_endpoint: (self.app_model, self.app_variants),
            self.staging_endpoint: (self.app_model, self.staging_variants),
            self.old_endpoint: (self.old_model, self.old_variants),
        }

    @property
    def volume_monthly(self) -> float:
        return self.volume_gb * prices.SPACE_EBS_GB_MONTH

    @property
    def month_after(self) -> float:
        """Exercise 4's answer: what the project costs a month once exactly what is not
        needed is gone: the app's endpoint, and the stopped space's volume."""
        return monthly(self.app_variants) + self.volume_monthly

    @property
    def month_before(self) -> float:
        """What it costs a month if nobody deletes anything (the bucket's few kilobytes
        round to nothing)."""
        emr = prices.EMR_INSTANCE_HOURLY
        cluster = emr["m5.xlarge"] + emr[self.core_type] * self.core_count
        endpoints = sum(monthly(variants) for _, variants in self.endpoints.values())
        return endpoints + cluster * HOURS_PER_MONTH + self.volume_monthly


@dataclass(frozen=True)
class Variant:
    """One learner's costs lab."""

    student: str
    owner: str  # sections 1-3: makes a space and resources from it
    colleague: str  # exercise 1's space
    topic: str
    run_hours: int  # section 1: the space runs this long
    leftover_hours: int  # section 2
    night_hours: int  # section 3: the space is stopped this long
    endpoint_variants: Variants  # section 2's endpoint: exercise 3's visible check
    emr_core_type: str
    emr_core_count: int
    data_kb: int  # section 2's S3 object
    # exercise 1: a running space of the colleague's
    stop_space: str
    stop_app_type: str
    stop_file: str
    # exercise 2: a made-up report (kind, name, detail, hourly, billing)
    made_up: tuple[tuple[str, str, str, float, bool], ...]
    # exercise 3: a second endpoint the hidden check prices
    check_variants: Variants
    project: Project

    @property
    def work_space(self) -> str:
        return f"{self.owner}-{self.topic}"

    @property
    def endpoint(self) -> str:
        return f"{self.topic}-endpoint"

    @property
    def endpoint_config(self) -> str:
        return f"{self.topic}-config"

    @property
    def model(self) -> str:
        return f"{self.topic}-model"

    @property
    def cluster_name(self) -> str:
        return f"{self.topic}-etl"

    @property
    def bucket(self) -> str:
        return f"{self.owner}-{self.topic}-data"

    @property
    def image(self) -> str:
        return MODEL_IMAGE.format(topic=self.topic)

    @property
    def endpoint_monthly(self) -> float:
        return monthly(self.endpoint_variants)

    @property
    def check_monthly(self) -> float:
        return monthly(self.check_variants)

    def made_up_report(self) -> CostReport:
        items = [
            LineItem(kind, name, detail, rate, accrued=round(rate * 100, 2), billing=billing)
            for kind, name, detail, rate, billing in self.made_up
        ]
        return CostReport(elapsed_hours=100, items=items)

    @property
    def made_up_answer(self) -> list[tuple[str, str, float]]:
        """Exercise 2's answer for the made-up report."""
        rows = [(kind, name, rate) for kind, name, _, rate, billing in self.made_up if billing]
        return sorted(rows, key=lambda row: row[2], reverse=True)


def _variants(r, names: tuple[str, ...], types: tuple[str, ...], most: int) -> Variants:
    return tuple((name, r.choice(types), r.randint(1, most)) for name in names)


def _made_up(r, owner: str, colleague: str, topic: str) -> tuple:
    """A report of five items with distinct prices: the dearest has stopped billing."""
    while True:
        stopped = r.choice(("ml.g4dn.xlarge", "ml.g5.xlarge"))
        gpu = r.choice(("ml.g4dn.xlarge", "ml.m5.xlarge", "ml.c5.xlarge"))
        endpoint_count = r.randint(1, 3)
        core = r.choice(_EMR_TYPES)
        core_count = r.randint(1, 4)
        gb = r.randint(5, 80)
        size = r.randint(2, 900) * 1_000_000
        items = (
            (
                "Studio app",
                f"d-1/{colleague}-old/JupyterLab/default",
                f"JupyterLab on {stopped}",
                prices.STUDIO_INSTANCE_HOURLY[stopped],
                False,
            ),
            (
                "Space storage",
                f"d-1/{colleague}-old",
                f"EBS {gb} GB",
                round(gb * prices.SPACE_EBS_GB_MONTH / HOURS_PER_MONTH, 6),
                True,
            ),
            (
                "Endpoint",
                f"{topic}-forgotten",
                f"{endpoint_count} x {gpu}",
                round(prices.ENDPOINT_INSTANCE_HOURLY[gpu] * endpoint_count, 6),
                True,
            ),
            (
                "S3 storage",
                f"{owner}-{topic}-archive",
                f"{size:,} bytes",
                round(size / 1024**3 * prices.S3_STANDARD_GB_MONTH / HOURS_PER_MONTH, 8),
                True,
            ),
            (
                "EMR cluster",
                f"j-{r.randint(10**11, 10**12 - 1)} ({topic}-etl)",
                f"{core_count} x {core}",
                round(prices.EMR_INSTANCE_HOURLY[core] * core_count, 6),
                True,
            ),
        )
        rates = [rate for _, _, _, rate, _ in items]
        dearest = max(items, key=lambda item: item[3])
        if len(set(rates)) == len(rates) and not dearest[4]:
            shuffled = list(items)
            r.shuffle(shuffled)
            return tuple(shuffled)


def _project(r, owner: str, topic: str) -> Project:
    name = f"{topic}-{r.choice(_PHASES)}"
    app_word, staging_word, old_word = (
        r.choice(_APP_WORDS),
        r.choice(_STAGING_WORDS),
        r.choice(_OLD_WORDS),
    )
    new, old = r.sample(range(2, 9), 2)
    blue_green = r.random() < 0.5
    app_variants = _variants(
        r, ("blue", "green") if blue_green else ("AllTraffic",), _ENDPOINT_TYPES, 3
    )
    return Project(
        name=name,
        space=f"{owner}-{name}",
        volume_gb=r.randint(5, 60),
        app_endpoint=f"{name}-{app_word}",
        app_model=f"{name}-model-v{new}",
        app_variants=app_variants,
        staging_endpoint=f"{name}-{staging_word}",
        staging_variants=(("AllTraffic", r.choice(_ENDPOINT_TYPES), 1),),
        old_endpoint=f"{name}-{old_word}",
        old_model=f"{name}-model-v{old}",
        old_variants=(("AllTraffic", r.choice(_BIG_TYPES), r.randint(1, 2)),),
        cluster=f"{name}-etl",
        core_type=r.choice(_EMR_TYPES),
        core_count=r.randint(2, 5),
        bucket=f"{owner}-{name}-scratch",
        hours=r.randint(48, 240),
    )


def variant(student: str | None = None) -> Variant:
    """This learner's lab (the current student id unless ``student`` is given)."""
    r = rng(LAB, student)
    owner, colleague = r.sample(PEOPLE, 2)
    topic, stop_topic, project_topic = r.sample(PROJECTS, 3)
    endpoint_variants = _variants(
        r, ("AllTraffic",) if r.random() < 0.5 else ("blue", "green"), _ENDPOINT_TYPES, 2
    )
    while True:  # two variants, at least one with more than one instance
        check_variants = _variants(r, ("primary", "shadow"), _ENDPOINT_TYPES, 3)
        (_, first, _), (_, second, _) = check_variants
        if any(n > 1 for _, _, n in check_variants) and first != second:
            break
    return Variant(
        student=student or _current(),
        owner=owner,
        colleague=colleague,
        topic=topic,
        run_hours=r.randint(4, 10),
        leftover_hours=r.randint(1, 3),
        night_hours=r.randint(12, 40),
        endpoint_variants=endpoint_variants,
        emr_core_type=r.choice(_EMR_TYPES),
        emr_core_count=r.randint(2, 4),
        data_kb=r.randint(100, 900),
        stop_space=f"{colleague}-{stop_topic}",
        stop_app_type=r.choice(("JupyterLab", "CodeEditor")),
        stop_file=r.choice(_FILES),
        made_up=_made_up(r, owner, colleague, topic),
        check_variants=check_variants,
        project=_project(r, owner, project_topic),
    )


def _current() -> str:
    from . import student_id

    return student_id()


# --- exercise 4: the project's leftovers, and the identity of what must stay -----------

# (domain id, project) -> CreationTime of the app's endpoint, its config and its model, as
# made. Kept across importlib.reload, so that checks can reload the lab's code.
_MADE: dict[tuple[str, str], tuple[Any, Any, Any]] = globals().get("_MADE", {})


def make_project(sm, emr, s3, domain_id: str, v: Variant) -> dict[str, str]:
    """Exercise 4's starting point: what the project left, all billing. Returns the
    names a learner works with."""
    p = v.project
    sm.create_space(
        DomainId=domain_id,
        SpaceName=p.space,
        OwnershipSettings={"OwnerUserProfileName": v.owner},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={
            "AppType": "JupyterLab",
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": p.volume_gb}},
        },
    )
    for model in (p.app_model, p.old_model):
        sm.create_model(
            ModelName=model,
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": MODEL_IMAGE.format(topic=p.name.split("-")[0])},
        )
    for endpoint, (model, variants) in p.endpoints.items():
        sm.create_endpoint_config(
            EndpointConfigName=p.config(endpoint),
            ProductionVariants=production_variants(model, variants),
        )
        sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=p.config(endpoint))
    cluster_id = emr.run_job_flow(
        Name=p.cluster,
        ReleaseLabel="emr-7.0.0",
        Instances={
            "MasterInstanceType": "m5.xlarge",
            "SlaveInstanceType": p.core_type,
            "InstanceCount": 1 + p.core_count,
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
    )["JobFlowId"]
    s3.create_bucket(Bucket=p.bucket)
    for key in ("raw/part-0.csv", "raw/part-1.csv", "features/train.parquet"):
        s3.put_object(Bucket=p.bucket, Key=key, Body=b"row\n" * 2000)
    _MADE.setdefault((domain_id, p.name), _identity(sm, p))
    return {"space": p.space, "cluster": cluster_id, "bucket": p.bucket}


def _identity(sm, p: Project) -> tuple[Any, Any, Any]:
    return (
        sm.describe_endpoint(EndpointName=p.app_endpoint)["CreationTime"],
        sm.describe_endpoint_config(EndpointConfigName=p.config(p.app_endpoint))["CreationTime"],
        sm.describe_model(ModelName=p.app_model)["CreationTime"],
    )


def same_app(sm, domain_id: str, p: Project) -> str | None:
    """None if the app's endpoint, config and model are still the ones
    :func:`make_project` made; otherwise what shows they were made again."""
    made = _MADE.get((domain_id, p.name))
    if made is None:
        return f"the lab's setup never made {p.name}: run the cell that makes the project"
    try:
        now = _identity(sm, p)
    except ClientError as error:
        return f"a part of it is gone ({error.response['Error']['Message']})"
    kinds = ("endpoint", "endpoint config", "model")
    for what, before, after in zip(kinds, made, now, strict=True):
        if before != after:
            return (
                f"the app's {what} was made again (created {after:%H:%M:%S}, not "
                f"{before:%H:%M:%S}): the app was down in between. Keep what the app uses; "
                "to start again, restart the kernel and run the lab from the top"
            )
    return None
