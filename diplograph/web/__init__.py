"""The web app and REST API: documents with their facts highlighted, timeline, network, trends, figures, ask.

``create_app(db_url)`` builds the FastAPI application (pages and ``/api``) over one
knowledge base; ``diplograph serve`` runs it with uvicorn. Every page draws what an
``/api`` endpoint returns, and the OpenAPI schema at ``/api/openapi.json`` describes them.
"""
from diplograph.web.app import DEFAULT_MAX_UPLOAD_BYTES, create_app

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD_BYTES"]
