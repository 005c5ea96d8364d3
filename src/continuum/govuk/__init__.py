"""GOV.UK Design System helpers every module may use: form fields, error lists, template helpers, charts.

Nothing here knows about children, agencies or access; modules import it, never `continuum.web`.
"""
