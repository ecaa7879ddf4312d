"""Prices the cost meter uses. APPROXIMATE: us-east-1 on-demand list prices as recalled
from the AWS pricing pages in 2023-2025 (see FACTS.md, section 3). They make the point
that stopped spaces can leave things billing; they are not a quote. Re-check before use.
"""

PRICES_AS_OF = "2025 (approximate, us-east-1 on-demand, not verified live)"
HOURS_PER_MONTH = 730  # AWS prices storage per GB-month and bills it by the hour

# Studio apps (JupyterLab, Code Editor spaces, and per-profile apps), $ per hour.
STUDIO_INSTANCE_HOURLY = {
    "ml.t3.medium": 0.05,
    "ml.t3.large": 0.10,
    "ml.t3.xlarge": 0.20,
    "ml.m5.large": 0.115,
    "ml.m5.xlarge": 0.23,
    "ml.m5.2xlarge": 0.461,
    "ml.c5.large": 0.102,
    "ml.c5.xlarge": 0.204,
    "ml.g4dn.xlarge": 0.736,
    "ml.g5.xlarge": 1.408,
}
CANVAS_SESSION_HOURLY = 1.90  # a Canvas workspace instance, while logged in

# Real-time inference endpoints, $ per instance-hour. ml.t3.* cannot host endpoints.
ENDPOINT_INSTANCE_HOURLY = {
    "ml.t2.medium": 0.056,
    "ml.t2.large": 0.111,
    "ml.m5.large": 0.115,
    "ml.m5.xlarge": 0.23,
    "ml.c5.large": 0.102,
    "ml.c5.xlarge": 0.204,
    "ml.g4dn.xlarge": 0.736,
}

# EMR: the EC2 instance plus the EMR charge, $ per instance-hour.
EMR_INSTANCE_HOURLY = {
    "m5.xlarge": 0.192 + 0.048,
    "m5.2xlarge": 0.384 + 0.096,
    "m4.large": 0.10 + 0.03,
    "c5.xlarge": 0.17 + 0.043,
    "r5.xlarge": 0.252 + 0.063,
}

# Storage, $ per GB-month.
SPACE_EBS_GB_MONTH = 0.112  # SageMaker ML storage for a space's volume
S3_STANDARD_GB_MONTH = 0.023
EFS_STANDARD_GB_MONTH = 0.30  # EFS Standard storage (FACTS.md section 3: UNCONFIRMED)
