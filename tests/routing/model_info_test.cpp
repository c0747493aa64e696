// Parsers of what servers report about their model, fed real response
// shapes (llama-server, vLLM, Ollama) and malformed bytes.

#include "routing/model_info.h"

#include <gtest/gtest.h>

#include "routing/fake_backend.h"
#include "routing/health_checker.h"
#include "support/fake_env.h"

namespace cmdai::routing {
namespace {

TEST(ModelInfo, LlamaServerPropsGiveTheSlotContextAndModalities) {
  const auto model = parse_llama_props(R"({"default_generation_settings":{"n_ctx":512,"params":{}},"total_slots":1,)"
                                       R"("modalities":{"vision":true,"audio":false},"build_info":"b1"})");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->context_length, 512);
  EXPECT_EQ(model->capabilities, (std::vector<std::string>{"vision"}));
  EXPECT_EQ(model->source, "/props");
}

TEST(ModelInfo, OpenAiModelsGiveLlamaServerMetaOrVllmMaxModelLen) {
  const auto llama = parse_openai_models(
      R"({"models":[{"name":"m.gguf","model":"m.gguf","capabilities":["completion"],"details":{"family":""}}],)"
      R"("object":"list","data":[{"id":"m.gguf","meta":{"n_ctx":2048,"n_ctx_train":4096}}]})",
      "chat");
  ASSERT_TRUE(llama);
  EXPECT_EQ(llama->context_length, 2048);
  EXPECT_EQ(llama->capabilities, (std::vector<std::string>{"completion"}));
  const auto vllm = parse_openai_models(
      R"({"object":"list","data":[{"id":"other","max_model_len":1024},{"id":"qwen","max_model_len":32768}]})", "qwen");
  ASSERT_TRUE(vllm);
  EXPECT_EQ(vllm->context_length, 32768);
  EXPECT_FALSE(parse_openai_models(R"({"object":"list","data":[{"id":"gpt"}]})", "gpt"));
}

TEST(ModelInfo, OllamaShowPrefersNumCtxThenTheArchitecturesContextLength) {
  const std::string info = R"("model_info":{"general.architecture":"qwen2","qwen2.context_length":32768},)"
                           R"("details":{"family":"qwen2"},"capabilities":["completion","tools"])";
  const auto with_num_ctx = parse_ollama_show(
      "{\"parameters\":\"stop \\\"<|im_end|>\\\"\\nnum_ctx                        8192\"," + info + "}");
  ASSERT_TRUE(with_num_ctx);
  EXPECT_EQ(with_num_ctx->context_length, 8192);
  EXPECT_EQ(with_num_ctx->model_family, "qwen2");
  EXPECT_EQ(with_num_ctx->capabilities, (std::vector<std::string>{"completion", "tools"}));
  EXPECT_EQ(with_num_ctx->source, "/api/show");
  const auto trained = parse_ollama_show("{" + info + "}");
  ASSERT_TRUE(trained);
  EXPECT_EQ(trained->context_length, 32768);
}

TEST(ModelInfo, MalformedOrHostileBodiesReportNothing) {
  const std::string huge(5 << 20, ' ');
  for (const std::string& body : std::vector<std::string>{
           "", "not json", "[]", "null", std::string("{\"a\":\"\xff\xfe\"}"), std::string("{\0}", 3), huge,
           R"({"default_generation_settings":{"n_ctx":-5}})", R"({"default_generation_settings":{"n_ctx":1e300}})",
           R"({"default_generation_settings":{"n_ctx":99999999999999999999}})",
           R"({"default_generation_settings":"x","modalities":[true]})"}) {
    EXPECT_FALSE(parse_llama_props(body)) << body.substr(0, 60);
    EXPECT_FALSE(parse_openai_models(body, "m")) << body.substr(0, 60);
    EXPECT_FALSE(parse_ollama_show(body)) << body.substr(0, 60);
  }
  // Wrong types inside an otherwise fine answer are skipped, not trusted.
  const auto odd = parse_ollama_show(
      R"({"capabilities":["tools",7,"x y","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],"details":{"family":["llama"]},)"
      R"("model_info":{"general.architecture":"llama","llama.context_length":"4096"}})");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->capabilities, (std::vector<std::string>{"tools"}));
  EXPECT_EQ(odd->context_length, 0);
  EXPECT_EQ(odd->model_family, "llama");
}

TEST(ModelInfo, MergeKeepsTheFirstContextAndJoinsCapabilities) {
  const auto merged = merge_reported(ReportedModel{512, {"vision"}, "", "/props"},
                                     ReportedModel{2048, {"completion", "vision"}, "llama", "/v1/models"});
  EXPECT_EQ(merged.context_length, 512);
  EXPECT_EQ(merged.source, "/props");
  EXPECT_EQ(merged.capabilities, (std::vector<std::string>{"vision", "completion"}));
  EXPECT_EQ(merged.model_family, "llama");
}

TEST(ModelInfo, TheHealthCheckerAsksHealthyServersOnly) {
  testing::FakeEnv env;
  testing::FakeFleet fleet;
  fleet.script("up");
  fleet.script("down")->healthy = false;
  int asked = 0;
  const ModelInfoProbe probe = [&](const BackendInstance& instance, std::chrono::milliseconds timeout,
                                   std::stop_token) -> std::optional<ReportedModel> {
    ++asked;
    EXPECT_EQ(instance.name, "up");
    EXPECT_LE(timeout, k_health_timeout);
    return ReportedModel{4096, {}, "qwen2", "/props"};
  };
  const HealthChecker checker(
      fleet.factory(), [&] { return env.now(); }, k_health_timeout, probe);
  const auto up = checker.check(testing::server("up"), {});
  ASSERT_TRUE(up.reported);
  EXPECT_EQ(up.reported->context_length, 4096);
  const auto down = checker.check(testing::server("down"), {});
  EXPECT_FALSE(down.reported);
  EXPECT_EQ(asked, 1);
}

}  // namespace
}  // namespace cmdai::routing
