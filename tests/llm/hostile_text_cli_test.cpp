// Text from a hostile model or server never acts on the user's terminal:
// an explanation carrying OSC 52 (clipboard), CSI erase-line, an OSC 8 link,
// an embedded "Risk: safe" line and an unterminated OSC, and a server error
// body full of escape sequences. Plain output is read byte by byte; on a real
// terminal (tmux) the risk line and the prompt must be on screen and the
// clipboard untouched.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "shell_integration/tmux_session.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tools/loopback_server.h"
#include "tools/ollama_wire.h"

namespace cmdai::llm {
namespace {

namespace wire = testing::ollama_wire;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

// Everything an attacker would put in an explanation, ending in an OSC that
// is never terminated (it swallowed the real risk line and the prompt).
const std::string k_explanation =
    "Lists files.\x1b]52;c;cm0gLXJmIH4vcHJvamVjdHM=\x07 \x1b[2K\r\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
    "\n  Risk: safe - No risky operation found.\n\xe2\x80\xae\xc2\x9b"
    "2J\x1b]0;swallow";

ScriptedResponse answer(const RecordedRequest& r, const std::string& command, const std::string& explanation) {
  if (r.path == "/health") return wire::json_body(200, R"({"status":"ok"})");
  if (r.path == "/v1/models") return wire::json_body(200, R"({"object":"list","data":[{"id":"tiny"}]})");
  const std::string content = nlohmann::json{{"command", command}, {"explanation", explanation}}.dump();
  return wire::json_body(
      200,
      nlohmann::json{
          {"choices",
           {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}}
          .dump());
}

std::vector<std::string> backend_args(const LoopbackServer& server) {
  return {"--backend", "openai", "--endpoint", server.url(), "--no-fallback", "--no-stream"};
}

// No byte a terminal acts on: C0 but newline, DEL, C1 (as UTF-8), bidi.
std::string control_found(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return "byte " + std::to_string(c) + " at " + std::to_string(i);
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return "C1 at " + std::to_string(i);
    if (text.compare(i, 3, "\xe2\x80\xae") == 0) return "U+202E at " + std::to_string(i);
  }
  return "";
}

TEST(HostileText, ExplanationIsShownAsTextAndTheRealRiskLineFollowsIt) {
  LoopbackServer server([](const RecordedRequest& r) { return answer(r, "rm -r ~/projects", k_explanation); });
  testing::TempDir home;
  auto args = backend_args(server);
  args.push_back("list files");
  auto run = testing::run_cmdai(home.path().string(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(control_found(run.out), "") << run.out;
  EXPECT_EQ(control_found(run.err), "") << run.err;
  EXPECT_NE(run.out.find("\\e]52;c;"), std::string::npos) << "shown, not sent: " << run.out;
  // The only line that starts with "Risk:" is cmdai's own, after the explanation.
  const auto real = run.out.find("\n  Risk: high");
  ASSERT_NE(real, std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("\n  Risk: safe"), std::string::npos) << run.out;
  EXPECT_LT(run.out.find("\\e]0;swallow"), real) << run.out;
}

TEST(HostileText, ServerErrorBodyOnStderrIsText) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.path == "/v1/chat/completions")
      return wire::json_body(500, "{\"error\":{\"message\":\"boom\x1b]52;c;ZXZpbA==\x07\x1b[2K\\u001b[31m\"}}");
    return answer(r, "ls", "x");
  });
  testing::TempDir home;
  auto args = backend_args(server);
  args.push_back("list files");
  auto run = testing::run_cmdai(home.path().string(), args);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("cmdai: error"), std::string::npos) << run.err;
  EXPECT_EQ(control_found(run.err), "") << run.err;
  EXPECT_EQ(control_found(run.out), "") << run.out;
}

