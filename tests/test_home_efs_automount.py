"""The home EFS as a user meets it: their Classic folder appears as ~/user-default-efs in
their private spaces while AutoMountHomeEFS is in effect (read at app start), and an EFS
that holds data bills, even after its domain is deleted with the default Retain."""

from __future__ import annotations

from typing import Any

from conftest import new_space

from studio_mock import cost_report, list_files, write_file, write_home_efs_file

GB = 1024**3


def _start(sm: Any, domain_id: str, space: str) -> dict[str, str]:
    app = dict(DomainId=domain_id, SpaceName=space, AppType="JupyterLab", AppName="default")
    sm.create_app(**app)
    return app


def test_the_owners_folder_is_mounted_in_private_spaces_only(studio, sm, domain_id):
    url = studio.endpoint_url
    new_space(sm, domain_id, "ana-lab", owner="ana")
    new_space(sm, domain_id, "team", owner="ana", sharing="Shared")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    new_space(sm, domain_id, "ben-lab", owner="ben")
    write_home_efs_file(domain_id, "ana", "churn.ipynb", "{}", endpoint_url=url)
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {}  # not running: no mount
    for space in ("ana-lab", "team", "ben-lab"):
        _start(sm, domain_id, space)
    write_file(domain_id, "ana-lab", "new.py", "x", endpoint_url=url)
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {
        "new.py": "x",
        "user-default-efs/churn.ipynb": "{}",
    }
    assert list_files(domain_id, "team", endpoint_url=url) == {}  # shared: never mounted
    assert list_files(domain_id, "ben-lab", endpoint_url=url) == {}  # ben's own folder is empty


def test_disabled_at_the_domain_or_profile_and_read_only_at_start(studio, sm, domain_id):
    url = studio.endpoint_url
    new_space(sm, domain_id, "ana-lab", owner="ana")
    write_home_efs_file(domain_id, "ana", "old.ipynb", "{}", endpoint_url=url)
    sm.update_domain(DomainId=domain_id, DefaultUserSettings={"AutoMountHomeEFS": "Disabled"})
    app = _start(sm, domain_id, "ana-lab")
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {}
    # the profile's Enabled wins over the domain's Disabled, but only from the next start
    sm.update_user_profile(
        DomainId=domain_id, UserProfileName="ana", UserSettings={"AutoMountHomeEFS": "Enabled"}
    )
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {}
    sm.delete_app(**app)
    studio.advance(minutes=5)
    _start(sm, domain_id, "ana-lab")
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {
        "user-default-efs/old.ipynb": "{}"
    }
    # DefaultAsDomain on the profile takes the domain's Disabled again
    sm.update_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        UserSettings={"AutoMountHomeEFS": "DefaultAsDomain"},
    )
    sm.delete_app(**app)
    studio.advance(minutes=5)
    _start(sm, domain_id, "ana-lab")
    assert list_files(domain_id, "ana-lab", endpoint_url=url) == {}


def test_an_efs_with_data_bills_until_deleted_even_after_its_domain(studio, sm, domain_id):
    url = studio.endpoint_url
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    fs_id = sm.describe_domain(DomainId=domain_id)["HomeEfsFileSystemId"]
    efs_lines = [i for i in cost_report(endpoint_url=url).items if i.kind == "EFS storage"]
    assert efs_lines == []  # an empty EFS is not worth a line
    write_home_efs_file(domain_id, "ana", "data.csv", "a,b", size_bytes=30 * GB, endpoint_url=url)
    sm.delete_user_profile(DomainId=domain_id, UserProfileName="ana")
    studio.advance(minutes=5)
    sm.delete_domain(DomainId=domain_id)  # RetentionPolicy defaults to Retain
    studio.advance(hours=10)
    (line,) = [i for i in cost_report(endpoint_url=url).items if i.kind == "EFS storage"]
    assert (line.name, line.billing, line.detail) == (fs_id, True, "30.0 GB Standard")
    assert abs(line.accrued - 30 * 0.30 / 730 * (10 + 5 / 60)) < 1e-6  # 5 min before, 10 h after
    studio.client("efs").delete_file_system(FileSystemId=fs_id)
    studio.advance(hours=1)
    (line,) = [i for i in cost_report(endpoint_url=url).items if i.kind == "EFS storage"]
    assert not line.billing
