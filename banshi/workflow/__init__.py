"""The shared workflow engine every lifecycle is declared on (see ``engine``)."""
