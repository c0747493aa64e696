// Runs the rules backend over tests/rules/eval_set.tsv and reports, per
// category, how many requests got a correct command, a wrong one, or a
// refusal; then rates every answer with safety::Validator.
//
// These sets were written beside the rules, so they guard against
// regressions only; how well the rules answer users is measured with
// `cmdai eval` on bench/eval's sets, written without seeing the rules.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "rules/templates.h"
#include "safety/validator.h"

namespace cmdai::llm {
namespace {

struct EvalCase {
  std::string category;
  std::string request;
  std::string pattern;  // "REFUSE" when no answer is the right answer
  int line = 0;
};

std::vector<EvalCase> load_eval_set(const std::string& name) {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/rules/" + name);
  EXPECT_TRUE(in.good()) << "cannot open tests/rules/" << name;
  std::vector<EvalCase> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      ADD_FAILURE() << name << ":" << number << ": expected three tab-separated columns";
      continue;
    }
    cases.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1), number});
  }
  return cases;
}

// The goals: at least 80% of requests answered correctly, at most 3%
// answered wrongly (a refusal is better than a wrong command).
constexpr double k_goal_min_correct = 80.0;
constexpr double k_goal_max_wrong = 3.0;

struct Tally {
  int total = 0;
  int correct = 0;
  int wrong = 0;
  int refused = 0;
};

// Runs one set, prints the table and returns the totals.
Tally run_eval(const std::string& name) {
  const auto cases = load_eval_set(name);
  const bool verbose = std::getenv("CMDAI_RULES_EVAL_VERBOSE") != nullptr;
  std::map<std::string, Tally> per_category;
  Tally all;
  for (const auto& c : cases) {
    const bool must_refuse = c.pattern == "REFUSE";
    RE2 re(must_refuse ? std::string("^$") : c.pattern);
    EXPECT_TRUE(re.ok()) << name << ":" << c.line << ": " << re.error();
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
    if (verbose) {
      std::printf("%-8s %-10s %-55s -> %s [%s %.2f]\n", verdict.c_str(), c.category.c_str(), c.request.c_str(),
                  match ? match->answer.command.c_str() : "-", match ? std::string(match->tmpl->row->id).c_str() : "",
                  match ? match->confidence : 0.0);
    }
  }
  std::printf("%s\n%-12s %6s %8s %8s %8s\n", name.c_str(), "category", "total", "correct", "wrong", "refused");
  for (const auto& [category, t] : per_category) {
    std::printf("%-12s %6d %7.1f%% %7.1f%% %7.1f%%\n", category.c_str(), t.total, 100.0 * t.correct / t.total,
                100.0 * t.wrong / t.total, 100.0 * t.refused / t.total);
  }
  const double correct = 100.0 * all.correct / all.total;
  const double wrong = 100.0 * all.wrong / all.total;
  const double refused = 100.0 * all.refused / all.total;
  std::printf("%-12s %6d %7.1f%% %7.1f%% %7.1f%%\n", "all", all.total, correct, wrong, refused);
  (void)refused;
  return all;
}

double percent(int part, int total) { return 100.0 * part / total; }

// The set the templates were tuned on: it shows what the library covers.
TEST(RulesEvalSet, TuningSetAccuracy) {
  const Tally all = run_eval("eval_set.tsv");
  ASSERT_GE(all.total, 300);
  EXPECT_GE(percent(all.correct, all.total), 90.0);
  EXPECT_LE(percent(all.wrong, all.total), 3.0);
}

// Requests written after tuning and never tuned on: the honest estimate of
// how the library does on requests it has not seen.
TEST(RulesEvalSet, HeldOutSetAccuracy) {
  const Tally all = run_eval("holdout_set.tsv");
  ASSERT_GE(all.total, 150);
  EXPECT_GE(percent(all.correct, all.total), k_goal_min_correct);
  EXPECT_LE(percent(all.wrong, all.total), k_goal_max_wrong);
}

// Every answer the eval set draws out is rated like any other command; the
// count of non-safe ratings and the rules behind them are printed.
TEST(RulesEvalSet, AnswersAreRatedBySafety) {
  const safety::Validator validator;
  // A user in a project directory (with cwd "/", "./bin" would be /bin).
  safety::ValidationContext context;
  context.working_directory = "/home/user/project";
  context.home_directory = "/home/user";
  std::map<std::string, int> reasons;
  int answered = 0;
  int not_safe = 0;
  int critical = 0;
  auto cases = load_eval_set("eval_set.tsv");
  for (const char* extra : {"holdout_set.tsv", "fresh_set.tsv", "fresh2_set.tsv"}) {
    for (auto& c : load_eval_set(extra)) cases.push_back(std::move(c));
  }
  for (const auto& c : cases) {
    const auto match = rules::match_request(c.request, Userland::gnu);
    if (!match) continue;
    ++answered;
    const auto rating = validator.validate(match->answer.command, context);
    if (rating.risk_level == RiskLevel::safe) continue;
    ++not_safe;
    if (rating.risk_level == RiskLevel::critical) ++critical;
    for (const auto& rule : rating.patterns_matched) ++reasons[std::string(to_string(rating.risk_level)) + " " + rule];
    if (std::getenv("CMDAI_RULES_EVAL_VERBOSE")) std::printf("  not safe: %s\n", match->answer.command.c_str());
  }
  std::printf("answers: %d, not rated safe: %d, critical: %d\n", answered, not_safe, critical);
  for (const auto& [reason, n] : reasons) std::printf("  %3d  %s\n", n, reason.c_str());
  // The eval set asks for nothing catastrophic: no answer may be critical.
  EXPECT_EQ(critical, 0);
}

// Measured once before any change (87.6% correct, 5.7% wrong, 6.7%
// refused); its wrong answers were then studied and their causes fixed, so
// it now guards those fixes rather than estimating unseen requests.
TEST(RulesEvalSet, FreshSetAccuracy) {
  const Tally all = run_eval("fresh_set.tsv");
  ASSERT_GE(all.total, 100);
  EXPECT_GE(percent(all.correct, all.total), k_goal_min_correct);
  EXPECT_LE(percent(all.wrong, all.total), k_goal_max_wrong);
}

// Written after those fixes and before the backend saw it; measured once
// and never tuned on: the estimate for requests nobody tuned for. First run
// (tests/rules/fresh2_first_run.txt): 90.2% correct, 2.0% wrong, 7.8%
// refused; both goals hold, so they are asserted.
TEST(RulesEvalSet, SecondFreshSetAccuracy) {
  const Tally all = run_eval("fresh2_set.tsv");
  ASSERT_GE(all.total, 120);
  EXPECT_GE(percent(all.correct, all.total), k_goal_min_correct);
  EXPECT_LE(percent(all.wrong, all.total), k_goal_max_wrong);
}

}  // namespace
}  // namespace cmdai::llm
