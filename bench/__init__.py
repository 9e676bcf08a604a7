"""Benchmarks of the bot: the /compare request path, the daily quiz fan-out and cold start.

`python -m bench` (or `make bench`) runs them all; see `bench/__main__.py` for the options. Everything
runs on this machine: servers bind to 127.0.0.1 and Slack is the fake one from `slackfake/`.
"""
