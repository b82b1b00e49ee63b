#include "core/store/project_store.h"

#include "core/store/schema.h"
#include "core/store/sqlite_statement.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <unordered_map>
#include <utility>

namespace alphascope {

namespace {

using sql::guarded;
using sql::Statement;
using sql::StoreError;
using sql::Transaction;

constexpr const char* kFactorColumns = "id, name, formula, notes, dataset_id, created_at, origin_run_id";
constexpr const char* kMetricColumns =
    "factor_id, split, ic_days, ic, rank_ic, icir, rank_icir, coverage, turnover, autocorrelation";

FactorRecord readFactor(const Statement& q) {
    FactorRecord f;
    f.id = q.int64(0);
    f.name = q.text(1);
    f.formula = q.text(2);
    f.notes = q.text(3);
    f.datasetId = q.isNull(4) ? 0 : q.int64(4);
    f.createdAt = q.text(5);
    f.originRunId = q.isNull(6) ? 0 : q.int64(6);
    return f;
}

FactorSplitRecord readMetrics(const Statement& q) {
    FactorSplitRecord m;
    m.split = q.text(1);
    m.icDays = q.integer(2);
    m.ic = q.real(3);
    m.rankIc = q.real(4);
    m.icir = q.real(5);
    m.rankIcir = q.real(6);
    m.coverage = q.real(7);
    m.turnover = q.real(8);
    m.autocorrelation = q.real(9);
    return m;
}

void insertMetrics(sqlite3* db, std::int64_t factorId, const std::vector<FactorSplitRecord>& metrics) {
    Statement q(db, "INSERT INTO factor_metrics (factor_id, position, split, ic_days, ic, rank_ic, icir, rank_icir, "
                    "coverage, turnover, autocorrelation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    int position = 0;
    for (const FactorSplitRecord& m : metrics) {
        q.reset();
        q.bind(1, factorId).bind(2, position++).bind(3, m.split).bind(4, m.icDays);
        q.bind(5, m.ic).bind(6, m.rankIc).bind(7, m.icir).bind(8, m.rankIcir);
        q.bind(9, m.coverage).bind(10, m.turnover).bind(11, m.autocorrelation);
        try {
            q.run();
        } catch (const StoreError& e) {
            if (e.code != ErrorCode::InvalidArgument) throw;
            throw StoreError{e.code, "split '" + m.split + "' appears twice in the metrics of a factor"};
        }
    }
}

void bindDatasetId(Statement& q, int index, sqlite3* db, std::int64_t datasetId) {
    if (datasetId == 0) {
        q.bindNull(index);
        return;
    }
    Statement exists(db, "SELECT 1 FROM datasets WHERE id = ?1");
    if (!exists.bind(1, datasetId).step())
        throw StoreError{ErrorCode::NotFound, "no dataset with id " + std::to_string(datasetId) + " in the project"};
    q.bind(index, datasetId);
}

/// A run that is gone (or 0) binds NULL, the state ON DELETE SET NULL leaves behind.
void bindOriginRunId(Statement& q, int index, sqlite3* db, std::int64_t runId) {
    Statement exists(db, "SELECT 1 FROM runs WHERE id = ?1");
    if (runId != 0 && exists.bind(1, runId).step())
        q.bind(index, runId);
    else
        q.bindNull(index);
}

/// Inserts one factor and its metrics inside the caller's transaction; returns its id.
std::int64_t insertFactor(sqlite3* db, const FactorRecord& f) {
    if (f.id < 0) throw StoreError{ErrorCode::InvalidArgument, "a factor id must be positive"};
    if (f.id != 0) {
        Statement exists(db, "SELECT 1 FROM factors WHERE id = ?1");
        if (exists.bind(1, f.id).step())
            throw StoreError{ErrorCode::InvalidArgument,
                             "a factor with id " + std::to_string(f.id) + " already exists"};
    }
    Statement q(db, "INSERT INTO factors (id, name, formula, notes, dataset_id, created_at, origin_run_id) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (f.id != 0)
        q.bind(1, f.id);
    else
        q.bindNull(1); // NULL: SQLite picks the next id
    q.bind(2, f.name).bind(3, f.formula).bind(4, f.notes);
    bindDatasetId(q, 5, db, f.datasetId);
    q.bind(6, f.createdAt.empty() ? sql::utcTimestamp(std::time(nullptr)) : f.createdAt);
    bindOriginRunId(q, 7, db, f.originRunId);
    q.run();
    const std::int64_t id = sqlite3_last_insert_rowid(db);
    insertMetrics(db, id, f.metrics);
    return id;
}

} // namespace

struct ProjectStore::Impl {
    std::string path;
    sqlite3* db = nullptr;
    int version = 0;

    ~Impl() { sqlite3_close_v2(db); }
};

ProjectStore::ProjectStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ProjectStore::~ProjectStore() = default;

int ProjectStore::latestSchemaVersion() {
    return sql::latestSchemaVersion();
}
const std::string& ProjectStore::path() const {
    return m_impl->path;
}
int ProjectStore::schemaVersion() const {
    return m_impl->version;
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const std::string& path) {
    if (path.empty()) return makeError(ErrorCode::InvalidArgument, "no project file given");
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    Impl* p = impl.get();
    auto opened = guarded(path, [p] { p->db = sql::openProject(p->path, p->version); });
    if (!opened.ok()) return opened.error();
    return std::unique_ptr<ProjectStore>(new ProjectStore(std::move(impl)));
}

Result<std::int64_t> ProjectStore::upsertDataset(const DatasetRecord& d) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement find(db, "SELECT id FROM datasets WHERE path = ?1 AND universe = ?2");
        const bool exists = find.bind(1, d.path).bind(2, d.universe).step();
        const std::int64_t existing = exists ? find.int64(0) : 0;
        Statement q(db, exists
                            ? "UPDATE datasets SET name = ?3, sectors_path = ?4, target = ?5, splits = ?6, "
                              "instruments = ?7, days = ?8, first_date = ?9, last_date = ?10, last_opened = ?11 "
                              "WHERE path = ?1 AND universe = ?2"
                            : "INSERT INTO datasets (path, universe, name, sectors_path, target, splits, instruments, "
                              "days, first_date, last_date, last_opened) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        q.bind(1, d.path).bind(2, d.universe).bind(3, d.name).bind(4, d.sectorsPath).bind(5, d.target);
        q.bind(6, d.splits).bind(7, d.instruments).bind(8, d.days).bind(9, d.firstDate).bind(10, d.lastDate);
        q.bind(11, d.lastOpened != 0 ? d.lastOpened : static_cast<std::int64_t>(std::time(nullptr)));
        q.run();
        const std::int64_t id = exists ? existing : sqlite3_last_insert_rowid(db);
        tx.commit();
        return id;
    });
}

Result<std::vector<DatasetRecord>> ProjectStore::datasets() const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, "SELECT id, name, path, sectors_path, universe, target, splits, instruments, days, "
                        "first_date, last_date, last_opened FROM datasets ORDER BY last_opened DESC, id DESC");
        std::vector<DatasetRecord> out;
        while (q.step()) {
            DatasetRecord d;
            d.id = q.int64(0);
            d.name = q.text(1);
            d.path = q.text(2);
            d.sectorsPath = q.text(3);
            d.universe = q.text(4);
            d.target = q.text(5);
            d.splits = q.text(6);
            d.instruments = q.integer(7);
            d.days = q.integer(8);
            d.firstDate = q.text(9);
            d.lastDate = q.text(10);
            d.lastOpened = q.int64(11);
            out.push_back(std::move(d));
        }
        return out;
    });
}

