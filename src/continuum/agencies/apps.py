from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "continuum.agencies"
    label = "agencies"
