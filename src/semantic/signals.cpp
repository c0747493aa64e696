#include "semantic/signals.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <optional>

#include "history/full_text.h"
#include "semantic/query_terms.h"

namespace cmdai::semantic {
namespace {

enum class Order { bm25, newest };

// Postings BM25 may score per OR signal. FTS5 scores every matching row
// before its LIMIT applies, so a word in 30% of a million entries would
// cost ~100 ms; words that common say little about which entry is meant.
// 5k postings score in ~1-1.5 ms on one core; a search runs up to three such
// signals (any word, all words, concepts).
constexpr std::int64_t k_posting_budget = 5'000;

struct Item {
  std::string fts;                  // quoted phrase, or an OR of them for a prefix
  std::vector<std::string> tokens;  // its tokens
  bool prefix = false;              // the last token stands for the terms it starts
};

std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  for (char raw : std::string(text) + " ") {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      token += static_cast<char>(std::tolower(c));
    } else if (!token.empty()) {
      tokens.push_back(std::move(token));
      token.clear();
    }
  }
  return tokens;
}

// Entries containing the item: for a phrase, at most its rarest token's.
Result<std::int64_t> item_frequency(Vocabulary& vocabulary, const Item& item) {
  std::int64_t df = INT64_MAX;
  for (const auto& token : item.tokens) {
    auto count = vocabulary.document_frequency(token, item.prefix && &token == &item.tokens.back());
    if (!count) return fail(count.error());
    df = std::min(df, *count);
  }
  return df;
}

// The OR of the rarest items whose entries fit the budget, ranked by BM25;
// when even the rarest is too common, all items ranked newest first (FTS5
// stops after LIMIT rows in rowid order).
Result<std::pair<std::string, Order>> budgeted_or(Vocabulary& vocabulary, const std::vector<Item>& items) {
  std::vector<std::pair<std::int64_t, const Item*>> costed;
  for (const auto& item : items) {
    auto df = item_frequency(vocabulary, item);
    if (!df) return fail(df.error());
    if (*df > 0) costed.emplace_back(*df, &item);
  }
  std::sort(costed.begin(), costed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string expression;
  std::int64_t spent = 0;
  for (const auto& [df, item] : costed) {
    if (spent + df > k_posting_budget) break;
    spent += df;
    expression += (expression.empty() ? "" : " OR ") + item->fts;
  }
  if (!expression.empty() || costed.empty()) return std::pair{expression, Order::bm25};
  for (const auto& [df, item] : costed) expression += (expression.empty() ? "" : " OR ") + item->fts;
  return std::pair{expression, Order::newest};
}

history::MatchOrder match_order(Order order) {
  return order == Order::newest ? history::MatchOrder::newest : history::MatchOrder::bm25;
}

Result<Signal> run_match(Vocabulary& vocabulary, std::string expression, const FilterClause& filters, std::size_t limit,
                         Order order = Order::bm25) {
  store::Database& db = vocabulary.database();
  Signal signal{{}, std::move(expression)};
  if (signal.expression.empty()) return signal;
  // Unfiltered, the same query gives the same entries while the terms are
  // kept (consecutive keys of the picker ask it again).
  const std::string key = filters.empty() ? std::string(order == Order::newest ? "newest " : "bm25 ") +
                                                std::to_string(limit) + " " + signal.expression
                                          : std::string();
  if (const auto* known = key.empty() ? nullptr : vocabulary.matches(key)) {
    for (const auto& hit : *known) signal.hits.push_back({hit.rowid, hit.score});
    return signal;
  }
  // Column weights: history's (the command matters most, then the request
  // and tags, the generated explanation least). With the allowed rows at
  // hand, the index alone answers and each match is checked against them,
  // until `limit` pass (no row lookup per match).
  auto hits =
      filters.rows != nullptr
          ? history::match_entries_among(db, signal.expression, match_order(order), limit,
                                         [rows = filters.rows](std::int64_t rowid) { return rows->contains(rowid); })
          : history::match_entries(db, signal.expression, match_order(order), limit,
                                   history::SqlFilter{filters.sql, filters.params}, filters.first);
  if (!hits) return fail(hits.error());
  for (const auto& hit : *hits) signal.hits.push_back({hit.rowid, hit.score});
  if (!key.empty()) vocabulary.remember_matches(key, *hits);
  return signal;
}

// A query word as an item: a word of three letters or more also finds the
// longer terms it starts ("dock" -> docker), written out as an OR of the
// most common of them. FTS5's own prefix query ("dock"*) would merge the
// postings of every such term for each MATCH and each snippet; an explicit
// OR of a few terms reads only theirs. nullopt: the word has no letters or
// digits, or no term starts with it.
Result<std::optional<Item>> word_item(Vocabulary& vocabulary, const std::string& word) {
  Item item{fts_phrase(word), tokens_of(word), word.size() >= 3};
  if (item.fts.empty()) return std::optional<Item>{};
  if (!item.prefix) return std::optional<Item>(std::move(item));
  auto terms = vocabulary.terms(item.tokens.back(), true);
  if (!terms) return fail(terms.error());
  if (terms->empty()) return std::optional<Item>{};
  std::string head;
  for (std::size_t i = 0; i + 1 < item.tokens.size(); ++i) head += item.tokens[i] + " ";
  item.fts.clear();
  for (const auto& term : *terms) item.fts += (item.fts.empty() ? "" : " OR ") + ("\"" + head + term.term + "\"");
  if (terms->size() > 1) item.fts = "(" + item.fts + ")";
  return std::optional<Item>(std::move(item));
}

}  // namespace

