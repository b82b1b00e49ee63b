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

/// The StoreError for a file written by a newer schema.
[[noreturn]] void failTooNew(int version);

/// ISO 8601 UTC with seconds, e.g. "2026-11-21T10:00:00Z".
std::string utcTimestamp(std::time_t t);

} // namespace alphascope::sql
