from django.apps import AppConfig


class CountyConfig(AppConfig):
    name = "continuum.county"
    label = "county"
    audit_events = {"snapshot_load": "Loaded a county snapshot"}
