"""The Apache Kafka broker of the local stack: one combined KRaft node on loopback.

Its jars come from Maven Central through deploy/kafka/pom.xml and are cached outside the
work tree, one folder per Kafka version, so a second `up` needs no network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from deploy.local.processes import StackError, StackPart, ensure_port_free, port_open, wait_until
from streams.settings import PROJECT_ROOT, Settings

POM = PROJECT_ROOT / "deploy" / "kafka" / "pom.xml"
READY_LINE = "Kafka Server started"
JAVA_MIN = 17


def kafka_version() -> str:
    match = re.search(r"<kafka.version>([^<]+)</kafka.version>", POM.read_text())
    if not match:
        raise StackError(f"{POM} does not pin <kafka.version>")
    return match.group(1)


def check_java() -> str:
    """The java binary to use; a plain error if it is missing or older than 17."""
    java = shutil.which("java")
    if java is None:
        raise StackError("Java is not installed. Kafka needs Java 17 or newer: "
                         "install it with `apt-get install openjdk-17-jre-headless`.")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    major = int(match.group(1)) if match else 0
    if major == 1 and match and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    if major < JAVA_MIN:
        raise StackError(f"Java {major or '(unknown version)'} found at {java}; Kafka needs "
                         f"Java {JAVA_MIN} or newer. Install openjdk-17-jre-headless.")
    return java


def ensure_jars(settings: Settings, progress=print) -> Path:  # type: ignore[no-untyped-def]
    """Resolve the broker's jars once; later calls find them in the cache."""
    libs = settings.kafka_jars_dir / kafka_version()
    stamp = libs / ".complete"
    if stamp.exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError("Maven is not installed; it fetches the Kafka jars from Maven Central. "
                         "Install it with `apt-get install maven`.")
    progress(f"Resolving Apache Kafka {kafka_version()} jars from Maven Central into {libs} ...")
    libs.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [mvn, "-B", "-q", "-f", str(POM), "dependency:copy-dependencies",
         "-DincludeScope=runtime", f"-DoutputDirectory={libs}"],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        text = out.stdout + out.stderr
        missing = re.search(r"(?:Could not (?:find|resolve|transfer) artifact|"
                            r"Failed to collect dependencies at) ([\w.\-:]+)", text)
        what = missing.group(1) if missing else f"org.apache.kafka:kafka_2.13:{kafka_version()}"
        raise StackError(f"Maven could not resolve {what} from Maven Central. Check that this "
                         f"machine reaches Maven Central, then run `tracenet up` again.\n"
                         f"Maven said: {text.strip().splitlines()[-1] if text.strip() else '?'}")
    if not any(libs.glob("kafka_2.13-*.jar")):
        raise StackError(f"Maven ran but {libs} holds no kafka_2.13 jar; remove it and retry.")
    stamp.write_text(kafka_version())
    return libs


def _server_properties(settings: Settings, data_dir: Path) -> str:
    host = "127.0.0.1"
    broker, controller = settings.kafka_port, settings.kafka_controller_port
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.bootstrap.servers={host}:{controller}",
        f"listeners=PLAINTEXT://{host}:{broker},CONTROLLER://{host}:{controller}",
        f"advertised.listeners=PLAINTEXT://{host}:{broker},CONTROLLER://{host}:{controller}",
        "inter.broker.listener.name=PLAINTEXT",
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        f"log.dirs={data_dir}",
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=8",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "",
    ])


def _log4j(log_file: Path) -> str:
    return "\n".join([
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = file",
        f"appender.file.fileName = {log_file}",
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = file",
        "logger.kafka.name = kafka",
        "logger.kafka.level = INFO",
        "logger.kafka.additivity = false",
        "logger.kafka.appenderRef.file.ref = file",
        "",
    ])


class KafkaBroker(StackPart):
    """Formats storage on first start, starts the broker, and waits until it serves."""

    name, label, stop_timeout = "kafka", "The Kafka broker", 30.0

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.runtime_dir)
        self.settings = settings

    def healthy(self) -> bool:
        return port_open(self.settings.kafka_port)

    @property
    def server_log(self) -> Path:
        return self.settings.runtime_dir / "logs" / "kafka-server.log"

    def start(self, timeout: float = 120.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        if self.running():
            return
        java = check_java()
        libs = ensure_jars(self.settings, progress)
        ensure_port_free(self.settings.kafka_port, "the Kafka broker", "TRACENET_KAFKA_PORT")
        ensure_port_free(self.settings.kafka_controller_port, "the Kafka controller",
                         "TRACENET_KAFKA_CONTROLLER_PORT")
        data = self.home / "data"
        self.home.mkdir(parents=True, exist_ok=True)
        props = self.home / "server.properties"
        props.write_text(_server_properties(self.settings, data))
        log4j = self.home / "log4j2.properties"
        log4j.write_text(_log4j(self.server_log))
        classpath = f"{libs}/*"
        base = [java, f"-Dlog4j2.configurationFile={log4j}",
                f"-Dkafka.logs.dir={self.settings.runtime_dir / 'logs'}", "-cp", classpath]
        if not (data / "meta.properties").exists():
            progress("Formatting Kafka storage (first start) ...")
            cluster_id = subprocess.run(base + ["-Xmx256M", "kafka.tools.StorageTool", "random-uuid"],
                                        capture_output=True, text=True, check=True).stdout.split()[-1]
            fmt = subprocess.run(
                base + ["-Xmx256M", "kafka.tools.StorageTool", "format", "-t", cluster_id,
                        "-c", str(props), "--standalone", "-g"],
                capture_output=True, text=True, check=False)
            if fmt.returncode != 0:
                raise StackError(f"Formatting Kafka storage in {data} failed:\n{fmt.stderr.strip()}")
        offset = self.server_log.stat().st_size if self.server_log.exists() else 0
        heap = self.settings.kafka_heap
        self.proc.start(base[:1] + [f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC"] + base[1:]
                        + ["kafka.Kafka", str(props)])
        progress(f"Starting Kafka broker on 127.0.0.1:{self.settings.kafka_port} ...")

        def ready() -> bool:
            if not self.running():
                return True  # died: stop waiting and report below
            if not self.server_log.exists():
                return False
            with self.server_log.open("rb") as fh:
                fh.seek(offset)
                return READY_LINE.encode() in fh.read()

        wait_until(ready, timeout)
        if not self.running():
            raise StackError(f"The Kafka broker exited during start-up. See {self.proc.log_file} "
                             f"and {self.server_log}.")
        if not ready():
            raise StackError(f"The Kafka broker was not ready within {timeout:.0f}s. "
                             f"See its log: {self.server_log}")



if __name__ == "__main__":  # `make jars`: resolve the broker's jars ahead of the first start
    import sys

    try:
        print(f"Kafka jars ready in {ensure_jars(Settings.from_env())}")
    except StackError as exc:
        print(f"tracenet: {exc}", file=sys.stderr)
        sys.exit(2)
