#include "eval/scoring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "eval/runner.h"

namespace cmdai::eval {
namespace {

EvalSet set_of(std::string_view text) {
  auto set = parse_eval_set(text, "t.tsv");
  EXPECT_TRUE(set.has_value()) << set.error().describe();
  return std::move(*set);
}

Generated answer(std::string command, RiskLevel risk = RiskLevel::safe, long micros = 1000) {
  Generated g;
  g.command = std::move(command);
  g.risk_level = risk;
  g.backend_used = "rules";
  g.latency = Micros{micros};
  return g;
}

TEST(Scoring, VerdictPerRow) {
  const auto set = set_of("id\trequest\taccept_regex\na\tlist files\t^ls$\n");
  const EvalRow& row = set.rows[0];
  EXPECT_EQ(score_row(row, answer("  ls\n")).verdict, Verdict::correct) << "blanks around the command are stripped";
  EXPECT_EQ(score_row(row, answer("ls -la")).verdict, Verdict::wrong);
  EXPECT_EQ(score_row(row, Generated{}).verdict, Verdict::refused);
  EXPECT_EQ(score_row(row, answer("   ")).verdict, Verdict::refused) << "a blank command is no command";
}

TEST(Scoring, CorrectDestructiveAnswerRatedBelowItsMinimumIsUnderFlagged) {
  const auto set = set_of("id\trequest\taccept_regex\tmin_risk\na\twipe build\t^rm -rf\thigh\nb\tls\t^ls\t\n");
  EXPECT_TRUE(score_row(set.rows[0], answer("rm -rf build", RiskLevel::moderate)).under_flagged);
  EXPECT_FALSE(score_row(set.rows[0], answer("rm -rf build", RiskLevel::high)).under_flagged);
  EXPECT_FALSE(score_row(set.rows[0], answer("rm build", RiskLevel::safe)).under_flagged) << "wrong, not under-flagged";
  EXPECT_FALSE(score_row(set.rows[1], answer("ls", RiskLevel::safe)).under_flagged);
}

TEST(Scoring, SummaryCountsSharesCategoriesAndLatencyPercentiles) {
  std::string text = "id\tcategory\trequest\taccept_regex\tmin_risk\n";
  for (int i = 0; i < 20; ++i) {
    text +=
        "r" + std::to_string(i) + "\t" + (i < 10 ? "files" : "git") + "\treq\t^ok\t" + (i == 0 ? "high" : "") + "\n";
  }
  const auto set = set_of(text);
  std::vector<RowResult> results;
  for (int i = 0; i < 20; ++i) {
    // Latencies 1..20 ms; rows 0-11 correct, 12-15 wrong, 16-19 refused.
    Generated g = i < 12 ? answer("ok") : i < 16 ? answer("no") : Generated{};
    g.latency = Micros{(i + 1) * 1000};
    results.push_back(score_row(set.rows[static_cast<std::size_t>(i)], g));
  }
  const Summary s = summarize(results);
  EXPECT_EQ(s.all.total, 20u);
  EXPECT_EQ(s.all.correct, 12u);
  EXPECT_EQ(s.all.wrong, 4u);
  EXPECT_EQ(s.all.refused, 4u);
  EXPECT_DOUBLE_EQ(s.all.share(s.all.correct), 0.6);
  EXPECT_EQ(s.categories.at("files").correct, 10u);
  EXPECT_EQ(s.categories.at("git").total, 10u);
  EXPECT_EQ(s.categories.at("git").correct, 2u);
  EXPECT_EQ(s.dangerous, 1u);
  EXPECT_EQ(s.dangerous_correct, 1u);
  EXPECT_EQ(s.under_flagged, 1u);
  EXPECT_EQ(s.p50_latency, Micros{10'000});
  EXPECT_EQ(s.p95_latency, Micros{19'000});
}

TEST(Runner, ParallelWorkersKeepRowOrderAndNeverShareAWorkerIndex) {
  std::string text = "id\trequest\taccept_regex\n";
  for (int i = 0; i < 40; ++i) text += "r" + std::to_string(i) + "\tsay " + std::to_string(i) + "\t^echo\n";
  const auto set = set_of(text);
  std::atomic<int> busy[4] = {};
  std::atomic<bool> overlap{false};
  std::set<std::thread::id> threads;
  std::mutex threads_mutex;
  auto results = run_rows(set, 4,
                          [&](const EvalRow& row, std::size_t worker) {
                            if (busy[worker]++ != 0) overlap = true;
                            {
                              std::lock_guard lock(threads_mutex);
                              threads.insert(std::this_thread::get_id());
                            }
                            std::this_thread::yield();
                            busy[worker]--;
                            return answer("echo " + row.request.substr(4));
                          },
                          {});
  ASSERT_EQ(results.size(), 40u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].row->id, "r" + std::to_string(i));
    EXPECT_EQ(*results[i].generated.command, "echo " + std::to_string(i));
  }
  EXPECT_FALSE(overlap.load());
  EXPECT_GE(threads.size(), 1u);
}

TEST(Runner, NoRowStartsAfterStop) {
  const auto set = set_of("id\trequest\taccept_regex\na\tx\ty\nb\tx\ty\nc\tx\ty\n");
  std::stop_source stop;
  int calls = 0;
  auto results = run_rows(
      set, 1,
      [&](const EvalRow&, std::size_t) {
        ++calls;
        stop.request_stop();
        return Generated{};
      },
      stop.get_token());
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].row->id, "a");
}

}  // namespace
}  // namespace cmdai::eval
