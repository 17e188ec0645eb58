"""Web push: the real encryption path. A local fake push service receives pywebpush's request
and the test decrypts the body (http_ece, aes128gcm) with the subscription's own keys. A
subscription the push service reports gone (404/410) is deleted."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from portal.management.commands.vapid_keys import vapid_key_pair
from portal.push import push_subscription_save, send_push_delivery
from programs.models import Channel, Delivery, PushSubscription, ReminderSettings
from tests.factories import DeliveryFactory, SentReminderFactory


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakePushService:
    """Answers every POST with `status` and keeps what it received."""

    def __init__(self, status=201):
        self.status = status
        self.requests = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.requests.append((self.path, dict(self.headers), body))
                self.send_response(service.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/push/device-1"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    service = FakePushService()
    yield service
    service.stop()


@pytest.fixture
def vapid(settings):
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:ops@example.org"
    return public


@pytest.fixture
def device():
    """A browser's side of a subscription: its P-256 key pair and auth secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"private": private, "p256dh": b64url(public), "auth_raw": os.urandom(16)}


def subscribe(patient, endpoint, device):
    return PushSubscription.objects.create(
        clinic=patient.clinic,
        patient=patient,
        endpoint=endpoint,
        p256dh=device["p256dh"],
        auth=b64url(device["auth_raw"]),
    )


def push_delivery(patient):
    return DeliveryFactory(
        reminder=SentReminderFactory(patient=patient),
        channel=Channel.PUSH,
        status="pending",
        attempts=0,
    )


def test_the_payload_decrypts_with_the_subscriptions_keys(patient, push_service, vapid, device):
    subscribe(patient, push_service.url(), device)
    delivery = push_delivery(patient)
    send_push_delivery(delivery)
    assert len(push_service.requests) == 1
    path, headers, body = push_service.requests[0]
    headers = {key.lower(): value for key, value in headers.items()}
    assert path == "/push/device-1"
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0
    assert headers["authorization"].startswith("vapid t=")
    assert f"k={vapid}" in headers["authorization"]
    plain = http_ece.decrypt(
        body, private_key=device["private"], auth_secret=device["auth_raw"], version="aes128gcm"
    )
    message = json.loads(plain)
    assert message["title"] == "Time for your exercises"
    assert message["url"] == "/portal/"
    assert patient.clinic.name in message["body"]
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(patient, vapid, device, status):
    service = FakePushService(status=status)
    try:
        subscribe(patient, service.url(), device)
        delivery = push_delivery(patient)
        send_push_delivery(delivery)
    finally:
        service.stop()
    assert PushSubscription.objects.count() == 0
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "1 gone" in delivery.detail


def test_a_push_service_error_keeps_the_subscription(patient, vapid, device):
    service = FakePushService(status=500)
    try:
        subscribe(patient, service.url(), device)
        delivery = push_delivery(patient)
        send_push_delivery(delivery)
    finally:
        service.stop()
    assert PushSubscription.objects.count() == 1
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "1 failed" in delivery.detail


def test_no_device_is_recorded_as_not_sent(patient, vapid):
    delivery = push_delivery(patient)
    send_push_delivery(delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.detail) == ("skipped", "no device")


def test_without_vapid_keys_nothing_is_sent(patient, push_service, device, settings):
    settings.VAPID_PRIVATE_KEY = ""
    subscribe(patient, push_service.url(), device)
    delivery = push_delivery(patient)
    send_push_delivery(delivery)
    assert push_service.requests == []
    delivery.refresh_from_db()
    assert delivery.status == "skipped"


def test_saving_a_subscription_turns_push_reminders_on(patient, device, settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="https only"):
        push_subscription_save(
            patient=patient, endpoint="http://push.example/x", p256dh="k", auth="a"
        )
    push_subscription_save(
        patient=patient,
        endpoint="https://push.example/x",
        p256dh=device["p256dh"],
        auth=b64url(device["auth_raw"]),
    )
    push_subscription_save(  # the same device again: refreshed, not doubled
        patient=patient, endpoint="https://push.example/x", p256dh=device["p256dh"], auth="new"
    )
    assert PushSubscription.objects.get().auth == "new"
    assert ReminderSettings.objects.get(patient=patient).by_push is True


def test_a_due_reminder_goes_to_email_and_push(
    clinic, patient, therapist, push_service, vapid, device
):
    from tests.portal.test_reminder_email import EIGHT, prescribe, run_at

    clinic.timezone = "UTC"
    clinic.save()
    prescribe(clinic, patient, therapist)
    subscribe(patient, push_service.url(), device)
    ReminderSettings.objects.filter(patient=patient).update(by_push=True)
    run_at(EIGHT)
    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        ("email", "delivered"),
        ("push", "delivered"),
    ]
    assert len(push_service.requests) == 1


def test_the_command_makes_a_dev_key_pair_once(tmp_path, capsys):
    target = tmp_path / "keys.env"
    call_command("vapid_keys", dev_file=str(target))
    first = target.read_text()
    call_command("vapid_keys", dev_file=str(target))
    assert target.read_text() == first
    assert "VAPID_PUBLIC_KEY=" in first and "VAPID_PRIVATE_KEY=" in first
    public = first.split("VAPID_PUBLIC_KEY=")[1].split("\n")[0]
    assert len(base64.urlsafe_b64decode(public + "==")) == 65  # an uncompressed P-256 point


def test_the_service_worker_is_served_from_the_portal_as_javascript(client):
    response = client.get("/portal/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "showNotification" in body and "openWindow" in body


def test_the_reminders_page_offers_this_device_when_keys_are_set(paula_client, vapid):
    page = paula_client.get("/portal/reminders/").content.decode()
    assert f'data-key="{vapid}"' in page
    assert 'data-worker="/portal/sw.js"' in page and 'data-scope="/portal/"' in page
    assert "<script>" not in page  # CSP: no inline script


def test_without_keys_the_page_offers_no_push(paula_client, settings):
    settings.VAPID_PUBLIC_KEY = ""
    assert "data-push" not in paula_client.get("/portal/reminders/").content.decode()


def test_subscribing_a_device(paula_client, patient, device, settings):
    settings.DEBUG = True  # development: a local push endpoint is allowed
    response = paula_client.post(
        "/portal/push/subscribe/",
        json.dumps(
            {
                "endpoint": "https://push.example/abc",
                "keys": {"p256dh": device["p256dh"], "auth": b64url(device["auth_raw"])},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().patient == patient


@pytest.mark.parametrize(
    "body", ["not json", "[]", json.dumps({"endpoint": "https://push.example/a"}), ""]
)
def test_a_bad_subscription_is_a_400(paula_client, body):
    response = paula_client.post("/portal/push/subscribe/", body, content_type="application/json")
    assert response.status_code == 400
    assert "incomplete" in response.json()["detail"]
    assert PushSubscription.objects.count() == 0


def test_subscribing_needs_a_signed_in_patient(client, therapist):
    assert (
        client.post("/portal/push/subscribe/", "{}", content_type="application/json").status_code
        == 302
    )
    client.force_login(therapist)
    assert client.post(
        "/portal/push/subscribe/", "{}", content_type="application/json"
    ).status_code in (302, 403)
