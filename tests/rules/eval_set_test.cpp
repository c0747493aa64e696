// Runs the rules backend over tests/rules/eval_set.tsv and reports, per
// category, how many requests got a correct command, a wrong one, or a
// refusal; then rates every answer with safety::Validator.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "llm/rules/templates.h"
#include "safety/validator.h"

namespace cmdai::llm {
namespace {

struct EvalCase {
  std::string category;
  std::string request;
  std::string pattern;  // "REFUSE" when no answer is the right answer
  int line = 0;
};

std::vector<EvalCase> load_eval_set() {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/rules/eval_set.tsv");
  std::vector<EvalCase> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      ADD_FAILURE() << "eval_set.tsv:" << number << ": expected three tab-separated columns";
      continue;
    }
    cases.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1), number});
  }
  return cases;
}

struct Tally {
  int total = 0;
  int correct = 0;
  int wrong = 0;
  int refused = 0;
};

TEST(RulesEvalSet, AccuracyPerCategoryAndRefusalShare) {
  const auto cases = load_eval_set();
  ASSERT_GE(cases.size(), 300u);
  const bool verbose = std::getenv("CMDAI_RULES_EVAL_VERBOSE") != nullptr;
  std::map<std::string, Tally> per_category;
  Tally all;
  for (const auto& c : cases) {
    const bool must_refuse = c.pattern == "REFUSE";
    RE2 re(must_refuse ? std::string("^$") : c.pattern);
    ASSERT_TRUE(re.ok()) << "eval_set.tsv:" << c.line << ": " << re.error();
    const auto match = rules::match_request(c.request, Userland::gnu);
    Tally& t = per_category[c.category];
    ++t.total;
    ++all.total;
    std::string verdict;
    if (!match) {
      if (must_refuse) {
        ++t.correct, ++all.correct, verdict = "ok-refused";
      } else {
        ++t.refused, ++all.refused, verdict = "REFUSED";
      }
    } else if (!must_refuse && RE2::PartialMatch(match->answer.command, re)) {
      ++t.correct, ++all.correct, verdict = "ok";
    } else {
      ++t.wrong, ++all.wrong, verdict = "WRONG";
    }
    if (verbose && verdict != "ok" && verdict != "ok-refused") {
      std::printf("%-8s %-10s %-55s -> %s [%s %.2f]\n", verdict.c_str(), c.category.c_str(), c.request.c_str(),
                  match ? match->answer.command.c_str() : "-", match ? std::string(match->tmpl->row->id).c_str() : "",
                  match ? match->confidence : 0.0);
    }
  }
  std::printf("%-12s %6s %8s %8s %8s\n", "category", "total", "correct", "wrong", "refused");
  for (const auto& [name, t] : per_category) {
    std::printf("%-12s %6d %7.1f%% %7.1f%% %7.1f%%\n", name.c_str(), t.total, 100.0 * t.correct / t.total,
                100.0 * t.wrong / t.total, 100.0 * t.refused / t.total);
  }
  const double correct = 100.0 * all.correct / all.total;
  const double wrong = 100.0 * all.wrong / all.total;
  const double refused = 100.0 * all.refused / all.total;
  std::printf("%-12s %6d %7.1f%% %7.1f%% %7.1f%%\n", "all", all.total, correct, wrong, refused);
  RecordProperty("correct_percent", std::to_string(correct));
  RecordProperty("wrong_percent", std::to_string(wrong));
  EXPECT_GE(correct, 80.0);
  EXPECT_LE(wrong, 5.0);
}

// Every answer the eval set draws out is rated like any other command; the
// count of non-safe ratings and the rules behind them are printed.
TEST(RulesEvalSet, AnswersAreRatedBySafety) {
  const safety::Validator validator;
  const safety::ValidationContext context;
  std::map<std::string, int> reasons;
  int answered = 0;
  int not_safe = 0;
  int critical = 0;
  for (const auto& c : load_eval_set()) {
    const auto match = rules::match_request(c.request, Userland::gnu);
    if (!match) continue;
    ++answered;
    const auto rating = validator.validate(match->answer.command, context);
    if (rating.risk_level == RiskLevel::safe) continue;
    ++not_safe;
    if (rating.risk_level == RiskLevel::critical) ++critical;
    for (const auto& rule : rating.patterns_matched) ++reasons[std::string(to_string(rating.risk_level)) + " " + rule];
  }
  std::printf("answers: %d, not rated safe: %d, critical: %d\n", answered, not_safe, critical);
  for (const auto& [reason, n] : reasons) std::printf("  %3d  %s\n", n, reason.c_str());
  // The eval set asks for nothing catastrophic: no answer may be critical.
  EXPECT_EQ(critical, 0);
}

}  // namespace
}  // namespace cmdai::llm
