"""Catalog files: the shared library's data file and a clinic's JSON export use one format.

    {"format": "hep-catalog", "format_version": 1,
     "equipment": [...], "exercises": [...], "series": [...], "disclaimers": [...]}

The library file may also hold "body_regions", "muscles" (the shared word lists) and
"templates" (program templates, read by the programs app). A reference such as an
exercise's equipment or a series step's exercise names a slug of the same catalog as the
file; in a clinic's file, "library:<slug>" names a row of the shared library instead.

`catalog_apply` makes the database match a file for one owner (a clinic, or the library
when clinic is None): rows are matched by slug, created when missing, changed only where
they differ (so a second run changes nothing, not even `updated_at`), and rows the file
does not mention are left alone. It runs in one transaction: a file with any error
changes nothing. Published disclaimer versions are never changed.
"""