std::string fts_phrase(std::string_view text) {
  std::string tokens;
  std::string token;
  auto flush = [&] {
    if (token.empty()) return;
    tokens += (tokens.empty() ? "" : " ") + token;
    token.clear();
  };
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      token += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return tokens.empty() ? "" : "\"" + tokens + "\"";
}

Result<Signal> word_signal(Vocabulary& vocabulary, const std::vector<std::string>& words, WordMatch match,
                           const FilterClause& filters, std::size_t limit) {
  std::vector<Item> items;
  for (const auto& word : words) {
    auto item = word_item(vocabulary, word);
    if (!item) return fail(item.error());
    if (*item) items.push_back(std::move(**item));
  }
  if (match == WordMatch::all) {
    // An AND matches at most its rarest word's entries; past the budget the
    // newest entries with every word are the ones to show.
    std::string expression;
    std::int64_t rarest = INT64_MAX;
    for (const auto& item : items) {
      expression += (expression.empty() ? "" : " AND ") + item.fts;
      auto df = item_frequency(vocabulary, item);
      if (!df) return fail(df.error());
      rarest = std::min(rarest, *df);
    }
    return run_match(vocabulary, expression, filters, limit, rarest > k_posting_budget ? Order::newest : Order::bm25);
  }
  auto budgeted = budgeted_or(vocabulary, items);
  if (!budgeted) return fail(budgeted.error());
  return run_match(vocabulary, budgeted->first, filters, limit, budgeted->second);
}

Result<Signal> concept_signal(Vocabulary& vocabulary, const std::vector<std::string>& terms,
                              const FilterClause& filters, std::size_t limit) {
  std::vector<Item> items;
  for (const auto& term : terms) {
    const std::string phrase = fts_phrase(term);
    if (!phrase.empty()) items.push_back({phrase, tokens_of(term), false});
  }
  auto budgeted = budgeted_or(vocabulary, items);
  if (!budgeted) return fail(budgeted.error());
  if (budgeted->first.empty()) return Signal{};
  return run_match(vocabulary, "command : (" + budgeted->first + ")", filters, limit, budgeted->second);
}

}  // namespace cmdai::semantic
