"""docker-compose.yml cannot run here (no Docker engine), so its promises are checked as data."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pinned():
    lines = (ROOT / "services.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_runs_the_pinned_elasticsearch_postgres_and_redis():
    services, versions = compose(), pinned()

    assert services["elasticsearch"]["image"] == (
        f"docker.elastic.co/elasticsearch/elasticsearch:{versions['ELASTICSEARCH_VERSION']}"
    )
    assert services["postgres"]["image"].startswith(f"postgres:{versions['POSTGRES_MAJOR']}")
    assert services["redis"]["image"].startswith(f"redis:{versions['REDIS_MAJOR']}")


def test_compose_has_every_process_with_a_health_check():
    services = compose()

    assert set(services) == {"elasticsearch", "postgres", "redis", "web", "worker", "imports", "beat"}
    for name in ("elasticsearch", "postgres", "redis", "web", "worker", "imports"):
        assert "healthcheck" in services[name], name


def test_the_python_client_speaks_the_servers_major_version():
    client = re.search(r"^elasticsearch==(\d+)\.(\d+)", (ROOT / "requirements.txt").read_text(), re.M)
    server = pinned()["ELASTICSEARCH_VERSION"].split(".")

    # A client talks to servers of its major version and of the same or a newer minor.
    assert client[1] == server[0] and int(client[2]) <= int(server[1])