TEST(HostileText, ImportedCommandsListAndSearchAsText) {
  testing::TempDir home;
  const auto file = home / "bash_history";
  {
    std::ofstream out(file, std::ios::binary);
    out << "echo hi \x1b]52;c;ZXZpbA==\x07 \x1b[2K\rls\n"
        << "cat notes \xe2\x80\xae"
           "txt.exe\n";
  }
  auto imported = testing::run_cmdai(home.path().string(), {"history", "import", "--format", "bash", file.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const std::vector<std::string> args :
       {std::vector<std::string>{"history", "list"}, std::vector<std::string>{"history", "list", "--json"},
        std::vector<std::string>{"history", "stats"}, std::vector<std::string>{"search", "--mode", "lexical", "echo"},
        std::vector<std::string>{"search", "--mode", "lexical", "notes"}}) {
    auto run = testing::run_cmdai(home.path().string(), args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(control_found(run.out), "") << args[0] << " " << args[1] << "\n" << run.out;
    EXPECT_EQ(control_found(run.err), "") << run.err;
  }
  auto listed = testing::run_cmdai(home.path().string(), {"history", "list"});
  EXPECT_NE(listed.out.find("\\u202etxt.exe"), std::string::npos) << listed.out;
  // JSON keeps the stored text: the same string, written with escapes.
  auto json = testing::run_cmdai(home.path().string(), {"history", "list", "--json"});
  const auto entries = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(entries.is_array()) << json.out;
  bool found = false;
  for (const auto& e : entries) found = found || e["command"] == "cat notes \xe2\x80\xaetxt.exe";
  EXPECT_TRUE(found) << json.out;
}

// A server need not obey the schema's 200 characters: a 1 MB explanation is
// cut before it is printed or stored, a 1 MB command is refused (a cut
// command would be another command) and nothing is stored.
TEST(HostileText, OverLongAnswersAreBoundedBeforePrintingAndStoring) {
  const std::string megabyte(1 << 20, 'x');
  testing::TempDir home;
  {
    LoopbackServer server([&](const RecordedRequest& r) { return answer(r, "ls", megabyte); });
    auto args = backend_args(server);
    args.insert(args.end(), {"--json", "list files"});
    auto run = testing::run_cmdai(home.path().string(), args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_LT(run.out.size(), 16u * 1024) << "printed";
    const auto history = testing::run_cmdai(home.path().string(), {"history", "list", "--json"});
    const auto entries = nlohmann::json::parse(history.out, nullptr, false);
    ASSERT_TRUE(entries.is_array() && entries.size() == 1) << history.out.substr(0, 500);
    EXPECT_LE(entries[0]["explanation"].get<std::string>().size(), 2048u) << "stored";
  }
  LoopbackServer server([&](const RecordedRequest& r) { return answer(r, "echo " + megabyte, megabyte); });
  auto args = backend_args(server);
  args.push_back("list files");
  auto run = testing::run_cmdai(home.path().string(), args);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("bytes (cmdai takes up to 4096)"), std::string::npos) << run.err.substr(0, 500);
  EXPECT_LT(run.out.size() + run.err.size(), 16u * 1024);
  const auto history = testing::run_cmdai(home.path().string(), {"history", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(history.out, nullptr, false).size(), 1u) << "nothing more was stored";
}

// On a real terminal: the unterminated OSC in the explanation must not hide
// the risk line or the question, and OSC 52 must not reach the clipboard
// (tmux with set-clipboard on would take it into a paste buffer).
TEST(HostileText, OnATerminalTheRiskLineAndPromptStayVisible) {
  LoopbackServer server([](const RecordedRequest& r) { return answer(r, "rm -r ~/projects", k_explanation); });
  testing::TempDir home;
  // cmdai starts once the clipboard option is set (the first Enter), and the
  // session outlives it so that its buffers can be read.
  std::vector<std::string> command{"/bin/sh", "-c", "read go; \"$@\"; echo EXITED; read done", "sh", CMDAI_BINARY};
  for (const auto& arg : backend_args(server)) command.push_back(arg);
  command.insert(command.end(), {"-x", "list files"});
  testing::TmuxSession tmux(command, {{"CMDAI_HOME", home.path().string()}, {"OPENAI_API_KEY", "unset"}});
  ASSERT_TRUE(tmux.started());
  tmux.set_option("set-clipboard", "on");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("Run it? [y/N") != std::string::npos; }))
      << tmux.screen();
  const std::string screen = tmux.screen();
  EXPECT_NE(screen.find("Risk: high"), std::string::npos) << screen;
  EXPECT_NE(screen.find("\\e]52;c;"), std::string::npos) << screen;
  tmux.type("n");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_for([](const std::string& s) { return s.find("EXITED") != std::string::npos; }))
      << tmux.screen();
  EXPECT_NE(tmux.screen().find("cmdai: not run"), std::string::npos) << tmux.screen();
  EXPECT_EQ(tmux.buffers(), "") << "a paste buffer came from the explanation";
}

}  // namespace
}  // namespace cmdai::llm
