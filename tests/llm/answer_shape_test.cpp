// AnswerShape follows cmdai's answer grammar byte by byte: the bytes and
// tokens it allows at each point, its bounds, and - on the tiny model's real
// vocabulary - agreement with llama.cpp's own verdicts for the same GBNF.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "generation/output_parser.h"
#include "llm/command_grammar.h"

#if __has_include(<llama.h>)
#include <llama.h>

#include "llm/llama/llama_backend.h"
#include "llm/llama/token_candidates.h"
#include "tools/tiny_model.h"
#endif

namespace cmdai::llm {
namespace {

AnswerShape after(std::string_view text) {
  AnswerShape shape;
  shape.feed(text);
  return shape;
}

TEST(AnswerShape, FollowsAValidAnswerToTheEnd) {
  const std::string answer = R"({"command": "ls -la \"a b\"", "explanation": "Lists files."})";
  AnswerShape shape;
  for (std::size_t i = 0; i < answer.size(); ++i) {
    ASSERT_TRUE(shape.accepts(answer.substr(i, 1))) << "at " << i << ": " << answer.substr(0, i);
    shape.feed(answer.substr(i, 1));
  }
  EXPECT_TRUE(shape.next_bytes().none()) << "nothing after the closing brace";
  EXPECT_FALSE(shape.accepts(" "));
}

TEST(AnswerShape, OptionalSingleSpacesAndLiterals) {
  EXPECT_TRUE(after("").accepts("{\"command\""));
  EXPECT_TRUE(after("{").accepts(" \"co"));
  EXPECT_FALSE(after("{").accepts("  \"co")) << "sp is one optional space";
  EXPECT_FALSE(after("{").accepts("\"cmd\""));
  const auto next = after("{\"command\"").next_bytes();
  EXPECT_EQ(next.count(), 2U);
  EXPECT_TRUE(next.test(' '));
  EXPECT_TRUE(next.test(':'));
}

TEST(AnswerShape, TheCommandNeedsAFirstCharacterThatIsNotASpace) {
  const auto open = after("{\"command\": \"");
  EXPECT_FALSE(open.accepts("\"")) << "empty command";
  EXPECT_FALSE(open.accepts(" ls"));
  EXPECT_TRUE(open.accepts("ls -la"));
  EXPECT_TRUE(open.accepts("\\\"quoted"));
  EXPECT_TRUE(after("{\"command\": \"ls\", \"explanation\": \"").accepts("\"}")) << "an empty explanation is fine";
}

TEST(AnswerShape, StringsArePrintableAsciiWithThreeEscapes) {
  const auto open = after("{\"command\": \"x");
  EXPECT_FALSE(open.accepts("\t"));
  EXPECT_FALSE(open.accepts("\xC3\xA9")) << "no UTF-8 beyond ASCII";
  EXPECT_TRUE(open.accepts("\\/"));
  EXPECT_FALSE(open.accepts("\\n"));
  const auto escaped = after("{\"command\": \"x\\").next_bytes();
  EXPECT_EQ(escaped.count(), 3U);
}

TEST(AnswerShape, StringsAreBoundedAtTheGrammarsLength) {
  const std::string full = "{\"command\": \"" + std::string(k_max_field, 'a');
  EXPECT_FALSE(after(full).accepts("a"));
  EXPECT_FALSE(after(full).accepts("\\\\"));
  EXPECT_TRUE(after(full).accepts("\", "));
  const auto next = after(full).next_bytes();
  EXPECT_EQ(next.count(), 1U);
  EXPECT_TRUE(next.test('"'));
  EXPECT_TRUE(after(full.substr(0, full.size() - 1)).accepts("a\""));
}

