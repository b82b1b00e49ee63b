#pragma once
// The project file's schema: an ordered list of forward migrations and the version bookkeeping.
// Internal to core/store.

#include <sqlite3.h>

#include <cstdint>
#include <ctime>
#include <string>

namespace alphascope::sql {

/// The schema version this build writes (the last migration).
int latestSchemaVersion();

/// Version of an open database: 0 when it is empty. Throws StoreError (Format) when the file is not
/// a SQLite database or is a SQLite database of something else. Reads only.
int readSchemaVersion(sqlite3* db);

/// Applies the missing migrations in one write transaction and returns the resulting version. Throws
/// StoreError when the file is newer than this build (and leaves it unchanged).
int migrate(sqlite3* db);

/// How long a connection waits for another one's write lock before giving up (ms).
inline constexpr int kBusyTimeoutMs = 5000;

/// Opens one connection to a project file, creating it when missing: busy timeout, refusal of foreign
/// and newer files before anything (even the WAL switch) writes to them, WAL, foreign keys on, then
/// the missing migrations. Returns the connection and sets `version`. Throws StoreError, with the
/// connection closed again. ProjectStore and RunStore both open their files through it.
sqlite3* openProject(const std::string& path, int& version);

/// The StoreError for a file written by a newer schema.
[[noreturn]] void failTooNew(int version);

/// ISO 8601 UTC with seconds, e.g. "2026-11-21T10:00:00Z".
std::string utcTimestamp(std::time_t t);

} // namespace alphascope::sql
