#include "core/data/csv_loader.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

namespace alphascope {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Result<File> openForWriting(const std::string& path) {
    File f(std::fopen(path.c_str(), "w"));
    if (!f) return makeError(ErrorCode::Io, "cannot write the file", path);
    return f;
}

Result<void> closeChecked(File f, const std::string& path) {
    const bool failed = std::ferror(f.get()) != 0;
    if (std::fclose(f.release()) != 0 || failed) return makeError(ErrorCode::Io, "writing failed (disk full?)", path);
    return {};
}

} // namespace

Result<void> writeLongCsv(const MarketData& data, const std::string& path) {
    auto f = openForWriting(path);
    if (!f.ok()) return f.error();
    const auto names = data.fieldNames();
    std::vector<const Panel*> fields;
    std::fputs("date,instrument", f->get());
    for (const auto& n : names) {
        std::fprintf(f->get(), ",%s", n.c_str());
        fields.push_back(data.field(n));
    }
    std::fputc('\n', f->get());
    for (int t = 0; t < data.days(); ++t) {
        const std::string date = data.calendar[t].toString();
        for (int i = 0; i < data.instrumentCount(); ++i) {
            if (!data.isMember(t, i)) continue;
            std::fprintf(f->get(), "%s,%s", date.c_str(), data.instruments[static_cast<std::size_t>(i)].c_str());
            for (const Panel* p : fields) {
                const float v = p->at(t, i);
                if (std::isfinite(v))
                    std::fprintf(f->get(), ",%.9g", double(v));
                else
                    std::fputc(',', f->get());
            }
            std::fputc('\n', f->get());
        }
    }
    return closeChecked(std::move(f.value()), path);
}

Result<void> writeGroupsCsv(const MarketData& data, const std::string& path) {
    auto f = openForWriting(path);
    if (!f.ok()) return f.error();
    // A grouping that changes over time (a learned hierarchy level) has no single column: it is left
    // out (`alphascope-cli graph --assignments-csv` writes it per fit).
    std::vector<const Grouping*> fixed;
    for (const auto& g : data.groupings)
        if (!g.timeVarying()) fixed.push_back(&g);
    std::fputs("instrument", f->get());
    for (const Grouping* g : fixed) std::fprintf(f->get(), ",%s", g->name.c_str());
    std::fputc('\n', f->get());
    for (int i = 0; i < data.instrumentCount(); ++i) {
        std::fputs(data.instruments[static_cast<std::size_t>(i)].c_str(), f->get());
        for (const Grouping* gp : fixed) {
            const Grouping& g = *gp;
            const int id = g.ids[static_cast<std::size_t>(i)];
            std::fprintf(f->get(), ",%s", id >= 0 ? g.labels[static_cast<std::size_t>(id)].c_str() : "");
        }
        std::fputc('\n', f->get());
    }
    return closeChecked(std::move(f.value()), path);
}

} // namespace alphascope
