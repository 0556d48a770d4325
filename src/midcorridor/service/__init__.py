"""The transit operations service: shipments, operator events, ETA, alerts, subscriptions.

Build the ASGI app with :func:`midcorridor.service.main.create_app`; nothing runs at import.
"""
