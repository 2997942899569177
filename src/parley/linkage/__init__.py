"""The matching engine: Splink's Fellegi–Sunter model over canonical name keys, on DuckDB.

`records` turns people into rows the engine compares, `model` declares the comparisons and
blocking rules (shared by every backend), `engine` trains and predicts, `explain` turns a scored
pair into a field-by-field comparison a person can read.
"""
