"""The schema validates without warnings, the docs page works under the site's CSP, and both
are only for signed-in people."""

import re

from django.core.management import call_command
from rest_framework.test import APIClient


def test_schema_generation_is_clean(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yml")

    assert "/api/v1/me/today/" in (tmp_path / "s.yml").read_text()


def test_schema_documents_errors_and_bounds(api_for, therapist):
    schema = api_for(therapist).get("/api/schema/", {"format": "json"}).json()

    responses = schema["paths"]["/api/v1/programs/{id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404", "429"} <= set(responses)
    for methods in schema["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if (
                    parameter["schema"].get("type") == "integer"
                    and "enum" not in parameter["schema"]
                ):
                    assert {"minimum", "maximum"} <= set(parameter["schema"]), parameter


def test_docs_page_loads_only_local_files(client_for, therapist):
    response = client_for(therapist).get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script>(?!\s*</script>)|<style", html)  # nothing inline
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)


def test_docs_start_up_script_and_assets_are_served(client_for, therapist):
    client = client_for(therapist)
    script = client.get("/api/docs/", {"script": ""})
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert bundle.status_code == 200


def test_schema_is_refused_without_signing_in(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 401


def test_docs_send_a_browser_that_is_not_signed_in_to_sign_in(db, client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})

    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/api/docs/"
    assert script.status_code == 401


def test_a_patient_may_read_the_schema_too(api_for, patient):
    # The /me/ part of the API is theirs; the schema holds no one's data.
    assert api_for(patient.user).get("/api/schema/").status_code == 200
