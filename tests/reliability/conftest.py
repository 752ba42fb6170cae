"""Fixtures for the fault drills: the real services (PostgreSQL schema, Redis) on loopback."""

from __future__ import annotations

from tests.api.service_env import pg_url, redis_url  # noqa: F401