Result<std::int64_t> ProjectStore::addFactor(const FactorRecord& f) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        const std::int64_t id = insertFactor(db, f);
        tx.commit();
        return id;
    });
}

Result<std::vector<std::int64_t>> ProjectStore::addFactors(const std::vector<FactorRecord>& factors) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db); // one transaction: a failure on the last factor rolls back the first
        std::vector<std::int64_t> ids;
        ids.reserve(factors.size());
        for (std::size_t k = 0; k < factors.size(); ++k) {
            try {
                ids.push_back(insertFactor(db, factors[k]));
            } catch (const StoreError& e) {
                throw StoreError{e.code, "factor " + std::to_string(k + 1) + " of " + std::to_string(factors.size()) +
                                             ": " + e.message};
            }
        }
        tx.commit();
        return ids;
    });
}

Result<void> ProjectStore::updateFactor(const FactorRecord& f) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db, "UPDATE factors SET name = ?2, formula = ?3, notes = ?4, origin_run_id = ?5 WHERE id = ?1");
        q.bind(1, f.id).bind(2, f.name).bind(3, f.formula).bind(4, f.notes);
        bindOriginRunId(q, 5, db, f.originRunId);
        q.run();
        if (sqlite3_changes(db) == 0)
            throw StoreError{ErrorCode::NotFound, "no factor with id " + std::to_string(f.id) + " in the project"};
        Statement clear(db, "DELETE FROM factor_metrics WHERE factor_id = ?1");
        clear.bind(1, f.id).run();
        insertMetrics(db, f.id, f.metrics);
        tx.commit();
    });
}

