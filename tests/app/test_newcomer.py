"""A newcomer's first run: favicon linked, SPDX licence, `make run` needs no root."""

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_favicon_linked_and_served(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page and "favicon.ico" in page
    for name in ("favicon.svg", "favicon.ico"):
        response = client.get(f"/static/img/{name}")
        assert response.status_code == 200
        response.close()


def test_license_is_spdx_string():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["license"] == "EUPL-1.2"
    assert "setuptools>=77" in data["build-system"]["requires"]


def test_run_deps_check_never_installs():
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/install-system-deps.sh"), "--check-run"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "Installing" not in result.stdout
