"""CreatePresignedDomainUrl: IAM domains only, the profile's own or shared spaces, 5..300 s."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from conftest import ROLE, error_of


def test_presigned_url_returns_authorized_url(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    response = sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ana")
    assert set(response) - {"ResponseMetadata"} == {"AuthorizedUrl"}
    url = response["AuthorizedUrl"]
    assert url.startswith("https://")
    assert domain_id in url


def test_each_presigned_url_is_new(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    urls = {
        sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ana")["AuthorizedUrl"]
        for _ in range(3)
    }
    assert len(urls) == 3


def test_presigned_url_for_own_private_space(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    url = sm.create_presigned_domain_url(
        DomainId=domain_id,
        UserProfileName="ana",
        SpaceName="lab",
        LandingUri="app:JupyterLab:",
        ExpiresInSeconds=60,
        SessionExpirationDurationInSeconds=1800,
    )["AuthorizedUrl"]
    assert url.startswith("https://")


def test_presigned_url_refused_on_sso_domain(sm):
    domain_id = sm.create_domain(
        DomainName="sso", AuthMode="SSO", DefaultUserSettings={"ExecutionRole": ROLE}
    )["DomainId"]
    sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="ana",
        SingleSignOnUserIdentifier="UserName",
        SingleSignOnUserValue="ana",
    )
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ana")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "SSO" in message


def test_presigned_url_for_unknown_profile_is_resource_not_found(sm, domain_id):
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="nobody")
    code, message = error_of(excinfo)
    assert code == "ResourceNotFound"
    assert "nobody" in message


def test_presigned_url_for_unknown_domain_is_resource_not_found(sm):
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(DomainId="d-" + "0" * 12, UserProfileName="ana")
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_presigned_url_for_unknown_space_is_resource_not_found(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ana", SpaceName="nowhere"
        )
    assert error_of(excinfo)[0] == "ResourceNotFound"


def test_opening_another_profiles_private_space_is_access_denied(sm, domain_id, make_space):
    make_space("lab", owner="ana")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(DomainId=domain_id, UserProfileName="ben", SpaceName="lab")
    code, message = error_of(excinfo)
    assert code == "AccessDeniedException"
    assert "lab" in message
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] < 500


def test_opening_a_shared_space_works_for_any_profile(sm, domain_id, make_space):
    make_space("team", owner="ana", sharing="Shared")
    for name in ("ben", "cy"):
        sm.create_user_profile(DomainId=domain_id, UserProfileName=name)
    for name in ("ana", "ben", "cy"):
        url = sm.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName=name, SpaceName="team"
        )["AuthorizedUrl"]
        assert url.startswith("https://")


@pytest.mark.parametrize("seconds", [5, 300])
def test_expires_in_seconds_bounds_are_accepted(sm, domain_id, seconds):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    response = sm.create_presigned_domain_url(
        DomainId=domain_id, UserProfileName="ana", ExpiresInSeconds=seconds
    )
    assert response["AuthorizedUrl"]


def test_expires_in_seconds_above_300_is_validation_exception(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ana", ExpiresInSeconds=301
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "expiresInSeconds" in message
    assert "300" in message


def test_expires_in_seconds_below_5_is_rejected_by_botocore(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ParamValidationError) as excinfo:
        sm.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ana", ExpiresInSeconds=4
        )
    assert "ExpiresInSeconds" in str(excinfo.value)


@pytest.mark.parametrize("seconds", [0, 4, 301, 3600])
def test_expires_in_seconds_out_of_range_is_validation_exception_on_the_server(
    studio, sm, domain_id, seconds
):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        studio.unvalidated().create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ana", ExpiresInSeconds=seconds
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "expiresInSeconds" in message


def test_session_expiration_above_43200_is_validation_exception(sm, domain_id):
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ana")
    with pytest.raises(ClientError) as excinfo:
        sm.create_presigned_domain_url(
            DomainId=domain_id, UserProfileName="ana", SessionExpirationDurationInSeconds=43201
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "sessionExpirationDurationInSeconds" in message