Result<void> ProjectStore::removeFactor(std::int64_t id) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db, "DELETE FROM factors WHERE id = ?1"); // metrics go by ON DELETE CASCADE
        q.bind(1, id).run();
        if (sqlite3_changes(db) == 0)
            throw StoreError{ErrorCode::NotFound, "no factor with id " + std::to_string(id) + " in the project"};
        tx.commit();
    });
}

Result<std::optional<FactorRecord>> ProjectStore::factor(std::int64_t id) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db, Transaction::Mode::Read); // factor and metrics from one snapshot
        Statement q(db, std::string("SELECT ") + kFactorColumns + " FROM factors WHERE id = ?1");
        if (!q.bind(1, id).step()) return std::optional<FactorRecord>();
        FactorRecord f = readFactor(q);
        Statement m(db, std::string("SELECT ") + kMetricColumns +
                            " FROM factor_metrics WHERE factor_id = ?1 ORDER BY position");
        m.bind(1, id);
        while (m.step()) f.metrics.push_back(readMetrics(m));
        tx.commit();
        return std::optional<FactorRecord>(std::move(f));
    });
}

Result<std::vector<FactorRecord>> ProjectStore::factors() const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db, Transaction::Mode::Read);
        std::vector<FactorRecord> out;
        std::unordered_map<std::int64_t, std::size_t> index;
        Statement q(db, std::string("SELECT ") + kFactorColumns + " FROM factors ORDER BY id");
        while (q.step()) {
            out.push_back(readFactor(q));
            index.emplace(out.back().id, out.size() - 1);
        }
        Statement m(db, std::string("SELECT ") + kMetricColumns + " FROM factor_metrics ORDER BY factor_id, position");
        while (m.step()) {
            const auto it = index.find(m.int64(0));
            if (it != index.end()) out[it->second].metrics.push_back(readMetrics(m));
        }
        tx.commit();
        return out;
    });
}

