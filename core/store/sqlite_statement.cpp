#include "core/store/sqlite_statement.h"

#include <cmath>

namespace alphascope::sql {

ErrorCode errorCodeOf(int rc) {
    switch (rc & 0xff) { // primary code of an extended one
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_SCHEMA: return ErrorCode::Format;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: return ErrorCode::InvalidArgument;
    case SQLITE_NOTFOUND: return ErrorCode::NotFound;
    case SQLITE_INTERRUPT: return ErrorCode::Canceled;
    case SQLITE_ERROR:
    case SQLITE_MISUSE:
    case SQLITE_INTERNAL: return ErrorCode::Internal;
    default: // BUSY, LOCKED, IOERR, CANTOPEN, READONLY, FULL, PERM, NOMEM, ...
        return ErrorCode::Io;
    }
}

void fail(sqlite3* db, int rc, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw StoreError{errorCodeOf(rc), std::move(message)};
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw StoreError{errorCodeOf(rc), "SQL failed: " + text};
    }
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "cannot read the project");
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (const int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK) fail(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (std::isnan(value)) return bindNull(index);
    if (const int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK) fail(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
    const int rc = sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (const int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK) fail(m_db, rc, "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(m_db, rc, "cannot update the project");
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const {
    return isNull(column) ? std::nan("") : sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column); // after column_text: the UTF-8 length
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::string Statement::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

Transaction::Transaction(sqlite3* db, Mode mode) : m_db(db) {
    exec(db, mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
    // SQLite may already have rolled back by itself (e.g. on SQLITE_FULL): then autocommit is on again.
    if (m_open && !sqlite3_get_autocommit(m_db)) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    // A SELECT that stopped at its first row is still running and would block COMMIT; every statement
    // of the connection belongs to this operation, which is finished with them.
    for (sqlite3_stmt* s = sqlite3_next_stmt(m_db, nullptr); s; s = sqlite3_next_stmt(m_db, s))
        if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
    exec(m_db, "COMMIT");
    m_open = false;
}

} // namespace alphascope::sql
