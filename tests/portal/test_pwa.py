"""The installable, offline portal (issue 12 item 6): the manifest, the one service worker
and the idempotent replay of a check-off queued offline."""

import json

from django.contrib.staticfiles import finders
from PIL import Image

from programs.models import ExerciseLog


def test_the_manifest_is_served_with_its_type_and_the_patients_clinic_name(paula_client, clinic):
    response = paula_client.get("/portal/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == clinic.name
    assert manifest["start_url"] == "/portal/"
    assert manifest["scope"] == "/portal/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]


def test_anonymous_visitors_get_a_generic_name(client):
    manifest = json.loads(client.get("/portal/manifest.webmanifest").content)
    assert manifest["name"] == "Home exercise programs"


def test_the_icons_exist_plain_and_maskable_at_both_sizes(client):
    icons = json.loads(client.get("/portal/manifest.webmanifest").content)["icons"]
    found = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert found == {(s, p) for s in ("192x192", "512x512") for p in ("any", "maskable")}
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_portal_pages_link_the_manifest(paula_client):
    page = paula_client.get("/portal/").content.decode()
    assert (
        '<link rel="manifest" href="/portal/manifest.webmanifest" crossorigin="use-credentials">'
        in page
    )


def test_the_service_worker_is_scoped_to_the_portal(client):
    response = client.get("/portal/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    # Served from /portal/, so its default and largest scope is /portal/.
    assert response.get("Service-Worker-Allowed", "/portal/") == "/portal/"


def _send_queued(client, item, today, key):
    """What static/js/portal-offline.js sends for a check-off that waited offline."""
    return client.post(
        f"/portal/items/{item.pk}/check/",
        {"day": today.isoformat(), "session": "1", "next": "/portal/"},
        headers={"Idempotency-Key": key, "HX-Request": "true"},
    )


def test_a_queued_check_off_sent_twice_gives_one_log(paula_client, item, today):
    key = "0f8c1a52-6f55-4b1e-9f3e-2d3c4b5a6978"
    assert _send_queued(paula_client, item, today, key).status_code == 200
    assert _send_queued(paula_client, item, today, key).status_code == 200
    assert ExerciseLog.objects.filter(program_item=item, performed_on=today).count() == 1


def test_a_replayed_key_does_not_bring_back_an_undone_check_off(paula_client, item, today):
    key = "5d2e7c1b-0a9f-4e3d-8c7b-6a5f4e3d2c1b"
    _send_queued(paula_client, item, today, key)
    paula_client.post(f"/portal/items/{item.pk}/undo/", {"day": today.isoformat()})
    assert _send_queued(paula_client, item, today, key).status_code == 200
    assert not ExerciseLog.objects.filter(program_item=item).exists()


def test_a_new_key_checks_off_again(paula_client, item, today):
    _send_queued(paula_client, item, today, "aaaaaaaa-1111")
    paula_client.post(f"/portal/items/{item.pk}/undo/", {"day": today.isoformat()})
    _send_queued(paula_client, item, today, "bbbbbbbb-2222")
    assert ExerciseLog.objects.filter(program_item=item).count() == 1


def test_a_malformed_key_is_refused_with_a_message(paula_client, item, today):
    response = _send_queued(paula_client, item, today, "<script>")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not ExerciseLog.objects.filter(program_item=item).exists()


def test_a_queued_check_off_of_another_patients_item_is_404(
    paula_client, other_patient_item, today
):
    response = _send_queued(paula_client, other_patient_item, today, "cccccccc-3333")
    assert response.status_code == 404


def test_portal_pages_carry_the_offline_box_and_no_inline_script(paula_client, item):
    page = paula_client.get("/portal/").content.decode()
    assert "data-offline" in page and "You are offline — showing what was saved." in page
    assert 'src="/static/js/portal-offline.js"' in page
    assert "<script>" not in page and "style=" not in page


def test_the_service_worker_keeps_the_static_files_it_is_told(client):
    body = client.get("/portal/sw.js").content.decode()
    assert '"/static/js/portal-offline.js"' in body and '"/static/css/app.css"' in body
    assert 'const VERSION = "dev"' not in body
    assert "showNotification" in body  # the same worker as the push reminders
