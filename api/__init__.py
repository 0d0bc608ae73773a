"""The HTTP API: ``api.app.create_app(settings)`` builds it; ``pairnet serve`` runs it."""
