"""The production settings as shipped, for the platform the fault tests start (tests/faults/conftest.py), with one
difference of timing only: a message a killed worker had taken is given back to the queue after 5 seconds
instead of an hour (kombu's visibility_timeout), so that its redelivery is seen within the test."""
from config.settings.production import *  # noqa: F401,F403
from config.settings.production import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 5}
