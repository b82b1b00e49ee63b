#pragma once
// The exact DDL of the released project schemas, for migration tests: files made by those builds
// look like this. Released migrations are never edited, so neither is this.

namespace alphascope::test {

/// Schema version 1 as released.
constexpr const char* kVersion1Ddl = R"sql(
CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);
CREATE TABLE datasets (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,
    sectors_path TEXT NOT NULL DEFAULT '',
    universe     TEXT NOT NULL DEFAULT '',
    target       TEXT NOT NULL DEFAULT '',
    splits       TEXT NOT NULL DEFAULT '',
    instruments  INTEGER NOT NULL DEFAULT 0,
    days         INTEGER NOT NULL DEFAULT 0,
    first_date   TEXT NOT NULL DEFAULT '',
    last_date    TEXT NOT NULL DEFAULT '',
    last_opened  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (path, universe)
);
CREATE TABLE factors (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    formula    TEXT NOT NULL,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX factors_dataset ON factors(dataset_id);
CREATE TABLE factor_metrics (
    factor_id       INTEGER NOT NULL REFERENCES factors(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    split           TEXT NOT NULL,
    ic_days         INTEGER NOT NULL DEFAULT 0,
    ic              REAL,
    rank_ic         REAL,
    icir            REAL,
    rank_icir       REAL,
    coverage        REAL,
    turnover        REAL,
    autocorrelation REAL,
    PRIMARY KEY (factor_id, split)
);
INSERT INTO schema_version VALUES (1, '2026-01-05T09:00:00Z');
)sql";

/// What version 2 added on top of version 1, as released.
constexpr const char* kVersion2Ddl = R"sql(
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE factors ADD COLUMN notes TEXT NOT NULL DEFAULT '';
INSERT INTO schema_version VALUES (2, '2026-03-01T09:00:00Z');
)sql";

} // namespace alphascope::test
