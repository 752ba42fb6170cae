"""Persistence: the object store, the citizen data store, the population register adapter."""
