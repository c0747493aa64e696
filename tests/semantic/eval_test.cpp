// Retrieval quality on cmdai's own evaluation set (eval_history.tsv,
// eval_queries.tsv): recall@5 and MRR@10 per query kind for three rankers.
//
//   lexical-only  history::search: every word must match (BM25), the filters
//   lexicon       hybrid ranking without vectors: words (any) + concept lexicon
//   hybrid        the same plus vectors from NgramEmbedder
//
// NgramEmbedder knows spelling, not meaning: the hybrid row checks that the
// vector pipeline works end to end and helps with typos. How well cmdai
// finds by meaning with vectors needs a real embedding model; this test
// cannot tell. The thresholds sit a little under the figures measured when
// they were set, so a regression fails.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/uuid.h"
#include "history/history_store.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/ngram_embedder.h"
#include "semantic/reindex.h"
#include "support/fake_env.h"
#include "support/temp_dir.h"

namespace cmdai::semantic {
namespace {

struct EvalQuery {
  std::string kind;
  history::SearchFilters filters;
  std::vector<std::string> answers;
  std::string text;
};

std::vector<std::vector<std::string>> read_tsv(const std::string& name) {
  std::ifstream in(std::string(CMDAI_SOURCE_DIR) + "/tests/semantic/" + name);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    if (!line.empty() && line.back() == '\t') fields.emplace_back();
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<std::string> split_answers(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(" || ", start);
    out.push_back(text.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + 4;
  }
  return out;
}

history::SearchFilters read_filters(const std::string& text, Timestamp now) {
  history::SearchFilters filters;
  if (text == "-") return filters;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ';')) {
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    const auto days = [&] { return now - std::chrono::hours(24 * std::stoi(value.substr(0, value.size() - 1))); };
    if (key == "since") filters.since = days();
    if (key == "before") filters.before = days();
    if (key == "dir") filters.cwd = value;
    if (key == "tag") filters.tag = value;
    if (key == "risk") filters.risk = *parse_risk_level(value);
  }
  return filters;
}

class EvalSet : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = history::HistoryStore::open(m_dir / "eval.db");
    ASSERT_TRUE(store.has_value()) << store.error().describe();
    m_store.emplace(std::move(*store));
    int line = 0;
    for (const auto& row : read_tsv("eval_history.tsv")) {
      ASSERT_EQ(row.size(), 7u) << "eval_history.tsv row " << line;
      CommandHistoryEntry e;
      e.id = make_uuid_v4();
      // Minutes apart within a day keep insertion order meaningful.
      e.timestamp = m_env.now() - std::chrono::hours(24 * std::stoi(row[0])) - std::chrono::minutes(++line);
      e.working_directory = row[1];
      e.safety_metadata = SafetyMetadata{*parse_risk_level(row[2]), {}, false, 1.0};
      if (!row[3].empty()) e.tags = {row[3]};
      e.command = row[4];
      if (!row[5].empty()) e.user_input = row[5];
      e.explanation = row[6];
      ASSERT_TRUE(m_store->insert(e).has_value());
    }
    m_entries = line;
    for (const auto& row : read_tsv("eval_queries.tsv")) {
      ASSERT_EQ(row.size(), 4u);
      m_queries.push_back({row[0], read_filters(row[1], m_env.now()), split_answers(row[2]), row[3]});
    }
  }

  struct Score {
    double recall5 = 0;
    double mrr10 = 0;
    int count = 0;
  };

  // Per kind (and "all") for one ranker.
  std::map<std::string, Score> evaluate(Embedder* embedder, SearchMode mode) {
    EmbeddingCache cache(m_store->database(), m_env);
    SemanticSearch search(*m_store, embedder, &cache);
    EXPECT_TRUE(search.load().has_value());
    std::map<std::string, Score> scores;
    for (const auto& q : m_queries) {
      history::SearchQuery query{q.text, 10, 0.0};
      query.filters = q.filters;
      auto outcome = search.search(query, mode, {m_env.now(), "/home/dev"});
      EXPECT_TRUE(outcome.has_value()) << q.text;
      int rank = 0;
      if (outcome) {
        for (std::size_t i = 0; i < outcome->results.size() && rank == 0; ++i) {
          const auto& command = outcome->results[i].entry.command;
          if (std::find(q.answers.begin(), q.answers.end(), command) != q.answers.end()) rank = static_cast<int>(i + 1);
        }
      }
      if (rank == 0 && std::getenv("CMDAI_EVAL_VERBOSE") != nullptr) {
        std::printf("miss [%s/%s] %s -> %s | got: %s\n", std::string(to_string(mode)).c_str(), q.kind.c_str(),
                    q.text.c_str(), q.answers[0].c_str(),
                    outcome && !outcome->results.empty() ? outcome->results[0].entry.command.c_str() : "-");
      }
      for (const std::string& kind : {q.kind, std::string("all")}) {
        Score& s = scores[kind];
        s.recall5 += rank >= 1 && rank <= 5 ? 1 : 0;
        s.mrr10 += rank >= 1 ? 1.0 / rank : 0;
        ++s.count;
      }
    }
    for (auto& [kind, s] : scores) {
      s.recall5 /= s.count;
      s.mrr10 /= s.count;
    }
    return scores;
  }

  testing::TempDir m_dir;
  testing::FakeEnv m_env;
  std::optional<history::HistoryStore> m_store;
  std::vector<EvalQuery> m_queries;
  int m_entries = 0;
};

