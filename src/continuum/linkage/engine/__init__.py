"""Record linkage over tables, with Splink: plain Python, no Django.

The Django app (`continuum.linkage`) reads the records from the database into an Arrow table, calls this
package, and writes what it decided. Councils and analysts call it directly (`continuum linkage link`,
a notebook). The same calls run on DuckDB (the default) or on Spark (`backends.open_backend("spark")`).

- `records`: the shape of a record linkage compares (`RECORD_SCHEMA`).
- `backends`: DuckDB or Spark, opened and closed in one place.
- `prepare`: standardising names, dates, postcodes and identifiers before comparison.
- `model`: the Splink settings, unsupervised training, and the model file (saved, versioned, checked).
- `predict`: scoring pairs: all records, or new records against those already linked.
- `explain`: the model's reasons for a pair, in words.
- `resolve`: from scored pairs to identities that keep their ids, and the pairs a person must review.
- `evaluate`: pairwise precision, recall and F1 against a known truth.
- `lists`: linking any two lists of people (CSV in, CSV of pairs out); `cli`: `continuum linkage link`.
- `truth`: the synthetic county's truth (which person is behind each feed reference), for `evaluate`.
"""
