"""Per-language date formats (FORMAT_MODULE_PATH): one localized format everywhere.

Only the date and time formats are set here; number formats fall back to Django's own
locale modules, so money and decimals render exactly as before.
"""
