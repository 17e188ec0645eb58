"""The installable, offline portal (issue 12 item 6): the manifest, the one service worker
and the idempotent replay of a check-off queued offline."""

import json

from django.contrib.staticfiles import finders
from PIL import Image


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
    assert '<link rel="manifest" href="/portal/manifest.webmanifest">' in page


def test_the_service_worker_is_scoped_to_the_portal(client):
    response = client.get("/portal/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    # Served from /portal/, so its default and largest scope is /portal/.
    assert response.get("Service-Worker-Allowed", "/portal/") == "/portal/"
