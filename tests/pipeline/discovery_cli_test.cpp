// Zero configuration through the built binary, each test in a fresh
// CMDAI_HOME: Ollama found at OLLAMA_HOST (every form) and at its port moved
// to a free one (the wire-faithful loopback server), a real llama-server
// found at its port (and as vLLM), the first-run notice said once, the model
// and why in -v and --json, `backends list|discover|save`, doctor, a
// preferred type with no instance, a half-written config, and history
// search served by a server's embedding model.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/read_file.h"
#include "support/temp_dir.h"
#include "tools/llama_server.h"
#include "tools/ollama_wire.h"
#include "tools/tiny_model.h"

namespace cmdai {
namespace {

namespace wire = testing::ollama_wire;

testing::ScriptedResponse ollama_reply(const testing::RecordedRequest& r) {
  if (r.path == "/api/tags") {
    return wire::json_body(200, wire::tags_body_of({wire::tags_entry("all-minilm:latest", "bert"),
                                                    wire::tags_entry("llama3.2:3b", "llama"),
                                                    wire::tags_entry("qwen2.5-coder:1.5b", "qwen2")}));
  }
  if (r.path == "/api/show") return wire::json_body(200, wire::show_body());
  if (r.path == "/api/chat") {
    return wire::ndjson(wire::answer_chunks(nlohmann::json::parse(r.body, nullptr, false).value("model", "")));
  }
  if (r.path == "/api/embed") {
    std::vector<std::vector<float>> vectors;
    const auto request = nlohmann::json::parse(r.body);
    for (const auto& text : request.at("input")) vectors.push_back(wire::spelling_vector(text));
    return wire::json_body(200, wire::embed_body("all-minilm:latest", vectors));
  }
  return wire::json_body(404, R"({"error":"not found"})");
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class DiscoveryCli : public ::testing::Test {
 protected:
  testing::ProcessResult cmdai(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env.emplace("NO_COLOR", "1");
    env.emplace("OLLAMA_HOST", m_ollama.url());
    env.emplace("CMDAI_DISCOVER_PORTS", "llama-server=0,lmstudio=0,vllm=0");
    return testing::run_cmdai(m_home.path().string(), std::move(args), std::move(env));
  }
  testing::TempDir m_home;
  testing::LoopbackServer m_ollama{ollama_reply};
};

TEST_F(DiscoveryCli, AFreshHomeUsesTheOllamaAtOllamaHostAndSaysSoOnce) {
  auto first = cmdai({"list files"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("ls -la"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("backend: ollama"), std::string::npos) << first.out;
  EXPECT_EQ(count(first.err, "found at " + m_ollama.url()), 1u) << first.err;
  EXPECT_NE(first.err.find("cmdai backends save ollama"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("cmdai config set backend.discover false"), std::string::npos) << first.err;
  auto second = cmdai({"list files"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err, "") << "said once per server and model";
}

TEST_F(DiscoveryCli, EveryFormOfOllamaHostIsFound) {
  const std::string port = std::to_string(m_ollama.port());
  for (const std::string& form :
       {"127.0.0.1:" + port, "http://127.0.0.1:" + port, "0.0.0.0:" + port, "http://localhost:" + port + "/"}) {
    testing::TempDir home;
    auto r = testing::run_cmdai(home.path().string(), {"--json", "list files"},
                                {{"OLLAMA_HOST", form}, {"CMDAI_DISCOVER_PORTS", "llama-server=0,lmstudio=0,vllm=0"}});
    ASSERT_EQ(r.exit_code, 0) << form << ": " << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["backend_used"], "ollama") << form << ": " << r.err;
  }
}

TEST_F(DiscoveryCli, TheDefaultPortMovedToAFreeOneIsFound) {
  auto r = cmdai({"--json", "list files"}, {{"OLLAMA_HOST", "\x01unset"},
                                            {"CMDAI_DISCOVER_PORTS", "ollama=" + std::to_string(m_ollama.port()) +
                                                                         ",llama-server=0,lmstudio=0,vllm=0"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["backend_used"], "ollama") << r.err;
}

TEST_F(DiscoveryCli, TheModelAndWhyItWasChosenAreInVerboseAndJsonOutput) {
  auto r = cmdai({"-v", "--json", "list files"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["selection"]["instance"], "ollama");
  EXPECT_EQ(out["selection"]["model"], "qwen2.5-coder:1.5b");
  EXPECT_EQ(out["selection"]["model_reason"], "a code model, of 3 listed");
  EXPECT_NE(r.err.find("cmdai: selected ollama ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cmdai: model qwen2.5-coder:1.5b (a code model, of 3 listed)"), std::string::npos) << r.err;
}

TEST_F(DiscoveryCli, BackendsListDiscoverAndSave) {
  auto list = cmdai({"backends", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto rows = nlohmann::json::parse(list.out);
  ASSERT_EQ(rows.size(), 2u) << rows;
  EXPECT_EQ(rows[0]["name"], "ollama");
  EXPECT_EQ(rows[0]["discovered"], true);
  EXPECT_EQ(rows[0]["origin"], "discovered");
  EXPECT_EQ(rows[0]["endpoint"], m_ollama.url());
  EXPECT_EQ(rows[0]["models"].size(), 3u);
  EXPECT_EQ(rows[0]["model"], "qwen2.5-coder:1.5b");
  auto plain = cmdai({"backends", "list"});
  EXPECT_NE(plain.out.find("[discovered ollama; model qwen2.5-coder:1.5b; listed: all-minilm:latest"),
            std::string::npos)
      << plain.out;

  auto found = cmdai({"backends", "discover", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto places = nlohmann::json::parse(found.out);
  ASSERT_EQ(places.size(), 1u) << places;
  EXPECT_EQ(places[0]["server"], "ollama");
  EXPECT_EQ(places[0]["named_by_user"], true);
  EXPECT_EQ(places[0]["embedding_models"], nlohmann::json::array({"all-minilm:latest"}));
  EXPECT_EQ(places[0]["instance"], "ollama");

  const auto config = m_home.path() / "config.toml";
  std::ofstream(config) << "# my settings\n[safety]\nlevel = \"strict\"  # careful\n";
  auto saved = cmdai({"backends", "save", "ollama"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  const std::string text = testing::read_file(config);
  EXPECT_NE(text.find("# my settings"), std::string::npos) << text;
  EXPECT_NE(text.find("level = \"strict\"  # careful"), std::string::npos) << text;
  EXPECT_NE(text.find("[backend.instances.ollama]"), std::string::npos) << text;
  EXPECT_NE(text.find("model = 'qwen2.5-coder:1.5b'"), std::string::npos) << text;
  const auto after = nlohmann::json::parse(cmdai({"backends", "list", "--json"}).out);
  ASSERT_EQ(after.size(), 2u) << "saved, so no longer discovered twice: " << after;
  EXPECT_EQ(after[0]["origin"], "configured");
  auto nope = cmdai({"backends", "save", "vllm"});
  EXPECT_EQ(nope.exit_code, 5) << nope.err;
  EXPECT_NE(nope.err.find("no discovered server is called 'vllm'"), std::string::npos) << nope.err;
}

TEST_F(DiscoveryCli, DoctorShowsWhatWasFound) {
  auto r = cmdai({"doctor"});
  EXPECT_NE(r.out.find("discovery ollama at " + m_ollama.url() +
                       ": 3 models; answers as 'ollama' with "
                       "qwen2.5-coder:1.5b"),
            std::string::npos)
      << r.out;
  auto off = cmdai({"doctor"}, {{"CMDAI_DISCOVER", "false"}});
  EXPECT_NE(off.out.find("off (backend.discover = false)"), std::string::npos) << off.out;
}

TEST_F(DiscoveryCli, APreferredTypeWithNoInstanceNeverEndsInExitFive) {
  auto r = cmdai({"show git status"}, {{"CMDAI_BACKEND", "vllm"},
                                       {"OLLAMA_HOST", "\x01unset"},
                                       {"CMDAI_DISCOVER_PORTS", "ollama=0,llama-server=0,lmstudio=0,vllm=" +
                                                                    std::to_string(testing::free_loopback_port())}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("git status"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no vllm backend is configured or answering"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  auto with_ollama = cmdai({"--json", "show git status"}, {{"CMDAI_BACKEND", "ollama"}});
  ASSERT_EQ(with_ollama.exit_code, 0) << with_ollama.err;
  EXPECT_EQ(nlohmann::json::parse(with_ollama.out)["backend_used"], "ollama");
}

TEST_F(DiscoveryCli, AHalfWrittenConfigNeverBlocksAnAnswer) {
  std::ofstream(m_home.path() / "config.toml") << "[backend.instances.work]\ntype = \"openai\"\n";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--backend", "rules", "show git status"},
                                               std::vector<std::string>{"show git status"}}) {
    auto r = cmdai(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(r.err, "warning"), 1u) << r.err;
    EXPECT_NE(r.err.find("backend.instances.work.endpoint"), std::string::npos) << r.err;
  }
}

TEST_F(DiscoveryCli, HistorySearchUsesTheServersEmbeddingModel) {
  for (const char* request : {"list files", "show disk usage"}) ASSERT_EQ(cmdai({request}).exit_code, 0);
  auto reindex = cmdai({"history", "reindex"});
  ASSERT_EQ(reindex.exit_code, 0) << reindex.err;
  EXPECT_NE(reindex.out.find("with ollama:all-minilm:latest"), std::string::npos) << reindex.out;
  auto search = cmdai({"search", "--json", "ls"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  int embeds = 0;
  for (const auto& r : m_ollama.requests()) embeds += r.path == "/api/embed" ? 1 : 0;
  EXPECT_GE(embeds, 3) << "open, reindex, the query";
  EXPECT_NE(search.out.find("meaning (vector"), std::string::npos) << search.out;
}

class LlamaServerDiscoveryCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto model = testing::tiny_model("chat");
    if (model.empty() || !std::filesystem::exists(CMDAI_LLAMA_SERVER)) return;
    s_server = new testing::LlamaServer({CMDAI_LLAMA_SERVER, model, {}, 1024});
  }
  static void TearDownTestSuite() {
    delete s_server;
    s_server = nullptr;
  }
  void SetUp() override {
    if (s_server == nullptr) GTEST_SKIP() << "built without llama.cpp";
    ASSERT_TRUE(s_server->ready()) << "llama-server did not start";
  }
  static std::string port() { return s_server->url().substr(s_server->url().rfind(':') + 1); }
  testing::TempDir m_home;
  static testing::LlamaServer* s_server;
};
testing::LlamaServer* LlamaServerDiscoveryCli::s_server = nullptr;

TEST_F(LlamaServerDiscoveryCli, ARealLlamaServerAtItsPortAnswers) {
  auto r = testing::run_cmdai(
      m_home.path().string(), {"--json", "list files"},
      {{"OLLAMA_HOST", "\x01unset"}, {"CMDAI_DISCOVER_PORTS", "ollama=0,lmstudio=0,vllm=0,llama-server=" + port()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["backend_used"], "llama-server") << r.err;
  EXPECT_NE(out["selection"]["model"].get<std::string>().find("chat.gguf"), std::string::npos) << out["selection"];
  EXPECT_NE(r.err.find("answered by llama-server found at " + s_server->url()), std::string::npos) << r.err;
}

TEST_F(LlamaServerDiscoveryCli, AtTheVllmPortItIsTalkedToAsVllm) {
  auto r = testing::run_cmdai(m_home.path().string(), {"--json", "list files"},
                              {{"OLLAMA_HOST", "\x01unset"},
                               {"CMDAI_BACKEND", "vllm"},
                               {"CMDAI_DISCOVER_PORTS", "ollama=0,lmstudio=0,llama-server=0,vllm=" + port()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["backend_used"], "vllm") << r.err;
  EXPECT_EQ(out["selection"]["selected_backend"], "vllm");
}

}  // namespace
}  // namespace cmdai
