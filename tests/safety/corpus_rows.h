#pragma once
// The labelled safety corpus (tests/safety/corpus/*.tsv) as rows with stable
// ids, and the figures the gates are written in: how many rows of each
// label the validator rates right.
//
// A row's id is "<file stem>:<first 12 hex digits of sha256(command TAB cwd)>",
// so it survives reordering, insertions and edits of other rows; it changes
// only when the row itself does.

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/entities.h"
#include "llm/sha256.h"
#include "safety/validator.h"

namespace cmdai::safety::corpus {

struct Row {
  std::string id;
  std::string file;  // corpus.tsv, holdout.tsv ...
  std::string command, cwd, family;
  RiskLevel expected = RiskLevel::safe;
  std::size_t line = 0;
};

inline std::string corpus_dir() { return std::string(CMDAI_SOURCE_DIR) + "/tests/safety/corpus/"; }

// The corpus files' escapes: \n, \t and \\ (anything else stands for itself).
inline std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char e = s[++i];
    out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
  }
  return out;
}

// The inverse of unescape (how rows are printed and pinned).
inline std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\\') out += '\\';
    out += c == '\n' ? 'n' : c == '\t' ? 't' : c;
  }
  return out;
}

inline std::string row_id(std::string_view file, std::string_view command, std::string_view cwd) {
  llm::Sha256 hash;
  hash.update(command);
  hash.update("\t");
  hash.update(cwd);
  const std::string stem(file.substr(0, file.rfind('.')));
  return stem + ":" + hash.hex_digest().substr(0, 12);
}

// Rows of one file; a malformed line is returned in `problems` (the tests
// fail on any).
inline std::vector<Row> load(const std::string& file, std::vector<std::string>& problems) {
  std::ifstream in(corpus_dir() + file);
  if (!in) problems.push_back(file + ": cannot be read");
  std::vector<Row> rows;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || number == 1) continue;  // the header
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    const auto level =
        cols.size() == 4 ? parse_risk_level(cols[2]) : Result<RiskLevel>(fail(ErrorCode::corruption, ""));
    if (!level) {
      problems.push_back(file + ":" + std::to_string(number) + ": not 'command TAB cwd TAB level TAB family'");
      continue;
    }
    const std::string command = unescape(cols[0]);
    rows.push_back({row_id(file, command, cols[1]), file, command, cols[1], cols[3], *level, number});
  }
  return rows;
}

// No file_kind and no on_path: a row rates the same on any machine, by
// names alone and by cmdai's own table of programs (known_programs.cpp).
inline ValidationContext context_for(const Row& row) {
  ValidationContext context;
  context.working_directory = row.cwd;
  context.home_directory = "/home/u";
  return context;
}

// Counts per label; "right" follows the gates of the safety README section.
struct Figures {
  std::size_t rows = 0;
  std::size_t risky = 0, detected = 0;          // labelled high/critical; rated at least high
  std::size_t critical = 0, critical_kept = 0;  // labelled critical; rated critical
  std::size_t safe = 0, false_alarms = 0;       // labelled safe; rated above safe
  std::size_t moderate = 0, moderate_kept = 0;  // labelled moderate; rated moderate or high
  std::size_t moderate_exact = 0;               // labelled moderate; rated moderate
  std::size_t exact = 0;                        // rated exactly as labelled
  std::vector<std::string> misses;              // one line per row rated otherwise

  static double ratio(std::size_t a, std::size_t b) {
    return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b);
  }
};

inline void count(Figures& f, const Row& row, RiskLevel got) {
  ++f.rows;
  const bool risky = row.expected >= RiskLevel::high;
  f.risky += risky;
  f.detected += risky && got >= RiskLevel::high;
  f.critical += row.expected == RiskLevel::critical;
  f.critical_kept += row.expected == RiskLevel::critical && got == RiskLevel::critical;
  f.safe += row.expected == RiskLevel::safe;
  f.false_alarms += row.expected == RiskLevel::safe && got > RiskLevel::safe;
  const bool moderate = row.expected == RiskLevel::moderate;
  f.moderate += moderate;
  f.moderate_kept += moderate && (got == RiskLevel::moderate || got == RiskLevel::high);
  f.moderate_exact += moderate && got == RiskLevel::moderate;
  f.exact += got == row.expected;
  if (got != row.expected) {
    f.misses.push_back(row.id + " line " + std::to_string(row.line) + " [" + row.family + "] expected " +
                       std::string(to_string(row.expected)) + " got " + std::string(to_string(got)) + ": " +
                       escape(row.command) + " (cwd " + row.cwd + ")");
  }
}

inline void print(const Figures& f, const std::string& name) {
  std::printf(
      "%s: %zu rows\n  detection (high+critical rated >= high) %.4f (%zu/%zu)\n"
      "  critical rated critical %.4f (%zu/%zu)\n  false positives (safe rated above safe) %.4f (%zu/%zu)\n"
      "  moderate rated moderate or high %.4f (%zu/%zu), exactly moderate %zu\n  exact agreement %.4f (%zu/%zu)\n",
      name.c_str(), f.rows, Figures::ratio(f.detected, f.risky), f.detected, f.risky,
      Figures::ratio(f.critical_kept, f.critical), f.critical_kept, f.critical, Figures::ratio(f.false_alarms, f.safe),
      f.false_alarms, f.safe, Figures::ratio(f.moderate_kept, f.moderate), f.moderate_kept, f.moderate,
      f.moderate_exact, Figures::ratio(f.exact, f.rows), f.exact, f.rows);
  for (const auto& miss : f.misses) std::printf("  miss %s\n", miss.c_str());
}

}  // namespace cmdai::safety::corpus