TEST(AnswerShape, StringRoomIsTheCharactersLeftAfterTheFirst) {
  EXPECT_FALSE(after("{\"command\": \"").string_room()) << "the first character is special";
  EXPECT_EQ(after("{\"command\": \"ls").string_room(), k_max_field - 2);
  EXPECT_EQ(after("{\"command\": \"l\\\"").string_room(), k_max_field - 2) << "an escape is one character";
  EXPECT_FALSE(after("{\"command\": \"l\\").string_room()) << "after a backslash";
  EXPECT_FALSE(after("{\"command\": \"ls\"").string_room()) << "after the string";
  const auto shape = after("{\"command\": \"ls -la\", \"explanation\": \"Li");
  ASSERT_TRUE(shape.string_room());
  EXPECT_TRUE(shape.accepts(std::string(*shape.string_room(), 'x')));
  EXPECT_FALSE(shape.accepts(std::string(*shape.string_room() + 1, 'x')));
}

TEST(AnswerShape, TextThatLeftTheShapeAllowsNothing) {
  const auto lost = after("not json at all");
  EXPECT_TRUE(lost.next_bytes().none());
  EXPECT_FALSE(lost.accepts("anything"));
  EXPECT_FALSE(lost.state_key().has_value());
}

#if __has_include(<llama.h>)
// The tiny chat model's vocabulary only (no weights), llama.cpp kept quiet.
std::unique_ptr<llama_model, decltype(&llama_model_free)> tiny_vocabulary() {
  llama_log_set([](ggml_log_level, const char*, void*) {}, nullptr);
  auto params = llama_model_default_params();
  params.vocab_only = true;
  return {llama_model_load_from_file(testing::tiny_model("chat").c_str(), params), &llama_model_free};
}

// For every step of real answers (a short one, and one whose command has the
// longest length the grammar allows) and a spread of the vocabulary, the
// shape and llama.cpp's grammar give the same verdict on each token, and the
// token index hands out exactly the tokens the shape accepts.
TEST(AnswerShape, AgreesWithLlamaCppsGrammarOnTheTinyModelsVocabulary) {
  if (!llama_available()) GTEST_SKIP() << "built without llama.cpp";
  const auto model = tiny_vocabulary();
  ASSERT_TRUE(model);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  auto piece = [&](llama_token id) {
    char buffer[256];
    const int len = llama_token_to_piece(vocab, id, buffer, sizeof buffer, 0, false);
    return std::string(buffer, static_cast<std::size_t>(std::max(len, 0)));
  };
  std::vector<llama_token> spread;
  for (llama_token id = 0; id < llama_vocab_n_tokens(vocab); id += 29) {
    if (!piece(id).empty() && !llama_vocab_is_control(vocab, id)) spread.push_back(id);
  }
  int compared = 0;
  int remembered = 0;
  const TokenIndex index(vocab);
  const std::vector<float> flat(static_cast<std::size_t>(llama_vocab_n_tokens(vocab)), 0.0F);
  // What the index hands out (fresh and remembered) is exactly what the shape accepts.
  auto check_index = [&](const AnswerShape& shape) {
    if (!shape.state_key() && !shape.string_room()) return;
    std::vector<llama_token> expected;
    for (llama_token id = 0; id < llama_vocab_n_tokens(vocab); ++id) {
      if (!piece(id).empty() && shape.accepts(piece(id))) expected.push_back(id);
    }
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<llama_token_data> out;
      index.collect(shape, flat.data(), flat.size(), out);
      std::vector<llama_token> got;
      for (const auto& t : out) got.push_back(t.id);
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, expected) << "pass " << pass;
    }
    ++remembered;
  };
  for (const std::string& command : {std::string("find . -name \\\"*.pdf\\\" -size +10M"), std::string(200, 'a')}) {
    const std::string answer = "{\"command\": \"" + command + "\", \"explanation\": \"Finds PDFs.\"}";
    std::unique_ptr<llama_sampler, decltype(&llama_sampler_free)> grammar(
        llama_sampler_init_grammar(vocab, command_grammar().c_str(), "root"), &llama_sampler_free);
    ASSERT_TRUE(grammar);
    std::vector<llama_token> tokens(answer.size() + 8);
    const int n = llama_tokenize(vocab, answer.c_str(), static_cast<int>(answer.size()), tokens.data(),
                                 static_cast<int>(tokens.size()), false, false);
    ASSERT_GT(n, 5);
    tokens.resize(static_cast<std::size_t>(n));
    AnswerShape shape;
    std::string seen;
    for (const llama_token next : tokens) {
      check_index(shape);
      std::vector<llama_token_data> sample;
      for (const llama_token id : spread) sample.push_back({id, 1.0F, 0.0F});
      llama_token_data_array cur{sample.data(), sample.size(), -1, false};
      llama_sampler_apply(grammar.get(), &cur);
      for (const auto& t : sample) {
        ASSERT_EQ(!std::isinf(t.logit), shape.accepts(piece(t.id)))
            << "token '" << piece(t.id) << "' after '" << seen << "'";
        ++compared;
      }
      llama_sampler_accept(grammar.get(), next);
      shape.feed(piece(next));
      seen += piece(next);
    }
    EXPECT_EQ(seen, answer);
  }
  EXPECT_GT(compared, 10'000);
  EXPECT_GT(remembered, 10);
}

