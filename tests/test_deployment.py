"""docker-compose.yml cannot run here (no Docker engine), so its promises are checked as data."""

import configparser
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

    assert set(services) == {
        *("elasticsearch", "es01", "es02", "es03", "postgres", "redis", "web", "worker", "imports", "messages", "beat")
    }
    for name in ("elasticsearch", "es01", "es02", "es03", "postgres", "redis", "web", "worker", "imports", "messages"):
        assert "healthcheck" in services[name], name


def test_compose_runs_one_elasticsearch_node_or_a_cluster_of_three_of_the_same_version():
    services, versions = compose(), pinned()
    nodes = {name: services[name] for name in ("es01", "es02", "es03")}

    assert services["elasticsearch"]["profiles"] == ["single"]
    for name, node in nodes.items():
        assert node["profiles"] == ["cluster"]
        assert node["image"] == f"docker.elastic.co/elasticsearch/elasticsearch:{versions['ELASTICSEARCH_VERSION']}"
        assert node["environment"]["node.name"] == name
        assert node["environment"]["discovery.seed_hosts"] == "es01,es02,es03"
        assert node["environment"]["cluster.initial_master_nodes"] == "es01,es02,es03"
    assert {"es01", "elasticsearch"} <= set(services["web"]["depends_on"])  # whichever profile runs


def test_the_python_client_speaks_the_servers_major_version():
    client = re.search(r"^elasticsearch==(\d+)\.(\d+)", (ROOT / "requirements.txt").read_text(), re.M)
    server = pinned()["ELASTICSEARCH_VERSION"].split(".")

    # A client talks to servers of its major version and of the same or a newer minor.
    assert client[1] == server[0] and int(client[2]) <= int(server[1])


def test_make_run_supervises_web_worker_and_beat_and_restarts_whichever_exits():
    config = configparser.RawConfigParser()
    config.read(ROOT / "scripts" / "supervisord.conf")
    programs = {name.removeprefix("program:") for name in config.sections() if name.startswith("program:")}

    assert programs == {"web", "worker", "imports", "messages", "beat"}
    assert config["supervisord"]["nodaemon"] == "true"  # in the foreground: Ctrl-C and `make stop` reach it
    for name in programs:
        assert config[f"program:{name}"]["autorestart"] == "true", name
        assert config[f"program:{name}"]["stopasgroup"] == "true", name  # a worker's pool goes with it
    assert "supervisord -c scripts/supervisord.conf" in (ROOT / "scripts" / "run.sh").read_text()
