"""The 接诉即办 pages: ``citizen`` (no login), ``staff`` (workbench, lists, one request, intake),
``export`` (Excel) and ``metrics`` (三率 and ranking)."""
