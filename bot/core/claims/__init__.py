"""Claimed sends, exactly once: the one mechanism behind every message a feature must send once (a quiz post,
a learning-path DM, a digest).

A feature keeps its own table of sends; each row carries the lease columns of `models.Leased`. A process
claims a row (a unique key decides who), proves it still holds the claim right before it posts
(`claimed_by = me AND lease_until > now`, which also extends the lease), and records the message's ts once.
A claim whose process died expires; any process takes it over (each takeover with its own clock reading,
many at once within a bound) and looks for the message in the channel's history before posting again.

- `models.Leased`: the lease columns a table of sends has.
- `queries`: the SQL over those columns (database threads only).
- `lease.Claims`: one feature's claims, from the event loop: take over, confirm, record.
- `sender.Sender`: posting one claimed message: look first, pace, confirm, post, record.
"""
