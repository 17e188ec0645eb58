"""Equipment: admins keep their clinic's list; purchase links carry the affiliate note."""

from django.urls import reverse

from exercises.models import DisclaimerKind, Equipment
from tests.factories import DisclaimerFactory, EquipmentFactory, LibraryEquipmentFactory


def test_admin_adds_and_edits_equipment(client_for, clinic_admin, clinic):
    client = client_for(clinic_admin)
    client.post(reverse("catalog:equipment_create"), {"name": "Foam roller", "purchase_url": ""})
    roller = Equipment.objects.get(clinic=clinic)
    assert roller.slug == "foam-roller"
    client.post(
        reverse("catalog:equipment_edit", args=[roller.pk]),
        {"name": "Foam roller", "purchase_url": "https://shop.example.org/roller"},
    )
    roller.refresh_from_db()
    assert roller.purchase_url == "https://shop.example.org/roller"


def test_bad_equipment_input_is_a_form_error(client_for, clinic_admin, clinic):
    EquipmentFactory(clinic=clinic, name="Foam roller")
    client = client_for(clinic_admin)
    duplicate = client.post(reverse("catalog:equipment_create"), {"name": "Foam Roller"})
    assert duplicate.status_code == 400
    assert "already has equipment" in duplicate.content.decode()
    bad_link = client.post(
        reverse("catalog:equipment_create"),
        {"name": "Band", "purchase_url": "javascript:alert(1)"},
    )
    assert bad_link.status_code == 400
    assert Equipment.objects.count() == 1


def test_library_equipment_is_not_editable(client_for, clinic_admin):
    mat = LibraryEquipmentFactory()
    assert (
        client_for(clinic_admin).get(reverse("catalog:equipment_edit", args=[mat.pk])).status_code
        == 404
    )


def test_equipment_list_shows_the_affiliate_note_only_with_purchase_links(
    client_for, therapist, clinic
):
    DisclaimerFactory(clinic=None, kind=DisclaimerKind.AFFILIATE, title="About shop links")
    LibraryEquipmentFactory(name="Mat")
    client = client_for(therapist)
    assert "About shop links" not in client.get(reverse("catalog:equipment_list")).content.decode()
    EquipmentFactory(clinic=clinic, name="Band", purchase_url="https://shop.example.org/band")
    page = client.get(reverse("catalog:equipment_list")).content.decode()
    assert "About shop links" in page and "https://shop.example.org/band" in page
