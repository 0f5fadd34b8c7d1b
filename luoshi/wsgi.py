import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
application = get_wsgi_application()

from luoshi.core.startup import check_https, check_secret_key, settle_memory  # noqa: E402  (needs the settings)

check_secret_key()  # any WSGI server: never serve on a throw-away key
check_https()  # nor with HTTPS settings that contradict each other
settle_memory()  # last: the application is loaded
