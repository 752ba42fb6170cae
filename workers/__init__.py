"""RQ jobs: thin wrappers that take ids and object keys and call the pipeline."""
