"""The Docker image installs every package the project declares (no engine runs here, so
this reads the files)."""

import re
import tomllib
from pathlib import Path

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
