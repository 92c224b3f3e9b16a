"""Open311 benchmark: POST and GET through gunicorn and the real HTTP stack, side by side with
the raw database rate for equivalent rows. Run: ``.venv/bin/python -m bench.open311 --help``."""