Result<void> ProjectStore::saveAs(const std::string& path) const {
    if (path.empty()) return makeError(ErrorCode::InvalidArgument, "no file to save the project to");
    std::error_code ec;
    if (std::filesystem::equivalent(m_impl->path, path, ec))
        return makeError(ErrorCode::InvalidArgument, "this is the project's own file", path);
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    auto result = guarded(path, [&] {
        if (rc != SQLITE_OK) sql::fail(dest, rc, "cannot create the copy");
        sqlite3_busy_timeout(dest, sql::kBusyTimeoutMs);
        sqlite3_backup* backup = sqlite3_backup_init(dest, "main", m_impl->db, "main");
        if (!backup) sql::fail(dest, sqlite3_errcode(dest), "cannot copy the project");
        // -1: all pages in one step, so the copy is one consistent snapshot of the source.
        do {
            rc = sqlite3_backup_step(backup, -1);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(backup);
        if (rc != SQLITE_DONE) sql::fail(dest, rc, "cannot copy the project");
    });
    sqlite3_close_v2(dest);
    return result;
}

namespace {

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
double numberOf(const nlohmann::json& j) {
    return j.is_number() ? j.get<double>() : std::nan("");
}

std::string levelsJson(const std::vector<graph::LevelWindow>& levels) {
    nlohmann::json out = nlohmann::json::array();
    for (const graph::LevelWindow& l : levels)
        out.push_back({{"clusters", l.clusters},
                       {"silhouette", number(l.silhouette)},
                       {"intra", number(l.intra)},
                       {"inter", number(l.inter)},
                       {"ari_compared", number(l.ariCompared)},
                       {"ari_previous", number(l.ariPrevious)},
                       {"entropy", number(l.entropy)},
                       {"largest_share", number(l.largestShare)}});
    return out.dump();
}

std::vector<graph::LevelWindow> levelsFromJson(const std::string& text, std::size_t levels) {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.size() != levels)
        throw StoreError{ErrorCode::Format, "a stored hierarchy window has damaged level statistics"};
    std::vector<graph::LevelWindow> out;
    for (const nlohmann::json& l : j) {
        if (!l.is_object() || !l.contains("clusters") || !l["clusters"].is_number_integer())
            throw StoreError{ErrorCode::Format, "a stored hierarchy window has damaged level statistics"};
        graph::LevelWindow w;
        w.clusters = l["clusters"].get<int>();
        w.silhouette = numberOf(l.value("silhouette", nlohmann::json()));
        w.intra = numberOf(l.value("intra", nlohmann::json()));
        w.inter = numberOf(l.value("inter", nlohmann::json()));
        w.ariCompared = numberOf(l.value("ari_compared", nlohmann::json()));
        w.ariPrevious = numberOf(l.value("ari_previous", nlohmann::json()));
        w.entropy = numberOf(l.value("entropy", nlohmann::json()));
        w.largestShare = numberOf(l.value("largest_share", nlohmann::json()));
        out.push_back(w);
    }
    return out;
}

// Labels as int16 little-endian, level after level.
std::string packLabels(const std::vector<std::vector<int>>& labels) {
    std::string bytes;
    for (const std::vector<int>& level : labels)
        for (int v : level) {
            const auto u = static_cast<std::uint16_t>(static_cast<std::int16_t>(v));
            bytes.push_back(static_cast<char>(u & 0xff));
            bytes.push_back(static_cast<char>(u >> 8));
        }
    return bytes;
}

std::vector<std::vector<int>> unpackLabels(const std::string& bytes, std::size_t levels, int instruments) {
    const std::size_t n = static_cast<std::size_t>(instruments);
    if (bytes.size() != 2 * levels * n)
        throw StoreError{ErrorCode::Format, "a stored hierarchy window has damaged labels"};
    std::vector<std::vector<int>> out(levels, std::vector<int>(n));
    for (std::size_t l = 0; l < levels; ++l)
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = 2 * (l * n + i);
            const auto u = static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                                      (static_cast<unsigned char>(bytes[at + 1]) << 8));
            out[l][i] = static_cast<std::int16_t>(u);
            if (out[l][i] < -1) throw StoreError{ErrorCode::Format, "a stored hierarchy window has damaged labels"};
        }
    return out;
}

} // namespace

