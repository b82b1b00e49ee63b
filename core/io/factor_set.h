#pragma once
// FactorSet: the factors a user takes out of AlphaScope, with where they came from (dataset, target,
// splits, search config, run), and the files it is written to: the native JSON, AlphaGen's pool
// JSON, a CSV of metrics, a Qlib expression list, and the factor values as long CSV.

#include "core/eval/research_session.h"
#include "core/io/pool_choice.h"
#include "core/store/project_store.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// One factor of a set.
struct FactorSetMember {
    /// Name, formula, notes and metrics per split; the id and dataset id are the source project's and
    /// are not written to files.
    FactorRecord factor;
    double weight = std::numeric_limits<double>::quiet_NaN(); ///< combination weight; NaN = none fitted
    int line = 0;   ///< where the formula is in the file it was read from (1-based; 0 = not read)
    int column = 0; ///< column of the formula's first character in that line
};

/// A split the metrics were measured on; dates "YYYY-MM-DD", empty when unknown.
struct FactorSetSplit {
    std::string name, first, last;
};

/// The dataset the metrics were measured on.
struct FactorSetDataset {
    std::string source, universe, target;
    int instruments = 0, days = 0;
    std::string first, last; ///< the data's first and last day, empty when unknown
    std::vector<FactorSetSplit> splits;
};

/// Factors with their provenance.
struct FactorSet {
    std::vector<FactorSetMember> members;
    FactorSetDataset dataset;
    std::string searchConfigJson; ///< the search config as serialised JSON text; empty = none
    std::int64_t originRunId = 0; ///< the project run that found the factors; 0 = none
    std::string createdAt;        ///< ISO 8601 UTC; empty = the time of writing
};

/// The file formats of a factor set.
enum class FactorSetFormat { Native, AlphaGen, Csv, Qlib, Values, WorldQuant };

/// "native", "alphagen", "csv", "qlib", "values", "worldquant".
std::string_view factorSetFormatName(FactorSetFormat format);
/// The format of a name as factorSetFormatName writes it; nullopt when unknown.
std::optional<FactorSetFormat> factorSetFormatNamed(std::string_view name);

/// A set of saved factors (weights none), in the order given.
FactorSet factorSetOf(const std::vector<FactorRecord>& factors);
/// The dataset part of a set's provenance, from an open session.
FactorSetDataset datasetOf(const ResearchSession& session);
/// The same from a project's dataset row (its splits as stored with it; none when unreadable).
FactorSetDataset datasetOf(const DatasetRecord& record);
/// The current time as ISO 8601 UTC, "2026-11-21T10:00:00Z".
std::string utcNow();

/// The native JSON ("format": "alphascope-factor-set", "version": 1). Errors: InvalidArgument when
/// searchConfigJson is not valid JSON.
Result<std::string> factorSetJson(const FactorSet& set);
/// AlphaGen's pool JSON, {"exprs": [...], "weights": [...]}. A member without a weight is written
/// with weight 1 (an equal-weight sum), the only combination that needs no fit.
std::string alphaGenPoolJson(const FactorSet& set);
/// One row per factor: name, formula, weight, then ic_days, ic, rank_ic, icir, rank_icir, coverage,
/// turnover and autocorrelation per split ("train_ic", ...); NaN and missing as empty cells.
std::string factorSetCsv(const FactorSet& set);

/// A factor left out of a Qlib expression list.
struct QlibFlag {
    std::size_t index = 0; ///< 0-based position in the set
    std::string name, formula, blocker, reason;
};
/// A Qlib expression list and what it could not hold.
struct QlibExport {
    std::string text;              ///< one expression per line; "#" lines are comments
    int expressions = 0;           ///< lines that are expressions
    std::vector<QlibFlag> flagged; ///< each also written as "# not expressible in Qlib: <formula> (uses X)"
};
/// The set as a Qlib expression list (toQlibExpression per factor). Errors: Parse/Semantic for a
/// formula that does not parse, located "factor N".
Result<QlibExport> qlibExpressionList(const FactorSet& set);

/// The set in WorldQuant's notation (toWorldQuant), one expression per line, each after a "# name"
/// line; a formula with operators BRAIN has no name for is written too, with a comment naming them.
struct WorldQuantExport {
    std::string text;
    int expressions = 0;
    std::vector<std::string> notes; ///< one per formula with AlphaScope-only operators
};
/// Errors: Parse/Semantic for a formula that does not parse, located "factor N".
Result<WorldQuantExport> worldQuantExpressionList(const FactorSet& set);

/// Factor values as long CSV: "date,instrument,<one column per factor>", one row per in-universe
/// (day, instrument) of the session, NaN as an empty cell. Evaluates with the session's evaluator;
/// checks `feedback` between factors and days. Errors: formula errors located "factor N", Canceled.
Result<std::string> factorValuesCsv(const FactorSet& set, const ResearchSession& session, Feedback& feedback);
/// The same, streamed to `path` (written beside it and renamed when complete, so a failure or a
/// cancel leaves no partial file). Errors also: Io.
Result<void> writeFactorValuesCsv(const FactorSet& set, const ResearchSession& session, const std::string& path,
                                  Feedback& feedback);

/// What exportFactorSet wrote.
struct FactorSetExportReport {
    int written = 0;                ///< factors (or expressions) written
    std::vector<QlibFlag> flagged;  ///< Qlib only
    std::vector<std::string> notes; ///< e.g. weights written as 1 in an AlphaGen pool
};
/// Writes the set to `path` in `format` (atomically: a temporary file renamed). `session` is needed
/// for Values only (InvalidArgument without it). Errors: as the writers, Io located at the path.
Result<FactorSetExportReport> exportFactorSet(const FactorSet& set, FactorSetFormat format, const std::string& path,
                                              const ResearchSession* session, Feedback& feedback);

/// Reads a factor-set file: the native format (everything), a search pool file (formulas, weights,
/// metrics per split, dataset), AlphaGen's {exprs, weights}, or an expression list (a file that is not
/// JSON: one formula per line in either notation, "#" comments, the comment before a formula its
/// name; the Qlib and WorldQuant exports read back). Members keep the line and column of their
/// formula. Errors: as readPoolFile (Format, located "where:line:column"); a list without a formula.
/// `choice` takes another of a search pool file's pools (readPoolFile; NotFound for other files).
Result<FactorSet> readFactorSet(std::string_view text, const std::string& where = {},
                                PoolChoice choice = PoolChoice::Combined);
/// Reads the file at `path` (readFactorSet located at the path). Errors also: Io.
Result<FactorSet> readFactorSetFile(const std::string& path, PoolChoice choice = PoolChoice::Combined);

} // namespace alphascope
