#pragma once
// Error and Result<T>: how core reports bad input without throwing across its API.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace alphascope {

/// What kind of failure; the CLI maps these to exit codes.
enum class ErrorCode {
    InvalidArgument, ///< a bad option or configuration value
    Io,              ///< a file could not be opened, read or written
    Format,          ///< a file was read but its content is malformed
    Parse,           ///< a formula could not be parsed
    Semantic,        ///< a formula parsed but cannot be evaluated (unknown field, future data, ...)
    NotFound,        ///< a named thing (universe, group, instrument) does not exist
    Canceled,        ///< the caller asked to stop
    Internal,        ///< a bug; please report
};

/// A located error: `where` is "file:line[:column]", "file@byte", "column N" of a formula, or empty.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    std::string where;
    int column = 0; ///< 1-based column in a formula for parse errors, 0 when not applicable

    /// "where: message", or just the message when there is no location.
    std::string toString() const { return where.empty() ? message : where + ": " + message; }
};

inline Error makeError(ErrorCode code, std::string message, std::string where = {}) {
    return Error{code, std::move(message), std::move(where), 0};
}

/// Either a value or an Error. Cheap to move; check with ok() before value().
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(m_v);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_v);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_v));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_v);
    }

private:
    std::variant<T, Error> m_v;
};

/// Result without a value.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}
    bool ok() const { return m_ok; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(!ok());
        return m_error;
    }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace alphascope
