// The in-process llama backend on the tiny random-weight qwen2 model: loads,
// streams, is cancelled, and always answers valid JSON thanks to the grammar.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "generation/output_parser.h"
#include "generation/prompt.h"
#include "llm/backend_factory.h"
#include "llm/llama/llama_backend.h"
#include "tools/tiny_model.h"

namespace cmdai::llm {
namespace {

class LlamaBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!llama_available()) GTEST_SKIP() << "built without llama.cpp";
    m_model = testing::tiny_model("chat");
    ASSERT_TRUE(std::filesystem::exists(m_model)) << m_model;
  }
  std::unique_ptr<Backend> make(unsigned seed = 0xC0FFEE) {
    LlamaOptions options;
    options.model_path = m_model;
    options.threads = 1;
    options.seed = seed;
    auto backend = make_llama_backend(options);
    EXPECT_TRUE(backend) << backend.error().describe();
    return std::move(*backend);
  }
  static CompletionRequest request(std::string_view text) {
    CompletionRequest r;
    r.messages = generation::build_messages(text, ShellType::bash, Userland::gnu, "/tmp");
    r.user_request = std::string(text);
    r.json_schema = std::string(generation::output_json_schema());
    return r;
  }
  std::filesystem::path m_model;
};

TEST_F(LlamaBackendTest, StreamsAValidJsonObjectFromRandomWeights) {
  auto backend = make();
  std::string streamed;
  int pieces = 0;
  std::vector<double> progress;
  auto r = request("list files");
  r.on_progress = [&](double fraction, std::string_view) { progress.push_back(fraction); };
  auto completion = backend->complete(r,
                                      [&](std::string_view piece) {
                                        streamed += piece;
                                        ++pieces;
                                      },
                                      {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_EQ(streamed, completion->text);
  EXPECT_GT(pieces, 3);
  EXPECT_EQ(completion->tokens_generated, static_cast<std::size_t>(pieces));
  EXPECT_GT(completion->time_to_first_token.count(), 0);
  EXPECT_EQ(completion->text.back(), '}') << "stops at the closing brace";
  auto json = nlohmann::json::parse(completion->text);
  EXPECT_TRUE(json["command"].is_string());
  EXPECT_TRUE(json["explanation"].is_string());
  EXPECT_TRUE(generation::parse_model_output(completion->text)) << completion->text;
}

TEST_F(LlamaBackendTest, EverySeedGivesValidJson) {
  for (unsigned seed : {1U, 2U}) {
    auto backend = make(seed);
    auto completion = backend->complete(request("show disk usage"), {}, {});
    ASSERT_TRUE(completion) << completion.error().describe();
    auto parsed = generation::parse_model_output(completion->text);
    EXPECT_TRUE(parsed) << "seed " << seed << ": " << completion->text;
  }
}

TEST_F(LlamaBackendTest, SameSeedSameAnswer) {
  auto a = make(7)->complete(request("count lines"), {}, {});
  auto b = make(7)->complete(request("count lines"), {}, {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->text, b->text);
}

TEST_F(LlamaBackendTest, StopDuringGenerationCancels) {
  auto backend = make();
  std::stop_source stop;
  int pieces = 0;
  auto completion = backend->complete(
      request("find big files"),
      [&](std::string_view) {
        if (++pieces == 2) stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::cancelled);
  EXPECT_EQ(pieces, 2) << "no token after the stop request";
  // The backend stays usable after a cancelled request.
  auto again = backend->complete(request("find big files"), {}, {});
  EXPECT_TRUE(again) << again.error().describe();
}

TEST_F(LlamaBackendTest, StopFromAnotherThreadEndsTheRequest) {
  auto backend = make();
  std::stop_source stop;
  std::atomic<bool> started{false};
  std::jthread canceller([&] {
    while (!started) std::this_thread::yield();
    stop.request_stop();
  });
  auto completion = backend->complete(
      request("find big files"), [&](std::string_view) { started = true; }, stop.get_token());
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::cancelled);
}

TEST_F(LlamaBackendTest, UnconstrainedDecodingStopsAtMaxTokens) {
  auto backend = make();
  auto r = request("list files");
  r.json_schema.clear();
  r.max_tokens = 8;
  auto completion = backend->complete(r, {}, {});
  ASSERT_TRUE(completion) << completion.error().describe();
  EXPECT_LE(completion->tokens_generated, 8U);
}

TEST_F(LlamaBackendTest, FactoryBuildsIt) {
  BackendSpec spec;
  spec.type = BackendType::llama;
  spec.model = m_model.string();
  spec.threads = 1;
  auto backend = create_backend(spec);
  ASSERT_TRUE(backend);
  EXPECT_EQ((*backend)->type(), BackendType::llama);
  EXPECT_TRUE((*backend)->is_local());
  auto health = (*backend)->check_health({});
  ASSERT_TRUE(health);
  EXPECT_TRUE(health->healthy);
}

TEST(LlamaBackendErrors, MissingModelFileIsUnavailable) {
  LlamaOptions options;
  options.model_path = "/nonexistent/model.gguf";
  auto backend = make_llama_backend(options);
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().code, ErrorCode::unavailable);
}

TEST(LlamaBackendErrors, NotAGgufFileFailsOnFirstRequest) {
  if (!llama_available()) GTEST_SKIP();
  const auto path = std::filesystem::temp_directory_path() / "cmdai-not-a-model.gguf";
  { std::ofstream(path) << "this is not a GGUF file\0\x01"; }
  LlamaOptions options;
  options.model_path = path;
  options.threads = 1;
  auto backend = make_llama_backend(options);
  ASSERT_TRUE(backend);
  CompletionRequest r;
  r.messages = {{"user", "hi"}};
  auto completion = (*backend)->complete(r, {}, {});
  ASSERT_FALSE(completion);
  EXPECT_EQ(completion.error().code, ErrorCode::unavailable);
  std::filesystem::remove(path);
}

TEST(PhysicalCores, AtLeastOne) { EXPECT_GE(physical_core_count(), 1); }

}  // namespace
}  // namespace cmdai::llm
