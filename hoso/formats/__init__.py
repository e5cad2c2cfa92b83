"""Date formats: dd/mm/yyyy (Vietnamese administrative practice) whatever the interface language.

Only the formats below are replaced; everything else comes from Django's locale.
"""
