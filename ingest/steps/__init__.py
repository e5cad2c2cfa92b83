"""One module per intake step, run in the order of ingest.pipeline.STEPS."""
