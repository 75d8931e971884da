"""The module zappa's handler imports (app_function: miniprogram_api.wsgi.app)."""

from miniprogram_api import create_app

app = create_app()  # settings from the Lambda's environment, services from bootstrap
