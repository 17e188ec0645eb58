"""Disclaimer versions: a clinic publishes new versions; the newest is current; none change."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exercises.models import Disclaimer, DisclaimerKind
from exercises.selectors import disclaimer_current, disclaimers_current
from exercises.services import disclaimer_publish
from tests.factories import DisclaimerFactory


@pytest.fixture
def defaults(db):
    return {
        kind: DisclaimerFactory(clinic=None, kind=kind, title=f"Default {kind}", version=1)
        for kind in DisclaimerKind.values
    }


def test_a_clinic_without_its_own_uses_the_default(defaults, clinic):
    assert disclaimer_current(clinic=clinic, kind="medical") == defaults["medical"]


def test_publishing_numbers_versions_per_clinic_and_kind(
    defaults, clinic, other_clinic, clinic_admin
):
    first = disclaimer_publish(clinic=clinic, kind="medical", title="A", body="One")
    second = disclaimer_publish(
        clinic=clinic, kind="medical", title="A", body="Two", published_by=clinic_admin
    )
    affiliate = disclaimer_publish(clinic=clinic, kind="affiliate", title="B", body="Shop")
    theirs = disclaimer_publish(clinic=other_clinic, kind="medical", title="C", body="Theirs")
    assert (first.version, second.version, affiliate.version, theirs.version) == (1, 2, 1, 1)
    assert disclaimer_current(clinic=clinic, kind="medical") == second
    assert disclaimers_current(clinic=clinic) == {"medical": second, "affiliate": affiliate}
    assert disclaimer_current(clinic=other_clinic, kind="affiliate") == defaults["affiliate"]
    first.refresh_from_db()
    assert first.body == "One"  # the old version is kept as it was


def test_publishing_the_default_continues_the_default_numbering(defaults):
    assert disclaimer_publish(clinic=None, kind="medical", title="D", body="New").version == 2


def test_unknown_kind_and_empty_text_are_refused(clinic):
    with pytest.raises(ValidationError):
        disclaimer_publish(clinic=clinic, kind="marketing", title="X", body="Y")
    with pytest.raises(ValidationError):
        disclaimer_publish(clinic=clinic, kind="medical", title="", body="")
    assert not Disclaimer.objects.exists()


def test_admin_publishes_from_the_page(client_for, clinic_admin, clinic, defaults):
    client = client_for(clinic_admin)
    url = reverse("catalog:disclaimer_publish", args=["medical"])
    form_page = client.get(url).content.decode()
    assert defaults["medical"].title in form_page  # starts from the current text
    response = client.post(url, {"title": "Our medical terms", "body": "Ask us first."})
    assert response.status_code == 302
    published = Disclaimer.objects.get(clinic=clinic)
    assert (published.version, published.published_by) == (1, clinic_admin)
    client.post(url, {"title": "Our medical terms", "body": "Ask us first, please."})
    listing = client.get(reverse("catalog:disclaimer_list")).content.decode()
    assert "Ask us first" not in listing  # the list shows versions, the detail page the text
    current = disclaimer_current(clinic=clinic, kind="medical")
    assert current.version == 2 and current.body == "Ask us first, please."


def test_empty_publish_form_is_a_form_error(client_for, clinic_admin, defaults):
    response = client_for(clinic_admin).post(
        reverse("catalog:disclaimer_publish", args=["medical"]), {"title": "", "body": ""}
    )
    assert response.status_code == 400
    assert not Disclaimer.objects.filter(clinic__isnull=False).exists()


def test_unknown_kind_in_the_url_is_404(client_for, clinic_admin):
    url = reverse("catalog:disclaimer_publish", args=["marketing"])
    assert client_for(clinic_admin).get(url).status_code == 404


def test_old_versions_stay_listed_and_readable(client_for, therapist, clinic, defaults):
    old = disclaimer_publish(clinic=clinic, kind="medical", title="Old terms", body="Old.")
    disclaimer_publish(clinic=clinic, kind="medical", title="New terms", body="New.")
    client = client_for(therapist)
    listing = client.get(reverse("catalog:disclaimer_list")).content.decode()
    assert "Old terms" in listing and "New terms" in listing
    detail = client.get(reverse("catalog:disclaimer_detail", args=[old.pk])).content.decode()
    assert "Old." in detail and "not current" in detail


def test_there_is_no_way_to_edit_a_published_version():
    from exercises import urls

    assert not [p for p in urls.urlpatterns if "disclaimer" in p.name and "edit" in p.name]