Result<std::int64_t> ProjectStore::addGraphFit(std::int64_t datasetId, const std::string& method,
                                               const graph::HierarchyFit& fit, const MarketData& data) {
    for (const graph::WindowFit& w : fit.windows) {
        if (w.end < 0 || w.end >= data.days())
            return makeError(ErrorCode::InvalidArgument, "the fit does not belong to this data");
        for (const auto& level : w.labels)
            for (int v : level)
                if (v > 32767)
                    return makeError(ErrorCode::InvalidArgument,
                                     "a fit with more than 32,767 clusters cannot be stored");
    }
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db,
                    "INSERT INTO graph_fits (dataset_id, method, options_json, instruments, days, seconds, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (datasetId > 0)
            q.bind(1, datasetId);
        else
            q.bindNull(1);
        q.bind(2, method)
            .bind(3, hierarchyOptionsToJson(fit.options))
            .bind(4, data.instrumentCount())
            .bind(5, data.days());
        q.bind(6, fit.seconds).bind(7, sql::utcTimestamp(std::time(nullptr))).run();
        const std::int64_t id = sqlite3_last_insert_rowid(db);
        Statement w(db, "INSERT INTO graph_fit_windows (fit_id, position, end_day, end_date, active, mean_correlation, "
                        "cophenetic, levels_json, labels) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        for (std::size_t k = 0; k < fit.windows.size(); ++k) {
            const graph::WindowFit& f = fit.windows[k];
            w.reset();
            w.bind(1, id)
                .bind(2, static_cast<int>(k))
                .bind(3, f.end)
                .bind(4, data.calendar[f.end].toString())
                .bind(5, f.active);
            w.bind(6, f.meanCorrelation)
                .bind(7, f.cophenetic)
                .bind(8, levelsJson(f.levels))
                .bindBlob(9, packLabels(f.labels))
                .run();
        }
        if (datasetId > 0) {
            Statement prune(db, "DELETE FROM graph_fits WHERE dataset_id = ?1 AND id NOT IN "
                                "(SELECT id FROM graph_fits WHERE dataset_id = ?1 ORDER BY id DESC LIMIT ?2)");
            prune.bind(1, datasetId).bind(2, kGraphFitsKept).run();
        }
        tx.commit();
        return id;
    });
}

Result<std::optional<GraphFitRecord>> ProjectStore::latestGraphFit(std::int64_t datasetId,
                                                                   const MarketData& data) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&]() -> std::optional<GraphFitRecord> {
        Statement fits(db, "SELECT id, method, options_json, instruments, days, seconds, created_at FROM graph_fits "
                           "WHERE dataset_id = ?1 ORDER BY id DESC");
        fits.bind(1, datasetId);
        while (fits.step()) {
            GraphFitRecord r;
            r.id = fits.int64(0);
            r.datasetId = datasetId;
            r.method = fits.text(1);
            auto options = hierarchyOptionsFromJson(fits.text(2));
            if (!options.ok())
                throw StoreError{ErrorCode::Format,
                                 "graph fit " + std::to_string(r.id) + ": " + options.error().message};
            r.instruments = fits.integer(3);
            r.days = fits.integer(4);
            r.fit.options = options.value();
            r.fit.seconds = fits.real(5);
            r.createdAt = fits.text(6);
            if (r.instruments != data.instrumentCount() || r.days != data.days()) continue; // another shape: stale
            Statement w(db, "SELECT end_day, end_date, active, mean_correlation, cophenetic, levels_json, labels "
                            "FROM graph_fit_windows WHERE fit_id = ?1 ORDER BY position");
            w.bind(1, r.id);
            bool stale = false;
            while (w.step()) {
                graph::WindowFit f;
                f.end = w.integer(0);
                const std::string date = w.text(1);
                if (f.end < 0 || f.end >= data.days() || data.calendar[f.end].toString() != date) {
                    stale = true;
                    break;
                }
                f.active = w.integer(2);
                f.meanCorrelation = w.real(3);
                f.cophenetic = w.real(4);
                f.levels = levelsFromJson(w.text(5), r.fit.options.levels.size());
                f.labels = unpackLabels(w.blob(6), r.fit.options.levels.size(), r.instruments);
                r.endDates.push_back(date);
                r.fit.windows.push_back(std::move(f));
            }
            if (stale || r.fit.windows.empty()) continue;
            r.fit.groupings = graph::levelGroupings(r.fit, data.days(), data.instrumentCount());
            return r;
        }
        return std::nullopt;
    });
}

Result<void> ProjectStore::setValue(const std::string& key, const std::string& value) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db, "INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = "
                        "excluded.value");
        q.bind(1, key).bind(2, value).run();
        tx.commit();
    });
}

Result<std::optional<std::string>> ProjectStore::value(const std::string& key) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, "SELECT value FROM kv WHERE key = ?1");
        if (!q.bind(1, key).step()) return std::optional<std::string>();
        return std::optional<std::string>(q.text(0));
    });
}

} // namespace alphascope
