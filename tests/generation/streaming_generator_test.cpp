// StreamingGenerator with scripted backends (events, partial results,
// retry with a corrective message, model_output_invalid, errors,
// cancellation) and with the in-process llama backend on the tiny model.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "generation/streaming_generator.h"
#include "llm/llama/llama_backend.h"
#include "tools/tiny_model.h"

namespace cmdai::generation {
namespace {

// Answers each request with the next scripted text, streamed in 3-byte pieces.
class ScriptedBackend final : public llm::Backend {
 public:
  explicit ScriptedBackend(std::vector<Result<std::string>> answers) : m_answers(std::move(answers)) {}
  BackendType type() const override { return BackendType::openai; }
  std::string name() const override { return "scripted"; }
  bool is_local() const override { return true; }
  Result<llm::Completion> complete(const llm::CompletionRequest& request, const llm::TokenSink& on_token,
                                   std::stop_token stop) override {
    requests.push_back(request);
    auto answer = m_answers.at(std::min(m_next++, m_answers.size() - 1));
    if (!answer) return fail(answer.error());
    llm::Completion out;
    for (std::size_t i = 0; i < answer->size(); i += 3) {
      if (stop.stop_requested()) return fail(ErrorCode::cancelled, "stopped");
      const auto piece = answer->substr(i, 3);
      out.text += piece;
      ++out.tokens_generated;
      if (on_token) on_token(piece);
    }
    return out;
  }
  Result<llm::HealthStatus> check_health(std::stop_token) override { return llm::HealthStatus{}; }
  std::vector<llm::CompletionRequest> requests;

 private:
  std::vector<Result<std::string>> m_answers;
  std::size_t m_next = 0;
};

struct Recorded {
  std::vector<StreamEvent> events;
  std::vector<std::string> partials() const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (const auto* p = std::get_if<PartialResultEvent>(&e)) out.push_back(p->command);
    }
    return out;
  }
  std::vector<std::string> stages() const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (const auto* p = std::get_if<ProgressEvent>(&e)) out.push_back(p->message);
    }
    return out;
  }
};

GenerationRequest request() { return {"list files", ShellType::bash, llm::Userland::gnu, "/tmp"}; }

TEST(StreamingGeneratorEvents, PartialCommandGrowsThenCompletes) {
  ScriptedBackend backend({R"({"command": "ls -la /tmp", "explanation": "lists"})"});
  Recorded rec;
  auto result =
      StreamingGenerator(backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->command, "ls -la /tmp");
  EXPECT_GT(result->tokens_generated, 0U);
  EXPECT_GT(result->generation_time.count(), 0);
  EXPECT_FALSE(result->safety_validated) << "set by the pipeline";
  const auto partials = rec.partials();
  ASSERT_GE(partials.size(), 3U);
  EXPECT_EQ(partials.back(), "ls -la /tmp");
  for (std::size_t i = 1; i < partials.size(); ++i) EXPECT_TRUE(partials[i].starts_with(partials[i - 1]));
  EXPECT_TRUE(std::holds_alternative<CompletedEvent>(rec.events.back()));
  const auto stages = rec.stages();
  EXPECT_NE(std::find(stages.begin(), stages.end(), "waiting for first token"), stages.end());
  EXPECT_NE(std::find(stages.begin(), stages.end(), "generating"), stages.end());
  EXPECT_FALSE(backend.requests.at(0).json_schema.empty());
}

TEST(StreamingGeneratorEvents, UnusableAnswerGetsOneCorrectiveRetry) {
  ScriptedBackend backend({std::string("I am sorry, I cannot do that."), std::string(R"({"command": "df -h"})")});
  Recorded rec;
  auto result =
      StreamingGenerator(backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->command, "df -h");
  ASSERT_EQ(backend.requests.size(), 2U);
  const auto& retry = backend.requests[1].messages;
  EXPECT_EQ(retry[retry.size() - 2].role, "assistant");
  EXPECT_NE(retry.back().content.find("could not be used"), std::string::npos);
  const auto stages = rec.stages();
  EXPECT_TRUE(
      std::any_of(stages.begin(), stages.end(), [](const std::string& s) { return s.starts_with("retrying"); }));
}

TEST(StreamingGeneratorEvents, TwoUnusableAnswersAreModelOutputInvalid) {
  ScriptedBackend backend({std::string("{\"command\": \"cd /\\nrm -rf x\"}")});
  Recorded rec;
  auto result =
      StreamingGenerator(backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::model_output_invalid);
  EXPECT_NE(result.error().message.find("multi-line"), std::string::npos);
  const auto* error = std::get_if<ErrorEvent>(&rec.events.back());
  ASSERT_NE(error, nullptr);
  EXPECT_FALSE(error->recoverable);
  EXPECT_EQ(backend.requests.size(), 2U);
}

