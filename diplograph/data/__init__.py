"""Knowledge as data: gazetteer and lexicons (YAML), their pydantic schemas and cached loaders."""
