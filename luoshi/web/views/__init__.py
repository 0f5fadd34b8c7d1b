"""Views, one module per page. Each fetches objects through ``accounts.scope`` and renders ``web.pages``."""
