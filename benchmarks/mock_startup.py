"""How much the Studio extension adds to moto's start-up, and how fast a warm call is.

Prints medians over fresh processes of: import + start the mock + first SageMaker call,
for moto alone and for studio_mock, and their ratio (goal: <= 1.10); then the median
time of a warm DescribeSpace call in-process (goal: <= 5 ms).

    .venv/bin/python benchmarks/mock_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

MOTO_ALONE = """
import time; t0 = time.perf_counter()
import boto3
from moto import mock_aws
with mock_aws():
    boto3.client("sagemaker", region_name="us-east-1").list_domains()
print(time.perf_counter() - t0)
"""

WITH_STUDIO = """
import time; t0 = time.perf_counter()
import boto3
from studio_mock import mock_studio
with mock_studio():
    boto3.client("sagemaker", region_name="us-east-1").list_domains()
print(time.perf_counter() - t0)
"""


def fresh_process_seconds(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def warm_call_ms(calls: int) -> float:
    import boto3

    from studio_mock import mock_studio

    with mock_studio():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        domain = sm.create_domain(
            DomainName="bench",
            AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/R"},
        )["DomainId"]
        sm.create_user_profile(DomainId=domain, UserProfileName="ana")
        sm.create_space(
            DomainId=domain,
            SpaceName="lab",
            OwnershipSettings={"OwnerUserProfileName": "ana"},
            SpaceSharingSettings={"SharingType": "Private"},
            SpaceSettings={"AppType": "JupyterLab"},
        )
        timings = []
        for _ in range(calls):
            start = time.perf_counter()
            sm.describe_space(DomainId=domain, SpaceName="lab")
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per variant")
    parser.add_argument("--calls", type=int, default=200, help="warm calls to time")
    args = parser.parse_args()

    moto_times, studio_times = [], []
    for _ in range(args.runs):  # interleaved, so background load hits both alike
        moto_times.append(fresh_process_seconds(MOTO_ALONE))
        studio_times.append(fresh_process_seconds(WITH_STUDIO))
    moto_s, studio_s = statistics.median(moto_times), statistics.median(studio_times)
    print(f"moto alone   (import + mock_aws + first call), median of {args.runs}: {moto_s:.3f} s")
    print(
        f"studio_mock  (import + mock_studio + first call), median of {args.runs}: {studio_s:.3f} s"
    )
    print(f"ratio studio_mock / moto: {studio_s / moto_s:.3f}  (goal <= 1.10)")
    warm = warm_call_ms(args.calls)
    print(f"warm DescribeSpace, median of {args.calls}: {warm:.2f} ms  (goal <= 5 ms)")


if __name__ == "__main__":
    main()