// Random answers, walked token by token through what the grammar allows
// (long strings that reach their bound, escapes, spaces or none): at each
// step llama.cpp's grammar and the shape agree on a spread of the
// vocabulary and on every token the shape allows, and each walk ends with
// an object the answer parser takes.
TEST(AnswerShape, AgreesWithLlamaCppsGrammarOnRandomAnswers) {
  if (!llama_available()) GTEST_SKIP() << "built without llama.cpp";
  const auto model = tiny_vocabulary();
  ASSERT_TRUE(model);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  const TokenIndex index(vocab);
  const int n_vocab = llama_vocab_n_tokens(vocab);
  std::vector<llama_token> spread;
  for (llama_token id = 0; id < n_vocab; id += 211) {
    if (!index.piece(id).empty() && !llama_vocab_is_control(vocab, id)) spread.push_back(id);
  }
  const std::vector<float> flat(static_cast<std::size_t>(n_vocab), 0.0F);
  std::mt19937 random(7);
  for (int walk = 0; walk < 6; ++walk) {
    std::unique_ptr<llama_sampler, decltype(&llama_sampler_free)> grammar(
        llama_sampler_init_grammar(vocab, command_grammar().c_str(), "root"), &llama_sampler_free);
    ASSERT_TRUE(grammar);
    AnswerShape shape;
    std::string seen;
    // Walks differ in how often they pick a token that ends a string.
    const double close_weight = 0.002 * (walk + 1);
    while (shape.next_bytes().any()) {
      std::vector<llama_token_data> allowed;
      index.collect(shape, flat.data(), flat.size(), allowed);
      ASSERT_FALSE(allowed.empty()) << "after '" << seen << "'";
      std::vector<llama_token_data> sample = allowed;
      for (const llama_token id : spread) sample.push_back({id, 0.0F, 0.0F});
      llama_token_data_array cur{sample.data(), sample.size(), -1, false};
      llama_sampler_apply(grammar.get(), &cur);
      for (const auto& t : sample) {
        ASSERT_EQ(!std::isinf(t.logit), shape.accepts(index.piece(t.id)))
            << "token '" << index.piece(t.id) << "' after '" << seen << "'";
      }
      std::vector<double> weights;
      for (const auto& t : allowed) {
        weights.push_back(index.piece(t.id).find('"') == std::string::npos ? 1.0 : close_weight * allowed.size());
      }
      std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
      const llama_token next = allowed[pick(random)].id;
      llama_sampler_accept(grammar.get(), next);
      shape.feed(index.piece(next));
      seen += index.piece(next);
    }
    auto parsed = generation::parse_model_output(seen);
    ASSERT_TRUE(parsed) << seen;
    EXPECT_EQ(parsed->route, generation::ParseRoute::strict_json) << seen;
  }
}
#endif

}  // namespace
}  // namespace cmdai::llm