TEST(StreamingGeneratorEvents, TimeoutIsARecoverableError) {
  ScriptedBackend backend({Result<std::string>(fail(ErrorCode::timeout, "the server sent nothing for 100 ms"))});
  Recorded rec;
  auto result =
      StreamingGenerator(backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::timeout);
  const auto* error = std::get_if<ErrorEvent>(&rec.events.back());
  ASSERT_NE(error, nullptr);
  EXPECT_TRUE(error->recoverable);
}

// A backend that throws (a bug, not a model's answer) ends the request with
// an error, instead of the exception leaving the worker thread and ending
// the process.
class ThrowingBackend final : public llm::Backend {
 public:
  BackendType type() const override { return BackendType::openai; }
  std::string name() const override { return "throwing"; }
  bool is_local() const override { return true; }
  Result<llm::Completion> complete(const llm::CompletionRequest&, const llm::TokenSink&, std::stop_token) override {
    throw std::runtime_error("boom");
  }
  Result<llm::HealthStatus> check_health(std::stop_token) override { return llm::HealthStatus{}; }
};

TEST(StreamingGeneratorEvents, AnExceptionInTheBackendIsAnInternalError) {
  ThrowingBackend backend;
  Recorded rec;
  auto result =
      StreamingGenerator(backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::internal);
  EXPECT_NE(result.error().message.find("boom"), std::string::npos);
  const auto* error = std::get_if<ErrorEvent>(&rec.events.back());
  ASSERT_NE(error, nullptr);
  EXPECT_FALSE(error->recoverable);
}

TEST(StreamingGeneratorEvents, StopEndsWithCancelledAndNoCompleted) {
  ScriptedBackend backend({R"({"command": "find / -name core", "explanation": "x"})"});
  std::stop_source stop;
  Recorded rec;
  auto result = StreamingGenerator(backend).generate(
      request(),
      [&](const StreamEvent& e) {
        rec.events.push_back(e);
        if (std::holds_alternative<PartialResultEvent>(e)) stop.request_stop();
      },
      stop.get_token());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  EXPECT_TRUE(std::holds_alternative<CancelledEvent>(rec.events.back()));
  for (const auto& e : rec.events) EXPECT_FALSE(std::holds_alternative<CompletedEvent>(e));
}

TEST(StreamingGeneratorEvents, TimeoutAndMaxTokensReachTheBackend) {
  ScriptedBackend backend({R"({"command": "ls"})"});
  auto r = request();
  r.timeout = std::chrono::milliseconds{1234};
  ASSERT_TRUE(StreamingGenerator(backend).generate(r, {}, {}));
  EXPECT_EQ(backend.requests.at(0).timeout.count(), 1234);
  EXPECT_EQ(backend.requests.at(0).max_tokens, 512);
}

TEST(StreamingGeneratorLlama, TinyModelStreamsLoadsAndCompletes) {
  if (!llm::llama_available()) GTEST_SKIP() << "built without llama.cpp";
  llm::LlamaOptions options;
  options.model_path = testing::tiny_model("chat");
  options.threads = 1;
  options.seed = 11;
  auto backend = llm::make_llama_backend(options);
  ASSERT_TRUE(backend);
  Recorded rec;
  auto result =
      StreamingGenerator(**backend).generate(request(), [&](const StreamEvent& e) { rec.events.push_back(e); }, {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_FALSE(result->command.empty());
  EXPECT_GT(result->tokens_generated, 3U);
  EXPECT_FALSE(rec.partials().empty());
  EXPECT_EQ(rec.partials().back(), result->command);
  EXPECT_TRUE(std::holds_alternative<CompletedEvent>(rec.events.back()));
}

TEST(StreamingGeneratorLlama, CancelFromAnotherThread) {
  if (!llm::llama_available()) GTEST_SKIP() << "built without llama.cpp";
  llm::LlamaOptions options;
  options.model_path = testing::tiny_model("chat");
  options.threads = 1;
  auto backend = llm::make_llama_backend(options);
  ASSERT_TRUE(backend);
  std::stop_source stop;
  std::atomic<bool> partial{false};
  std::jthread canceller([&] {
    while (!partial) std::this_thread::yield();
    stop.request_stop();
  });
  Recorded rec;
  auto result = StreamingGenerator(**backend).generate(
      request(),
      [&](const StreamEvent& e) {
        rec.events.push_back(e);
        if (std::holds_alternative<PartialResultEvent>(e)) partial = true;
      },
      stop.get_token());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  EXPECT_TRUE(std::holds_alternative<CancelledEvent>(rec.events.back()));
}

}  // namespace
}  // namespace cmdai::generation
