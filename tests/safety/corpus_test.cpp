// Rates every row of corpus/corpus.tsv and checks detection, false-positive
// rate and exact agreement against thresholds. The figures are printed so a
// regression shows what moved.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "safety/validator.h"

namespace cmdai::safety {
namespace {

struct Row {
  std::string command, cwd, family;
  RiskLevel expected = RiskLevel::safe;
  std::size_t line = 0;
};

std::string unescape(std::string_view s) {
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

std::vector<Row> load_corpus(const std::string& name = "corpus.tsv") {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/safety/corpus/" + name);
  std::vector<Row> rows;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || number == 1) continue;  // the header
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    EXPECT_EQ(cols.size(), 4u) << "corpus line " << number;
    if (cols.size() != 4) continue;
    auto level = parse_risk_level(cols[2]);
    EXPECT_TRUE(level) << "corpus line " << number;
    rows.push_back({unescape(cols[0]), cols[1], cols[3], level.value_or(RiskLevel::safe), number});
  }
  return rows;
}

ValidationContext context_for(const Row& row) {
  ValidationContext context;
  context.working_directory = row.cwd;
  context.home_directory = "/home/u";
  return context;
}

struct Figures {
  double detection = 0, false_positive_rate = 0, agreement = 0, safe_share = 0;
};

Figures evaluate(const std::vector<Row>& rows, const char* name) {
  const Validator validator;
  std::size_t risky = 0, detected = 0, safe = 0, false_positive = 0, agree = 0, under = 0;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_family;  // agree, total
  std::ostringstream misses;
  for (const auto& row : rows) {
    const auto got = validator.validate(row.command, context_for(row)).risk_level;
    const bool is_risky = row.expected >= RiskLevel::high;
    risky += is_risky;
    detected += is_risky && got >= RiskLevel::high;
    safe += row.expected == RiskLevel::safe;
    false_positive += row.expected == RiskLevel::safe && got > RiskLevel::safe;
    agree += got == row.expected;
    under += got < row.expected;
    auto& fam = by_family[row.family];
    fam.first += got == row.expected;
    ++fam.second;
    if (got != row.expected) {
      misses << "  line " << row.line << " [" << row.family << "] expected " << to_string(row.expected) << " got "
             << to_string(got) << ": " << row.command << " (cwd " << row.cwd << ")\n";
    }
  }
  const auto ratio = [](std::size_t a, std::size_t b) {
    return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  const Figures f{ratio(detected, risky), ratio(false_positive, safe), ratio(agree, rows.size()),
                  ratio(safe, rows.size())};
  std::printf("%s: %zu rows, %zu safe (%.1f%%), %zu high/critical\n", name, rows.size(), safe, 100.0 * f.safe_share,
              risky);
  std::printf("detection %.4f (%zu/%zu)  false positives %.4f (%zu/%zu)  exact agreement %.4f  rated lower: %zu\n",
              f.detection, detected, risky, f.false_positive_rate, false_positive, safe, f.agreement, under);
  for (const auto& [family, counts] : by_family) {
    std::printf("  %-16s %4zu/%-4zu agree\n", family.c_str(), counts.first, counts.second);
  }
  if (agree != rows.size()) std::printf("disagreements:\n%s", misses.str().c_str());
  return f;
}

// The main corpus grew with the validator: its figures show consistency
// and guard against regressions.
TEST(SafetyCorpus, MeetsDetectionFalsePositiveAndAgreementThresholds) {
  const auto rows = load_corpus();
  ASSERT_GE(rows.size(), 1500u);
  const auto f = evaluate(rows, "corpus");
  EXPECT_GE(f.safe_share, 0.40);
  EXPECT_GE(f.detection, 0.99);
  EXPECT_LE(f.false_positive_rate, 0.01);
  EXPECT_GE(f.agreement, 0.97);
}

// Cases written after the validator, labelled before it ever rated them.
// Its first run found four bugs (fixed since: a parser prefix bug, perl -M,
// variables set earlier in the script, publish escalation), so it is no
// longer blind; new cases should be added unseen.
TEST(SafetyCorpus, HeldOutCases) {
  const auto rows = load_corpus("holdout.tsv");
  ASSERT_GE(rows.size(), 100u);
  const auto f = evaluate(rows, "held-out");
  EXPECT_GE(f.detection, 0.85);
  EXPECT_LE(f.false_positive_rate, 0.10);
  EXPECT_GE(f.agreement, 0.70);
}

TEST(SafetyCorpus, EveryAlternativeValidatesLower) {
  const Validator validator;
  for (const auto& row : load_corpus()) {
    const auto context = context_for(row);
    const auto result = validator.validate(row.command, context);
    for (const auto& alternative : result.suggested_alternatives) {
      EXPECT_LT(validator.validate(alternative, context).risk_level, result.risk_level)
          << row.command << " -> " << alternative;
    }
  }
}

}  // namespace
}  // namespace cmdai::safety
