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
    // 3: searches' runs. A run row is written before its search starts and carries everything needed to
    //    run it again (config JSON, seed, the dataset's description, not only its id). Snapshots of the
    //    monitor's figures and of the pool's members are appended as the search goes, so a crash loses
    //    at most the last interval; owner_pid/owner_host let a later process tell a dead owner's
    //    'running' row from a live one. A factor saved from a run's pool remembers the run.
    {3, R"sql(
CREATE TABLE runs (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    algorithm              TEXT NOT NULL,
    config_json            TEXT NOT NULL DEFAULT '',
    seed                   INTEGER NOT NULL DEFAULT 0,
    device                 TEXT NOT NULL DEFAULT '',
    dataset_id             INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    data_path              TEXT NOT NULL DEFAULT '',
    sectors_path           TEXT NOT NULL DEFAULT '',
    universe               TEXT NOT NULL DEFAULT '',
    mask_zero_volume       INTEGER NOT NULL DEFAULT 0,
    target                 TEXT NOT NULL DEFAULT '',
    splits                 TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL
                           CHECK (status IN ('running', 'finished', 'canceled', 'failed', 'interrupted')),
    started_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    ended_at               TEXT NOT NULL DEFAULT '',
    stop_reason            TEXT NOT NULL DEFAULT '',
    error                  TEXT NOT NULL DEFAULT '',
    evaluations            INTEGER NOT NULL DEFAULT 0,
    episodes               INTEGER NOT NULL DEFAULT 0,
    distinct_formulas      INTEGER NOT NULL DEFAULT 0,
    failed_evaluations     INTEGER NOT NULL DEFAULT 0,
    seconds                REAL NOT NULL DEFAULT 0,
    evaluations_per_second REAL NOT NULL DEFAULT 0,
    best_valid_ic          REAL,
    pool_size              INTEGER NOT NULL DEFAULT 0,
    owner_pid              INTEGER NOT NULL DEFAULT 0,
    owner_host             TEXT NOT NULL DEFAULT '',
    result_json            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_dataset ON runs(dataset_id);
CREATE INDEX runs_status ON runs(status);
CREATE TABLE run_snapshots (
    run_id                 INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq                    INTEGER NOT NULL,
    evaluations            INTEGER NOT NULL DEFAULT 0,
    episodes               INTEGER NOT NULL DEFAULT 0,
    seconds                REAL NOT NULL DEFAULT 0,
    pool_size              INTEGER NOT NULL DEFAULT 0,
    pool_ic                REAL,
    pool_valid_ic          REAL,
    best_ic                REAL,
    mean_abs_mutual        REAL,
    reward_mean            REAL,
    reward_best            REAL,
    loss                   REAL,
    evaluations_per_second REAL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE run_members (
    run_id                 INTEGER NOT NULL,
    seq                    INTEGER NOT NULL,
    position               INTEGER NOT NULL,
    formula                TEXT NOT NULL,
    weight                 REAL,
    ic                     REAL,
    rank_ic                REAL,
    valid_ic               REAL,
    valid_rank_ic          REAL,
    max_abs_corr           REAL,
    max_abs_corr_reference REAL,
    PRIMARY KEY (run_id, seq, position),
    FOREIGN KEY (run_id, seq) REFERENCES run_snapshots(run_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;
ALTER TABLE factors ADD COLUMN origin_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
CREATE INDEX factors_origin_run ON factors(origin_run_id);
)sql"},
    // 4: fits of the market hierarchy (the graph view), so that reopening a project does not refit:
    //    the options, then per window its day (and date, to notice a dataset that changed under the
    //    same path), its statistics and its labels (int16 little-endian, levels x instruments, -1 =
    //    not active). A dataset's fits go with it.
    {4, R"sql(
CREATE TABLE graph_fits (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id   INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
    method       TEXT NOT NULL,
    options_json TEXT NOT NULL,
    instruments  INTEGER NOT NULL,
    days         INTEGER NOT NULL,
    seconds      REAL NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX graph_fits_dataset ON graph_fits(dataset_id);
CREATE TABLE graph_fit_windows (
    fit_id           INTEGER NOT NULL REFERENCES graph_fits(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    end_day          INTEGER NOT NULL,
    end_date         TEXT NOT NULL,
    active           INTEGER NOT NULL,
    mean_correlation REAL,
    cophenetic       REAL,
    levels_json      TEXT NOT NULL,
    labels           BLOB NOT NULL,
    PRIMARY KEY (fit_id, position)
) WITHOUT ROWID;
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
                                            std::to_string(latestSchemaVersion()) + "); it was left unchanged"};
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

sqlite3* openProject(const std::string& path, int& version) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = std::string("cannot open the project: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        throw StoreError{ErrorCode::Io, std::move(message)};
    }
    try {
        sqlite3_busy_timeout(db, kBusyTimeoutMs);
        const int found = readSchemaVersion(db);
        if (found > latestSchemaVersion()) failTooNew(found);
        Statement(db, "PRAGMA journal_mode = WAL").step(); // answers "memory" for :memory:, which is fine
        exec(db, "PRAGMA foreign_keys = ON");
        version = migrate(db);
    } catch (...) {
        sqlite3_close_v2(db);
        throw;
    }
    return db;
}

std::string utcTimestamp(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

} // namespace alphascope::sql
