"""docker-compose.yml is valid (checked by Debian's docker-compose, which needs no engine for
``config``) and wires the API to a healthy Neo4j with the password from the env file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml  # PyYAML comes with the dev extra (schemathesis)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = shutil.which("docker-compose")

pytestmark = pytest.mark.skipif(
    COMPOSE is None and os.environ.get("CI") != "true",
    reason="docker-compose is not installed (make test installs it: scripts/system-deps)",
)


def compose(*args: str, env_file: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    assert COMPOSE, "docker-compose is required (scripts/system-deps installs it)"
    return subprocess.run(
        [COMPOSE, "--env-file", str(env_file), "-f", str(cwd / "docker-compose.yml"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_is_valid_with_the_example_env():
    done = compose("config", "-q", env_file=ROOT / ".env.example")
    assert done.returncode == 0, done.stderr


def test_services_are_wired_as_documented(tmp_path):
    env = tmp_path / ".env"
    env.write_text("NEO4J_PASSWORD=a-real-password-42\nPAIRNET_TOKEN=a-long-enough-token-1234567\n", encoding="utf-8")
    done = compose("config", env_file=env)  # the file as compose resolved it
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/a-real-password-42"
    assert neo4j["healthcheck"]["test"] and "neo4j-data:/data:rw" in neo4j["volumes"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["PAIRNET_STORE"] == "bolt://neo4j:7687"
    assert api["environment"]["PAIRNET_NEO4J_PASSWORD"] == "a-real-password-42"
    assert Path(api["build"]["context"]).resolve() == ROOT and (ROOT / "Dockerfile").is_file()


def test_a_missing_password_is_refused(tmp_path):
    env = tmp_path / ".env"
    env.write_text("PAIRNET_TOKEN=a-long-enough-token-1234567\n", encoding="utf-8")
    done = compose("config", "-q", env_file=env)
    assert done.returncode != 0 and "NEO4J_PASSWORD" in done.stderr


def test_a_broken_file_is_refused(tmp_path):
    (tmp_path / "docker-compose.yml").write_text(
        (ROOT / "docker-compose.yml")
        .read_text(encoding="utf-8")
        .replace("condition: service_healthy", "condition: maybe"),
        encoding="utf-8",
    )
    done = compose("config", "-q", env_file=ROOT / ".env.example", cwd=tmp_path)
    assert done.returncode != 0
