// Walker: code a program runs through its own options (embedded_code.h)
// and scripts fed on stdin to programs that read their own language (ed,
// partition editors), validated like any other command.

#include "safety/embedded_code.h"
#include "safety/walker.h"

namespace cmdai::safety {

void Walker::check_embedded(const Call& call, Facts& facts) {
  for (const auto& code : embedded_code(call)) {
    switch (code.kind) {
      case EmbeddedCode::Kind::shell: {
        Call runner = call;
        runner.remote = call.remote || code.remote;
        run_code(code.text, CodeLanguage::shell, runner);
        break;
      }
      case EmbeddedCode::Kind::pipe_to_shell: add("code.pipe_to_shell", call, code.text, {}); break;
      case EmbeddedCode::Kind::unseen: add("exec.unseen_code", call, code.text, {}); break;
      case EmbeddedCode::Kind::writes_file: {
        const auto path = resolve_path(code.text, false, m_context);
        const std::string_view rule = rule_for_write(path, false, m_context);
        if (!rule.empty()) add(rule, call, "writes to " + path.path, {});
        break;
      }
    }
  }
  (void)facts;
}

void Walker::check_script(ScriptLanguage language, std::string_view script, const Call& call) {
  if (language == ScriptLanguage::ed) {
    for (const auto& code : ed_commands(script)) run_code(code.text, CodeLanguage::shell, call);
  } else if (language == ScriptLanguage::partition_table && partition_script_writes(script)) {
    add("disk.partition", call, "the script it reads writes the partition table", {});
  }
}

}  // namespace cmdai::safety
