#pragma once
// Importing a factor set into a project: every formula is re-parsed and re-evaluated on the current
// session first; only when all of them pass are they inserted, in one transaction.

#include "core/eval/research_session.h"
#include "core/io/factor_set.h"
#include "core/store/project_store.h"
#include "core/util/feedback.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// What an import found, and what it wrote.
struct FactorSetImport {
    FactorSet set;                     ///< as read from the file
    std::vector<FactorRecord> records; ///< re-measured on the session, in file order; empty when errors
    std::vector<Error> errors;         ///< one per formula that cannot be imported, located "file:line:column"
    std::vector<std::int64_t> ids;     ///< ids the project gave the records (importFactorSet only)
};

/// Reads `text` (readFactorSet: native, pool or AlphaGen JSON), parses every formula for the session's
/// data and measures it on the session's splits (analyzeFactor, factorRecordOf). Every formula that
/// fails is collected in `errors`, located at its line and column in the file (Error::column = the
/// column inside the formula); nothing is written. Records get `datasetId` and, when the file has no
/// notes for them, a note naming the file and the weight. Errors: the file is not a factor set
/// (Format, located), Canceled. Call off the GUI thread.
Result<FactorSetImport> prepareFactorImport(std::string_view text, const std::string& where,
                                            const ResearchSession& session, Feedback& feedback,
                                            std::int64_t datasetId = 0);

/// prepareFactorImport, then, only when no formula failed, inserts every record in one transaction
/// (ProjectStore::addFactors) and fills `ids`. With formula errors nothing is written: check
/// `errors` before `ids`. Errors: as prepareFactorImport, and the store's (nothing written).
Result<FactorSetImport> importFactorSet(std::string_view text, const std::string& where, const ResearchSession& session,
                                        ProjectStore& store, Feedback& feedback, std::int64_t datasetId = 0);

} // namespace alphascope
