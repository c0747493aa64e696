// Rates every row of the labelled corpus (tests/safety/corpus/*.tsv), one by
// one, and holds the validator to it in two ways that cannot slip:
//
// - every row rated as labelled is pinned in corpus/pinned.tsv by its id
//   (corpus_rows.h); a change that rates a pinned row otherwise fails naming
//   the row, and a row that starts passing must be pinned too;
// - each file's aggregate gates are counts at the measured values: no more
//   misses of each kind than the last measurement found.
//
// After a change that fixes rows, pin them:
//   CMDAI_UPDATE_PINS=1 build/dev/tests/test_safety --gtest_filter='SafetyCorpus.EveryPassingRowIsPinned'
// The update only adds pins; it refuses while a pinned row fails.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "safety/corpus_rows.h"

namespace cmdai::safety {
namespace {

using corpus::Figures;
using corpus::Row;

// The files scored, and their gates: the most misses of each kind allowed,
// as measured (the figures each test prints show where they stand).
struct Gate {
  const char* file;
  std::size_t min_rows;
  std::size_t undetected;        // high/critical rated below high
  std::size_t critical_lowered;  // critical rated below critical
  std::size_t false_alarms;      // safe rated above safe
  std::size_t moderate_off;      // moderate rated safe or critical
  std::size_t inexact;           // rated other than labelled
};

constexpr Gate k_gates[] = {
    {"corpus.tsv", 5636, 0, 0, 0, 0, 0},
    {"holdout.tsv", 118, 0, 0, 0, 0, 1},
    {"classes.tsv", 419, 0, 1, 0, 1, 7},
};

struct Scored {
  Row row;
  RiskLevel got = RiskLevel::safe;
};

const std::vector<Scored>& scored_rows() {
  static const auto* const rows = [] {
    auto* out = new std::vector<Scored>();
    const Validator validator;
    for (const auto& gate : k_gates) {
      std::vector<std::string> problems;
      for (auto& row : corpus::load(gate.file, problems)) {
        const RiskLevel got = validator.validate(row.command, corpus::context_for(row)).risk_level;
        out->push_back({std::move(row), got});
      }
      for (const auto& p : problems) ADD_FAILURE() << p;
    }
    return out;
  }();
  return *rows;
}

struct Pin {
  std::string id;
  std::string line;  // as in pinned.tsv
};

std::string pins_path() { return corpus::corpus_dir() + "pinned.tsv"; }
constexpr const char* k_pins_header =
    "# id\tlevel\tcommand  (rows rated as labelled; see tests/safety/corpus_test.cpp)";

std::vector<Pin> load_pins() {
  std::ifstream in(pins_path());
  std::vector<Pin> pins;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("#")) continue;
    pins.push_back({line.substr(0, line.find('\t')), line});
  }
  return pins;
}

std::string pin_line(const Scored& s) {
  return s.row.id + "\t" + std::string(to_string(s.row.expected)) + "\t" + corpus::escape(s.row.command);
}

TEST(SafetyCorpus, RowIdsAreUniqueAndStable) {
  std::set<std::string> seen;
  for (const auto& s : scored_rows()) EXPECT_TRUE(seen.insert(s.row.id).second) << "two rows share " << s.row.id;
  EXPECT_EQ(
      corpus::row_id("corpus.tsv", "rm -rf /", "/home/u/project"), "corpus:" + [] {
        llm::Sha256 h;
        h.update("rm -rf /\t/home/u/project");
        return h.hex_digest().substr(0, 12);
      }());
}

TEST(SafetyCorpus, EachFileMeetsItsMeasuredGates) {
  for (const auto& gate : k_gates) {
    Figures f;
    for (const auto& s : scored_rows()) {
      if (s.row.file == gate.file) corpus::count(f, s.row, s.got);
    }
    corpus::print(f, gate.file);
    SCOPED_TRACE(gate.file);
    EXPECT_GE(f.rows, gate.min_rows);
    EXPECT_LE(f.risky - f.detected, gate.undetected);
    EXPECT_LE(f.critical - f.critical_kept, gate.critical_lowered);
    EXPECT_LE(f.false_alarms, gate.false_alarms);
    EXPECT_LE(f.moderate - f.moderate_kept, gate.moderate_off);
    EXPECT_LE(f.rows - f.exact, gate.inexact);
  }
}

TEST(SafetyCorpus, PinnedRowsStillPass) {
  std::map<std::string, const Scored*> by_id;
  for (const auto& s : scored_rows()) by_id[s.row.id] = &s;
  for (const auto& pin : load_pins()) {
    const auto it = by_id.find(pin.id);
    if (it == by_id.end()) {
      ADD_FAILURE() << "pinned row " << pin.id << " is no longer in the corpus (remove its pin by hand if meant)";
      continue;
    }
    const Scored& s = *it->second;
    const std::string level =
        pin.line.substr(pin.id.size() + 1, pin.line.find('\t', pin.id.size() + 1) - pin.id.size() - 1);
    EXPECT_EQ(level, to_string(s.row.expected))
        << "the label of pinned row " << pin.id << " changed: re-pin it by hand if the new label is right";
    EXPECT_EQ(s.got, s.row.expected) << "pinned row " << pin.id << " (" << s.row.file << " line " << s.row.line
                                     << ") expected " << to_string(s.row.expected) << ", rated " << to_string(s.got)
                                     << ": " << s.row.command;
  }
}

TEST(SafetyCorpus, EveryPassingRowIsPinned) {
  auto pins = load_pins();
  std::set<std::string> pinned;
  for (const auto& p : pins) pinned.insert(p.id);
  std::vector<const Scored*> unpinned;
  bool pinned_fails = false;
  for (const auto& s : scored_rows()) {
    if (s.got == s.row.expected && !pinned.contains(s.row.id)) unpinned.push_back(&s);
    pinned_fails = pinned_fails || (s.got != s.row.expected && pinned.contains(s.row.id));
  }
  if (std::getenv("CMDAI_UPDATE_PINS") != nullptr && !unpinned.empty()) {
    ASSERT_FALSE(pinned_fails) << "a pinned row fails (see PinnedRowsStillPass): fix it before adding pins";
    for (const Scored* s : unpinned) pins.push_back({s->row.id, pin_line(*s)});
    std::sort(pins.begin(), pins.end(), [](const Pin& a, const Pin& b) { return a.id < b.id; });
    std::ofstream out(pins_path());
    out << k_pins_header << "\n";
    for (const auto& p : pins) out << p.line << "\n";
    std::printf("pinned %zu more rows\n", unpinned.size());
    return;
  }
  for (const Scored* s : unpinned) {
    ADD_FAILURE() << "row " << s->row.id << " (" << s->row.file << " line " << s->row.line
                  << ") passes but is not pinned: " << s->row.command;
  }
}

TEST(SafetyCorpus, EveryAlternativeValidatesLower) {
  const Validator validator;
  for (const auto& s : scored_rows()) {
    const auto context = corpus::context_for(s.row);
    const auto result = validator.validate(s.row.command, context);
    for (const auto& alternative : result.suggested_alternatives) {
      EXPECT_LT(validator.validate(alternative, context).risk_level, result.risk_level)
          << s.row.command << " -> " << alternative;
    }
  }
}

}  // namespace
}  // namespace cmdai::safety
