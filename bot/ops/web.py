"""GET /healthz and GET /metrics on the bot's web server.

/healthz answers 200 when the database is reachable and the publishing
worker scanned recently, else 503 (load balancers and Docker's HEALTHCHECK
act on the status). /metrics is Prometheus' text format; it carries no
secrets, but the example Caddyfile keeps it off the public side anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.ops import metrics
from bot.ops.health import Heartbeat, check
from storage.db import Database
from storage.repositories.job_counts import jobs_by_state


@dataclass(frozen=True, slots=True)
class OpsConfig:
    """What the ops routes need."""

    db: Database
    heartbeat: Heartbeat
    worker_max_age: float
    job_states: list[str]


OPS = web.AppKey("ops", OpsConfig)


async def healthz(request: web.Request) -> web.Response:
    """Database reachability and the worker's heartbeat; 503 if either is missing."""
    ops = request.app[OPS]
    health = await check(ops.db, ops.heartbeat, worker_max_age=ops.worker_max_age)
    return web.json_response(
        health.as_json(), status=200 if health.ok else 503, headers={"Cache-Control": "no-store"}
    )


async def prometheus(request: web.Request) -> web.Response:
    """Every metric in Prometheus' text exposition format."""
    ops = request.app[OPS]
    async with ops.db.transaction() as session:
        counts = await jobs_by_state(session)
    metrics.set_job_counts(counts, ops.job_states)
    age = ops.heartbeat.age()
    metrics.WORKER_HEARTBEAT_AGE.set(age if age is not None else float("inf"))
    return web.Response(
        body=generate_latest(metrics.REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )


def mount_ops(app: web.Application, ops: OpsConfig) -> None:
    """Add /healthz and /metrics."""
    app[OPS] = ops
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", prometheus)
