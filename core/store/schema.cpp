#include "core/store/schema.h"

#include "core/store/sqlite_statement.h"

#include <iterator>

namespace alphascope::sql {

namespace {

/// One step forward. A released migration is never edited: files in the field were made by it.
struct Migration {
    int version;
    const char* sql;
};

// clang-format off
constexpr Migration kMigrations[] = {
    // 1: datasets used and saved factors; metrics one row per (factor, split). AUTOINCREMENT so that a
    //    deleted factor's id is never reused and an undo can put it back under the same id.
    {1, R"sql(
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
)sql"},
    // 2: project-scoped key/value settings, and free-text notes on factors.
    {2, R"sql(
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE factors ADD COLUMN notes TEXT NOT NULL DEFAULT '';
)sql"},
};
// clang-format on

int countTables(sqlite3* db, const char* name) {
    Statement q(db, name ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"
                         : "SELECT count(*) FROM sqlite_master");
    if (name) q.bind(1, std::string_view(name));
    q.step();
    return q.integer(0);
}

} // namespace

int latestSchemaVersion() {
    return std::prev(std::end(kMigrations))->version;
}

void failTooNew(int version) {
    throw StoreError{ErrorCode::Format, "the project was written by a newer AlphaScope (schema version " +
                                            std::to_string(version) + "; this build knows up to " +
                                            std::to_string(latestSchemaVersion()) +
                                            "); it was left unchanged"};
}

int readSchemaVersion(sqlite3* db) {
    // The first read of the schema is where SQLite notices a file that is not a database.
    int tables = 0;
    try {
        tables = countTables(db, nullptr);
    } catch (const StoreError& e) {
        throw StoreError{ErrorCode::Format, "not an AlphaScope project (" + e.message + ")"};
    }
    if (tables == 0) return 0;
    if (countTables(db, "schema_version") == 0)
        throw StoreError{ErrorCode::Format,
                         "a SQLite database, but not an AlphaScope project (no schema_version table)"};
    Statement q(db, "SELECT max(version) FROM schema_version");
    q.step();
    if (q.isNull(0)) throw StoreError{ErrorCode::Format, "the project's schema_version table is empty"};
    return q.integer(0);
}

int migrate(sqlite3* db) {
    Transaction tx(db);
    // Read again under the write lock: another process may have migrated since we looked.
    int version = readSchemaVersion(db);
    if (version > latestSchemaVersion()) failTooNew(version);
    if (version == latestSchemaVersion()) return version; // tx rolls back: nothing was written
    const std::string now = utcTimestamp(std::time(nullptr));
    for (const Migration& m : kMigrations) {
        if (m.version <= version) continue;
        exec(db, m.sql);
        Statement record(db, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)");
        record.bind(1, m.version).bind(2, std::string_view(now)).run();
        version = m.version;
    }
    tx.commit();
    return version;
}

std::string utcTimestamp(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

} // namespace alphascope::sql
