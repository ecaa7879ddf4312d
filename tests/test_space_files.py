"""A space's EBS volume outlives its app, but not the space."""

from __future__ import annotations

import pytest

from studio_mock import list_files, write_file


def test_files_survive_a_stop_and_restart_but_not_deleting_the_space(studio, sm, domain_id,
                                                                      make_space):  # fmt: skip
    make_space("lab", "ana")
    key = dict(DomainId=domain_id, SpaceName="lab", AppType="JupyterLab", AppName="default")
    url = studio.endpoint_url
    sm.create_app(**key)
    write_file(domain_id, "lab", "notebooks/eda.ipynb", "{}", endpoint_url=url)
    sm.delete_app(**key)
    assert list_files(domain_id, "lab", endpoint_url=url) == {"notebooks/eda.ipynb": "{}"}
    sm.create_app(**key)
    assert list_files(domain_id, "lab", endpoint_url=url) == {"notebooks/eda.ipynb": "{}"}
    sm.delete_app(**key)
    sm.delete_space(DomainId=domain_id, SpaceName="lab")
    make_space("lab", "ana")  # same name, new volume
    assert list_files(domain_id, "lab", endpoint_url=url) == {}


def test_saving_needs_a_running_app(studio, domain_id, make_space):
    make_space("lab", "ana")
    with pytest.raises(RuntimeError, match="no app InService"):
        write_file(domain_id, "lab", "x.txt", "x", endpoint_url=studio.endpoint_url)
