"""SQLAlchemy tables, repositories and the unit of work: the only home of SQL in Parley."""
