"""Prometheus metrics for rounds and deliveries, in a registry of their own."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from pairing_core.services.delivery import DeliveryReport

__all__ = ["Metrics"]


@dataclass
class Metrics:
    """The bot's metrics; each instance owns its registry, so tests can build several."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.rounds_started = Counter(
            "unmentor_rounds_started", "Rounds whose groups were introduced.", registry=r
        )
        self.round_steps = Counter(
            "unmentor_round_steps", "Round steps run, by step.", ["step"], registry=r
        )
        self.messages_sent = Counter("unmentor_messages_sent", "Messages delivered.", registry=r)
        self.messages_failed = Counter(
            "unmentor_messages_failed", "Messages given up on.", registry=r
        )
        self.messages_retried = Counter(
            "unmentor_messages_retried", "Sends that will be tried again.", registry=r
        )
        self.outbox_depth = Gauge(
            "unmentor_outbox_depth", "Messages waiting to be delivered.", registry=r
        )
        self.delivery_latency = Histogram(
            "unmentor_delivery_latency_seconds",
            "Time from a message being written to it being delivered.",
            buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
            registry=r,
        )

    def record_steps(self, steps: list[str]) -> None:
        """Count round steps as ``run_due_steps`` reports them ("introduced round 3", ...)."""
        for step in steps:
            kind = step.split(" round", 1)[0]
            self.round_steps.labels(step=kind).inc()
            if kind == "introduced":
                self.rounds_started.inc()

    def record_delivery(self, report: DeliveryReport) -> None:
        self.messages_sent.inc(len(report.sent))
        self.messages_failed.inc(len(report.failed))
        self.messages_retried.inc(len(report.retrying))
        for seconds in report.latencies:
            self.delivery_latency.observe(max(seconds, 0.0))

    def exposition(self) -> bytes:
        """Return the metrics in the Prometheus text format."""
        return generate_latest(self.registry)
