"""Example Airflow DAG: one mona transfer run per (task, method), driven through the mona command line.

No glue code is needed: `./mona run ... --wait --format json` blocks until the run finishes, prints the result as
one line of JSON (BashOperator pushes the last line of stdout to XCom, so that line is the whole result: run id,
status, metrics, artifact keys) and exits 0 (completed), 1 (run failed), 2 (bad input), 3 (server/store
unreachable, credentials, or no TEMPORAL_ADDRESS: see MONA_LOCAL below), 5 (--timeout expired). The run id is derived from the request, so when Airflow retries a task (or a worker
restarts), the repeated command attaches to the run already in progress instead of starting a duplicate, and
a finished run returns its stored result immediately.

Configure the workers' environment once (Airflow connection or variables):
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, MONA_S3_ENDPOINT, MONA_S3_BUCKET, MONA_S3_ACCESS_KEY, MONA_S3_SECRET_KEY
and set MONA_HOME to a checkout of mona (built once with `mvn -DskipTests package`). Every task runs with
MONA_LOCAL=forbid: without it, a worker that lacks TEMPORAL_ADDRESS would silently start mona's local mode and
train inside Airflow; with it, the command fails at once with exit 3 naming the missing setting.
"""
from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.operators.bash import BashOperator

MONA_HOME = os.environ.get("MONA_HOME", "/opt/mona")
TASKS = ["offline-dna", "offline-spoken-digits"]
METHODS = ["ft", "emb", "orca", "mona"]

with DAG(
    dag_id="mona_transfer",
    start_date=datetime(2024, 1, 1),
    schedule=None,
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
    tags=["mona"],
) as dag:
    for task in TASKS:
        for method in METHODS:
            BashOperator(
                task_id=f"{task}-{method}".replace("-", "_"),
                bash_command=(
                    f"{MONA_HOME}/mona run {task} --method {method} --seed 0 "
                    "--wait --timeout 21600 --format json"
                ),
                # the last stdout line, the one-line JSON result (run id, metrics, artifact keys), lands in XCom
                do_xcom_push=True,
                env={**{k: v for k, v in os.environ.items()
                        if k.startswith(("TEMPORAL_", "MONA_", "JAVA_", "PATH", "HOME"))},
                     "MONA_LOCAL": "forbid"},  # a cluster or an error, never a training run inside Airflow
                append_env=True,
            )
