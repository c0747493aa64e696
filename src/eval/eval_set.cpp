#include "eval/eval_set.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/utf8.h"

namespace cmdai::eval {
namespace {

enum class Column { id, category, request, accept_regex, min_risk };

struct ColumnName {
  std::string_view name;
  Column column;
  bool required;
};

constexpr std::array<ColumnName, 5> k_columns{{
    {"id", Column::id, true},
    {"category", Column::category, false},
    {"request", Column::request, true},
    {"accept_regex", Column::accept_regex, true},
    {"min_risk", Column::min_risk, false},
}};

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

struct Reader {
  const std::string& name;
  std::vector<Column> layout;  // the column of each field, in file order

  Error at(std::size_t line, const std::string& message, std::string hint = {}) const {
    return Error{ErrorCode::invalid_argument, name + ":" + std::to_string(line) + ": " + message, std::move(hint)};
  }

  Result<void> read_header(std::string_view header, std::size_t line) {
    std::set<Column> seen;
    for (std::string_view field : split_fields(header)) {
      const auto known =
          std::find_if(k_columns.begin(), k_columns.end(), [&](const ColumnName& c) { return c.name == field; });
      if (known == k_columns.end()) {
        return fail(at(line, "unknown column '" + std::string(field) + "'",
                       "the header names id, request, accept_regex and optionally category and min_risk"));
      }
      if (!seen.insert(known->column).second) return fail(at(line, "column '" + std::string(field) + "' twice"));
      layout.push_back(known->column);
    }
    for (const auto& c : k_columns) {
      if (c.required && !seen.contains(c.column)) {
        return fail(at(line, "no '" + std::string(c.name) + "' column",
                       "the first line names the columns: id, request, accept_regex (tab-separated)"));
      }
    }
    return {};
  }

  Result<std::optional<RiskLevel>> min_risk(std::string_view text, std::size_t line) const {
    if (text.empty()) return std::optional<RiskLevel>();
    if (text == "high") return std::optional<RiskLevel>(RiskLevel::high);
    if (text == "critical") return std::optional<RiskLevel>(RiskLevel::critical);
    return fail(at(line, "min_risk is '" + std::string(text) + "'", "leave it empty or write high or critical"));
  }

  Result<EvalRow> read_row(std::string_view text, std::size_t line) const {
    const auto fields = split_fields(text);
    if (fields.size() != layout.size()) {
      return fail(at(line, std::to_string(fields.size()) + " fields, the header names " + std::to_string(layout.size()),
                     "separate the fields with one tab each; a field cannot hold a tab"));
    }
    std::string_view id, request, regex, category, risk;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      switch (layout[i]) {
        case Column::id: id = fields[i]; break;
        case Column::category: category = fields[i]; break;
        case Column::request: request = fields[i]; break;
        case Column::accept_regex: regex = fields[i]; break;
        case Column::min_risk: risk = fields[i]; break;
      }
    }
    if (id.empty()) return fail(at(line, "the id is empty"));
    if (request.empty()) return fail(at(line, "the request of " + std::string(id) + " is empty"));
    if (regex.empty()) return fail(at(line, "the accept_regex of " + std::string(id) + " is empty"));
    auto accept = AcceptPattern::compile(regex);
    if (!accept) return fail(at(line, accept.error().message + " (row " + std::string(id) + ")"));
    auto risk_level = min_risk(risk, line);
    if (!risk_level) return fail(risk_level.error());
    return EvalRow{std::string(id), std::string(category), std::string(request), std::move(*accept), *risk_level, line};
  }
};

}  // namespace

Result<EvalSet> parse_eval_set(std::string_view text, const std::string& name) {
  Reader reader{name, {}};
  EvalSet set{name, {}};
  std::set<std::string, std::less<>> ids;
  std::size_t line = 0;
  bool header = false;
  std::istringstream lines{std::string(text)};
  for (std::string content; std::getline(lines, content);) {
    ++line;
    if (!content.empty() && content.back() == '\r') content.pop_back();
    // Some editors start a UTF-8 file with a byte order mark.
    if (line == 1 && content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
    if (const auto bad = first_invalid_utf8(content); bad != std::string::npos) {
      return fail(
          reader.at(line, "not UTF-8 (byte " + std::to_string(bad + 1) + " of the line)", "save the file as UTF-8"));
    }
    if (content.find_first_not_of(" \t") == std::string::npos) continue;
    if (!header) {
      CMDAI_TRY(reader.read_header(content, line));
      header = true;
      continue;
    }
    auto row = reader.read_row(content, line);
    if (!row) return fail(row.error());
    if (!ids.insert(row->id).second) return fail(reader.at(line, "id " + row->id + " is used twice"));
    set.rows.push_back(std::move(*row));
  }
  if (!header)
    return fail(reader.at(1, "the file is empty", "the first line names the columns: id, request, accept_regex"));
  if (set.rows.empty()) return fail(reader.at(line, "no rows after the header"));
  return set;
}

Result<EvalSet> load_eval_set(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return fail(ErrorCode::not_found, "no such file: " + path.string(), "give the path of a .tsv evaluation set");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return fail(ErrorCode::invalid_argument, path.string() + " is a directory", "give the path of a .tsv file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io_error, "cannot read " + path.string(), "check its permissions");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_eval_set(text, path.string());
}

}  // namespace cmdai::eval
