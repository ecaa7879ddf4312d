"""moto's own SageMaker test suite still passes with the extension installed, except the
Domain tests of behaviour the mock corrects on purpose (see tests/moto_suite.py)."""

from __future__ import annotations

import moto_suite


def test_moto_sagemaker_suite_passes_with_the_extension_except_the_corrections():
    result = moto_suite.run()
    assert result.total > 250, f"too few tests collected: {result.output}"
    unexpected = sorted(result.failed - moto_suite.CORRECTED)
    assert not unexpected, f"moto tests the extension breaks: {unexpected}\n{result.output}"
    # a correction that no longer fails means moto changed: the README list is stale
    stale = sorted(moto_suite.CORRECTED - result.failed)
    assert not stale, f"these no longer differ from moto; update CORRECTED and the README: {stale}"
