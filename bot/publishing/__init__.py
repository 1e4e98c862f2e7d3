"""Publishing: composer rules, publish jobs, the worker that runs them, media preparation."""
