"""The push of outbox records to the provincial systems (docs/provincial-sync.md).

- :mod:`kiosk.sync.connector`: the interface a provincial system is reached through, its errors.
- :mod:`kiosk.sync.http`: the connector for contract version 1 over HTTPS.
- :mod:`kiosk.sync.token`: reading the bearer token from its file, refusing loose permissions.
- :mod:`kiosk.sync.outbox`: the queries on the outbox table (read a batch, mark results).
- :mod:`kiosk.sync.lock`: one sender at a time between threads and processes.
- :mod:`kiosk.sync.backoff`: retry delays with jitter.
- :mod:`kiosk.sync.worker`: :class:`SyncWorker`, one pass or a loop on its own thread.
- :mod:`kiosk.sync.status`: :func:`sync_status` for the screen and ``kiosk sync --status``.
- :mod:`kiosk.sync.service`: start and stop the worker thread inside the app.
"""