TEST_F(EvalSet, IsLargeEnoughAndSemanticQueriesShareNoWordWithTheirAnswer) {
  EXPECT_GE(m_entries, 300);
  EXPECT_GE(m_queries.size(), 100u);
  std::map<std::string, std::set<std::string>> words_of;  // command -> words of its entry
  auto words = [](const std::string& text) {
    std::set<std::string> out;
    std::string word;
    for (char c : text + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!word.empty()) {
        out.insert(word);
        word.clear();
      }
    }
    return out;
  };
  for (const auto& row : read_tsv("eval_history.tsv")) {
    for (const auto& w : words(row[4] + " " + row[5] + " " + row[6])) words_of[row[4]].insert(w);
  }
  const std::set<std::string> fillers{"a",    "an",   "the",   "to", "of",   "in",   "on",   "for", "my",
                                      "me",   "i",    "is",    "it", "that", "this", "with", "and", "or",
                                      "how",  "what", "which", "do", "did",  "was",  "were", "be",  "all",
                                      "some", "from", "by",    "at", "as",   "can",  "you"};
  int semantic = 0;
  for (const auto& q : m_queries) {
    for (const auto& answer : q.answers) ASSERT_TRUE(words_of.contains(answer)) << "no entry runs: " << answer;
    if (q.kind != "semantic" && q.kind != "heldout") continue;
    ++semantic;
    for (const auto& w : words(q.text)) {
      if (fillers.contains(w)) continue;
      for (const auto& answer : q.answers) {
        EXPECT_FALSE(words_of[answer].contains(w)) << "'" << q.text << "' shares '" << w << "' with " << answer;
      }
    }
  }
  EXPECT_GE(semantic, 40);
}

struct Floor {
  const char* ranker;
  const char* kind;
  double recall5;
  double mrr10;
};

// Floors a few points under what was measured when they were set
// (recall@5 / MRR@10 in the comments). The lexicon was extended after
// reading the misses on the "semantic" queries (0.63 / 0.37 before, 0.83 /
// 0.55 after), so those figures are in-sample; the "heldout" queries were
// written afterwards and never tuned on: they are the honest estimate.
constexpr Floor k_floors[] = {
    {"lexical-only", "lexical", 0.85, 0.85},   // 0.93 / 0.91
    {"lexical-only", "filtered", 0.65, 0.65},  // 0.75 / 0.75
    {"lexicon", "lexical", 0.90, 0.90},        // 1.00 / 0.97
    {"lexicon", "semantic", 0.75, 0.48},       // 0.83 / 0.55
    {"lexicon", "heldout", 0.25, 0.16},        // 0.32 / 0.22
    {"lexicon", "typo", 0.90, 0.80},           // 1.00 / 0.88
    {"lexicon", "filtered", 0.90, 0.90},       // 1.00 / 0.97
    {"hybrid", "lexical", 0.90, 0.90},         // 1.00 / 0.97
    {"hybrid", "semantic", 0.48, 0.28},        // 0.56 / 0.33
    {"hybrid", "heldout", 0.10, 0.05},         // 0.16 / 0.08
    {"hybrid", "typo", 0.90, 0.80},            // 1.00 / 0.88
    {"hybrid", "filtered", 0.90, 0.90},        // 1.00 / 0.97
};

TEST_F(EvalSet, RecallAndMrrPerKindForEachRanker) {
  NgramEmbedder embedder;
  EmbeddingCache cache(m_store->database(), m_env);
  auto indexed = reindex(*m_store, embedder, cache, m_env, {}, {}, std::stop_token{});
  ASSERT_TRUE(indexed.has_value()) << indexed.error().describe();
  const std::map<std::string, std::map<std::string, Score>> results{
      {"lexical-only", evaluate(nullptr, SearchMode::lexical)},
      {"lexicon", evaluate(nullptr, SearchMode::hybrid)},
      {"hybrid", evaluate(&embedder, SearchMode::hybrid)},
  };
  std::printf("\n%-13s %-9s %5s %9s %7s\n", "ranker", "kind", "n", "recall@5", "MRR@10");
  for (const char* ranker : {"lexical-only", "lexicon", "hybrid"}) {
    for (const auto& [kind, s] : results.at(ranker)) {
      std::printf("%-13s %-9s %5d %9.3f %7.3f\n", ranker, kind.c_str(), s.count, s.recall5, s.mrr10);
    }
  }
  std::printf(
      "(hybrid uses the n-gram test embedder: spelling, not meaning; real semantic quality needs a real model)\n");
  // Sanity: queries that share no word with their answer cannot be found by words.
  EXPECT_EQ(results.at("lexical-only").at("semantic").recall5, 0.0);
  for (const Floor& floor : k_floors) {
    const Score& s = results.at(floor.ranker).at(floor.kind);
    EXPECT_GE(s.recall5, floor.recall5) << floor.ranker << " " << floor.kind;
    EXPECT_GE(s.mrr10, floor.mrr10) << floor.ranker << " " << floor.kind;
  }
}

}  // namespace
}  // namespace cmdai::semantic
