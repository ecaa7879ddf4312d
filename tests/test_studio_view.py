"""The Studio view filters like the Studio UI; the admin view lists like the console."""

from __future__ import annotations

from studio_mock import SideBySide, StudioView


def _open(studio, domain_id, profile, space):
    studio.as_user(domain_id, profile).create_presigned_domain_url(
        DomainId=domain_id, UserProfileName=profile, SpaceName=space
    )


def _names(view):
    return [card.name for card in view.spaces()]


def test_each_profile_sees_its_private_spaces_and_every_shared_one(studio, sm, domain_id,
                                                                   make_space):  # fmt: skip
    make_space("ana-notes", "ana")
    make_space("ben-notes", "ben")
    make_space("team", "ben", sharing="Shared")
    ana = StudioView(domain_id, "ana", client=sm, endpoint_url=studio.endpoint_url)
    ben = StudioView(domain_id, "ben", client=sm, endpoint_url=studio.endpoint_url)
    admin = StudioView(domain_id, client=sm, endpoint_url=studio.endpoint_url)
    assert _names(ana) == ["ana-notes", "team"]
    assert _names(ben) == ["ben-notes", "team"]
    assert _names(admin) == ["ana-notes", "ben-notes", "team"]


def test_badges_status_and_instance_type(studio, sm, domain_id, make_space):
    make_space("team", "ana", sharing="Shared")
    make_space("editor", "ana", sharing="Shared", app_type="CodeEditor")
    make_space("solo", "ana")
    sm.create_app(DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default",
                  ResourceSpec={"InstanceType": "ml.m5.large"})  # fmt: skip
    cards = {c.name: c for c in StudioView(domain_id, "ana", client=sm,
                                            endpoint_url=studio.endpoint_url).spaces()}  # fmt: skip
    assert (cards["team"].status, cards["team"].instance_type) == ("Running", "ml.m5.large")
    assert (cards["solo"].status, cards["solo"].instance_type) == ("Stopped", "ml.t3.medium")
    assert cards["team"].rtc and not cards["solo"].rtc
    assert not cards["editor"].rtc  # RTC is a JupyterLab feature of shared spaces
    assert cards["solo"].sharing == "Private"


def test_identity_circles_show_who_opened_a_shared_space(studio, sm, domain_id, make_space):
    make_space("team", "ana", sharing="Shared")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    sm.create_app(DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default")
    _open(studio, domain_id, "ana", "team")
    _open(studio, domain_id, "ben", "team")
    _open(studio, domain_id, "ana", "team")
    view = StudioView(domain_id, "ana", client=sm, endpoint_url=studio.endpoint_url)
    assert view.spaces()[0].openers == ["ana", "ben"]  # most recent first, each once
    html = view._repr_html_()
    assert html.count("border-radius:50%") == 2
    assert ">A</span>" in html and ">B</span>" in html
    assert "RTC" in html and "Shared" in html


def test_no_circles_on_a_stopped_space_even_if_it_was_opened(studio, sm, domain_id, make_space):
    make_space("team", "ana", sharing="Shared")
    key = dict(DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default")
    sm.create_app(**key)
    _open(studio, domain_id, "ana", "team")
    sm.delete_app(**key)
    view = StudioView(domain_id, "ana", client=sm, endpoint_url=studio.endpoint_url)
    assert view.spaces()[0].openers == []
    sm.create_app(**key)  # restarted: earlier sessions ended with the old app
    assert view.spaces()[0].openers == []


def test_circles_fade_after_an_hour_on_the_simulated_clock(studio, sm, domain_id, make_space):
    from studio_mock import advance_clock

    make_space("team", "ana", sharing="Shared")
    sm.create_app(DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default")
    _open(studio, domain_id, "ana", "team")
    advance_clock(hours=2, endpoint_url=studio.endpoint_url)
    view = StudioView(domain_id, "ana", client=sm, endpoint_url=studio.endpoint_url)
    assert view.spaces()[0].openers == []


def test_plain_text_and_side_by_side(studio, sm, domain_id, make_space):
    make_space("ana-notes", "ana")
    make_space("team", "ana", sharing="Shared")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="ben")
    ana = StudioView(domain_id, "ana", client=sm, endpoint_url=studio.endpoint_url)
    ben = StudioView(domain_id, "ben", client=sm, endpoint_url=studio.endpoint_url)
    text = str(ana)
    assert text.startswith("Studio: Spaces of ana")
    assert "ana-notes" in text and "[Private]" in text and "[Shared] [RTC]" in text
    assert "ana-notes" not in str(ben)
    both = SideBySide(ana, ben)._repr_html_()
    assert both.count("class='studio-view'") == 2
    assert "Spaces of ana" in both and "Spaces of ben" in both


def test_admin_view_shows_owners(studio, sm, domain_id, make_space):
    make_space("ana-notes", "ana")
    admin = StudioView(domain_id, client=sm, endpoint_url=studio.endpoint_url)
    assert "owner=ana" in str(admin)
    assert "<th>Owner</th>" in admin._repr_html_()
