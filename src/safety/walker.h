#pragma once
// Internal to the safety module: walks a parsed script the way the shell
// would run it (substitutions first, wrappers unwrapped, inline code
// re-parsed), calls the analyzers and adds pipeline and chain findings.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "safety/call.h"
#include "safety/shell_variables.h"
#include "safety/validator.h"
#include "shell/ast.h"

namespace re2 {
class RE2;
}

namespace cmdai::safety {

struct CompiledPattern {
  CustomPattern pattern;
  std::shared_ptr<const re2::RE2> regex;
};

struct Validator::Compiled {
  std::vector<CompiledPattern> custom;
};

class Walker final : public Sink {
 public:
  Walker(std::string_view text, const ValidationContext& context, const Validator::Compiled& compiled,
         std::size_t max_depth, ValidationResult& result)
      : m_text(text),
        m_context(context),
        m_compiled(compiled),
        m_max_depth(max_depth),
        m_result(result),
        m_vars(context) {}

  void walk(const shell::Script& script);
  bool saw_dynamic() const { return m_dynamic; }

  // Sink
  void add(std::string_view rule_id, const Call& call, std::string signal, std::string alternative) override;
  void lower(std::string_view lowering_id, const Call& call, std::string detail, std::string_view instead_of) override;
  void run_code(std::string_view code, CodeLanguage language, const Call& call) override;
  void run_argv(std::vector<Arg> argv, const Call& call, bool operands_from_stdin) override;
  Facts substitution_facts(const Arg& arg) override;
  const ValidationContext& context() const override { return m_context; }

 private:
  // Where findings of nested code are reported: re-parsed text has its own
  // offsets, so everything inside reports the outermost command's span.
  struct Frame {
    std::size_t depth = 0;
    bool elevated = false;
    bool remote = false;
    bool reparsed = false;
    shell::Span outer;
    std::string function;  // the function whose body this is, if any
  };

  Facts walk_list(const shell::Script& script, const Frame& frame);
  Facts walk_pipeline(const shell::Pipeline& pipeline, const Frame& frame);
  Facts walk_command(const shell::Command& command, const Frame& frame);
  Facts walk_simple(const shell::Command& command, const Frame& frame);
  void walk_substitutions(const shell::Word& word, const Frame& frame);
  void analyze_call(Call call, Facts& facts, const Frame& frame);
  void check_redirects(const shell::Command& command, const Call* call, Facts& facts, const Frame& frame);
  void check_fed_code(const shell::Redirect& r, const Facts& from_target, const Call& call, shell::Span span);
  void check_fork_bomb(const shell::Command& definition, const Frame& frame);
  void check_pipeline_flow(const std::vector<Facts>& facts, const shell::Pipeline& pipeline, const Frame& frame);
  void check_listing_deleted(const std::vector<Facts>& facts, shell::Span span);
  void check_persisted_text(const Facts& writer, std::string_view text, const shell::Span& span, const Frame& frame);
  void check_custom(const Call& call);
  void change_directory(const Call& call);
  // walker_code.cpp: code in options, scripts fed on stdin.
  void check_embedded(const Call& call, Facts& facts);
  void check_script(ScriptLanguage language, std::string_view script, const Call& call);
  // walker_words.cpp: command words as the shell expands them.
  std::vector<SubstitutionOutput> outputs_of(const shell::Word& word);
  std::size_t first_command_word(const shell::Command& command, shell::Span span);
  Call build_call(const shell::Command& command, std::size_t first, shell::Span span, const Frame& frame, Facts& facts);
  std::string resolve_program(const shell::Word& w0, shell::Span span, std::vector<Arg>& extra, bool& unknown,
                              bool& hidden);
  void append_args(const shell::Word& word, std::vector<Arg>& args);
  void report_unknown_program(const Call& call, const shell::Word& w0, bool hidden);
  void check_known_program(const Call& call);
  void note_variables(const Call& call, const shell::Command& command);
  void note_read(const Call& call, const shell::Command& command);
  void add_at(std::string_view rule_id, shell::Span span, std::string signal, std::string alternative = {});
  void lower_at(std::string_view lowering_id, shell::Span span, std::string detail, std::string_view instead_of = {});
  void rate_help(const Call& call, Analyzer analyzer);
  RiskLevel rate_nested(std::string_view code);
  shell::Span span_for(shell::Span own, const Frame& frame) const { return frame.reparsed ? frame.outer : own; }
  bool was_downloaded(const std::string& path) const;

  std::string_view m_text;
  ValidationContext m_context;  // a copy: cd changes the working directory for what follows
  const Validator::Compiled& m_compiled;
  std::size_t m_max_depth;
  ValidationResult& m_result;
  Frame m_current;  // the frame of the call being analysed (for Sink callbacks)
  std::vector<std::pair<const shell::Word*, Facts>> m_word_facts;
  std::vector<std::string> m_downloaded;
  ShellVariables m_vars;                      // what earlier commands of the script assigned
  std::vector<std::string> m_runs_arguments;  // functions whose body runs their arguments ("$@")
  std::vector<std::string> m_functions;       // functions the script defines: known programs from then on
  bool m_dynamic = false;
  bool m_check_alternatives = true;  // off inside rate_nested()
};

}  // namespace cmdai::safety
