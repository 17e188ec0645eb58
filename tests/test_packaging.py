"""The Docker image installs every package the project declares (no engine runs here, so
this reads the files)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_dockerfile_copies_every_declared_package_before_installing():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        pattern.rstrip("*")
        for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    dockerfile = (ROOT / "Dockerfile").read_text()
    before_install = dockerfile.split("RUN pip install", 1)[0]
    copied = set(re.findall(r"^COPY (\w+) \./\1$", before_install, flags=re.MULTILINE))

    assert packages <= copied, f"not copied before pip install: {sorted(packages - copied)}"
    assert all((ROOT / package / "__init__.py").exists() for package in packages)


def test_only_the_tls_proxy_is_published_and_trusted():
    """docker-compose.yml: the app is reached through Caddy only, and forwarded headers are
    trusted from Caddy's fixed address only (security finding 10)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    proxy_address = services["proxy"]["networks"]["edge"]["ipv4_address"]

    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address
    assert "forwarded-allow-ips='*'" not in (ROOT / "Dockerfile").read_text()
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
