#pragma once
// A thin RAII layer over the SQLite C API for core/store. Internal: it includes sqlite3.h, so only
// .cpp files of core/store include it.

#include "core/util/result.h"

#include <sqlite3.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace alphascope::sql {

/// A failed store operation. Thrown only inside core/store (it keeps each operation a straight line
/// of SQL with rollback by RAII) and turned into an Error at the ProjectStore API.
struct StoreError {
    ErrorCode code;
    std::string message;
};

/// Runs `f`, turning a StoreError (or any other exception) into an Error located at `path`, so that
/// nothing is thrown across a store's API.
template <class F>
auto guarded(const std::string& path, F&& f) -> Result<std::invoke_result_t<F>> {
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
            f();
            return {};
        } else {
            return f();
        }
    } catch (const StoreError& e) {
        return makeError(e.code, e.message, path);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, e.what(), path);
    }
}

/// Throws a StoreError for SQLite result `rc` on `db`, "what: sqlite's message".
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what);
/// The ErrorCode for a SQLite result code.
ErrorCode errorCodeOf(int rc);

/// Runs SQL without results (one or several statements).
void exec(sqlite3* db, const char* sql);

/// One prepared statement; bind indexes are 1-based and columns 0-based, like SQLite's.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    /// NaN is bound as NULL.
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bindNull(int index);
    /// Binds `bytes` as a BLOB (not text).
    Statement& bindBlob(int index, std::string_view bytes);

    /// Advances: true when a row is available, false when done.
    bool step();
    /// Steps to the end (for statements without rows).
    void run() {
        while (step()) {
        }
    }
    /// Makes the statement runnable again with new bindings.
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    /// NULL reads back as NaN.
    double real(int column) const;
    std::string text(int column) const;
    /// A BLOB column's bytes (empty for NULL).
    std::string blob(int column) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// A transaction that rolls back in its destructor unless commit() ran, so a StoreError thrown
/// half-way undoes every write before it. Writes use IMMEDIATE (takes the write lock up front, so
/// busy_timeout applies instead of a deadlock on upgrade); reads use DEFERRED for one snapshot.
class Transaction {
public:
    enum class Mode { Read, Write };
    explicit Transaction(sqlite3* db, Mode mode = Mode::Write);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    sqlite3* m_db;
    bool m_open = true;
};

} // namespace alphascope::sql
