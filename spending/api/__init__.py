"""The public JSON API v1 (/api/v1/): read-only views over the stored answers and the figures,
and the staff importer (imports.py). One module per part: filters check the query, views pick
the rows, serializers shape them, pagination pages, renderers render, errors refuse."""
