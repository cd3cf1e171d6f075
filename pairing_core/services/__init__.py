"""Use cases: one async function per thing a person or the scheduler asks of the core."""
